"""The home page and the base layout every page extends: neutral, self-contained, translatable."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from survey_app.config import PROJECT_ROOT
from survey_app.security import CSP_TEMPLATE
from tests.helpers import ABUSE_WORDS




def page(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200
    return response, BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_home_page_has_language_direction_and_a_neutral_header(client):
    _, soup = page(client)
    assert soup.html["lang"] == "en" and soup.html["dir"] == "ltr"
    assert soup.select_one(".app-header__name").get_text(strip=True) == "Questionnaire"
    assert soup.title.get_text(strip=True) == "Questionnaire"
    assert soup.h1.get_text(strip=True) == "Questionnaires"


def test_nothing_on_the_page_names_abuse_or_government(client):
    response, soup = page(client)
    text = soup.get_text(" ", strip=True)
    assert not ABUSE_WORDS.search(text), ABUSE_WORDS.search(text)
    html = response.get_data(as_text=True)
    assert "GOV.UK" not in html and "govuk-header" not in html and "crown" not in html.lower()


def test_an_admin_chosen_service_name_replaces_the_neutral_one(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_SERVICE_NAME", "Outcome check")
    _, soup = page(client)
    assert soup.select_one(".app-header__name").get_text(strip=True) == "Outcome check"


def test_skip_link_leads_to_the_main_content(client):
    _, soup = page(client)
    skip = soup.select_one("a.govuk-skip-link")
    assert skip is soup.body.find("a")
    assert skip["href"] == "#main-content" and soup.select_one("main#main-content")


def test_every_url_on_the_page_is_on_this_host(client):
    _, soup = page(client)
    urls = [tag.get(attr) for tag in soup.find_all(True) for attr in ("href", "src", "action") if tag.get(attr)]
    assert urls, "the page should link its styles and scripts"
    assert [u for u in urls if urlparse(u).netloc or urlparse(u).scheme] == []


def test_headers_forbid_caching_referrers_framing_and_other_hosts(client):
    response, soup = page(client)
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert csp == CSP_TEMPLATE.format(nonce=nonce)
    assert "unsafe-inline" not in csp and "http" not in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert all(script.get("nonce") == nonce for script in soup.find_all("script"))
    assert page(client)[0].headers["Content-Security-Policy"] != csp, "a fresh nonce per response"


def test_styles_and_scripts_are_served_by_the_platform(client):
    _, soup = page(client)
    for link in [soup.select_one("link[rel=stylesheet]")["href"], *[s["src"] for s in soup.find_all("script", src=True)]]:
        assert client.get(link).status_code == 200, link
    css = client.get(soup.select_one("link[rel=stylesheet]")["href"]).get_data(as_text=True)
    assert "GDS Transport" not in css and "@font-face" not in css and "crest" not in css
    assert [ref for ref in re.findall(r"url\(\s*[\"']?([^\"')]+)", css) if not ref.startswith("data:")] == []


def test_the_english_catalogue_holds_every_string_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_",
                    "-o", str(pot), "."], cwd=PROJECT_ROOT, check=True, capture_output=True)
    with pot.open("rb") as extracted, (PROJECT_ROOT / "translations/en/LC_MESSAGES/messages.po").open("rb") as po:
        wanted = {m.id for m in read_po(extracted) if m.id}
        have = {m.id for m in read_po(po) if m.id}
    assert wanted, "extraction found no strings"
    assert wanted - have == set(), "run `make messages` to update the catalogues"
