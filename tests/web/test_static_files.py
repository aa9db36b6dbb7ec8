"""Page weight on the server's side: pages compressed and never stored; styles, scripts and the icon
under content-hashed names that browsers keep for a year; only the GOV.UK Frontend JavaScript the
pages use."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from tests.factories import create_linked_person
from tests.helpers import soup

HASHED_FILE = re.compile(r"^/static/build/[\w/-]+\.[0-9a-f]{12}\.(css|js|svg)$")
A_BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


@pytest.fixture
def first_page(app):
    """The first page a participant sees: where their link asks for the access code."""
    return f"/q/{create_linked_person(app)[1].token}"


def files_of(client, path: str) -> list[str]:
    page = soup(client.get(path))
    return [*(link["href"] for link in page.select("link[rel=stylesheet], link[rel=icon]")),
            *(script["src"] for script in page.select("script[src]"))]


def test_styles_scripts_and_icon_have_hashed_names_and_are_kept_for_a_year(client, first_page):
    files = files_of(client, first_page)
    assert len(files) == 4 and all(HASHED_FILE.match(path) for path in files), files
    for path in files:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_page_itself_is_never_stored(client, first_page):
    assert client.get(first_page, headers=A_BROWSER).headers["Cache-Control"] == "no-store"


def test_a_file_the_build_did_not_make_is_not_stored_either(client):
    response = client.get("/static/js/quick-exit.js")  # the source; pages load the built copy
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_pages_and_files_are_compressed_for_browsers_that_accept_it(client, first_page):
    plain = client.get(first_page).get_data()
    assert "Content-Encoding" not in client.get(first_page).headers
    response = client.get(first_page, headers=A_BROWSER)
    assert response.headers["Content-Encoding"] == "br" and "Accept-Encoding" in response.headers["Vary"]
    assert b"Enter your access code" in brotli.decompress(response.get_data()) and len(response.get_data()) < len(plain) / 2
    gzipped = client.get(first_page, headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip" and b"Enter your access code" in gzip.decompress(gzipped.get_data())
    style_sheet = soup(client.get(first_page)).select_one("link[rel=stylesheet]")["href"]
    response = client.get(style_sheet, headers=A_BROWSER)
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.get_data()) == client.get(style_sheet).get_data()


def test_only_the_gov_uk_frontend_components_the_pages_use_are_sent(client, first_page):
    [script] = [path for path in files_of(client, first_page) if "/init." in path]
    bundle = client.get(script).get_data(as_text=True)
    assert {"govuk-button", "govuk-radios", "govuk-error-summary", "govuk-skip-link"} <= set(re.findall(r"govuk-[a-z-]+", bundle))
    for unused in ("govuk-accordion", "govuk-tabs", "govuk-header", "govuk-exit-this-page", "govuk-file-upload"):
        assert unused not in bundle
