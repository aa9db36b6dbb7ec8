"""Which style sheet a page links to by its language's direction, and the one web font it may name."""

from __future__ import annotations

import re

import pytest

from tests.helpers import soup

FONT_FACE = re.compile(r"@font-face\{[^}]*\}")


@pytest.fixture
def offered(app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_LOCALES", ["en", "ur", "ar", "ta"])


def style_sheet(client, language: str) -> tuple[str, str]:
    page = soup(client.get("/", headers={"Accept-Language": language}))
    href = page.select_one("link[rel=stylesheet]")["href"]
    return href, client.get(href).get_data(as_text=True)


@pytest.mark.parametrize("language", ["ur", "ar"])
def test_right_to_left_pages_link_the_mirrored_style_sheet(client, offered, language):
    href, css = style_sheet(client, language)
    assert "/app-rtl." in href
    # GOV.UK Frontend's radios, mirrored: the circle on the right of its label.
    assert re.search(r"\.govuk-radios__label::before\{[^}]*;right:2px", css)


@pytest.mark.parametrize("language", ["en", "ta"])
def test_left_to_right_pages_keep_the_style_sheet_without_a_font(client, offered, language):
    href, css = style_sheet(client, language)
    assert "/app." in href and "rtl" not in href
    assert "@font-face" not in css


def test_the_nastaliq_font_comes_from_the_device_first_and_then_once_from_the_platform(client, offered):
    _, css = style_sheet(client, "ur")
    [face] = FONT_FACE.findall(css)
    assert 'font-family:"Noto Nastaliq Urdu"' in face
    src = re.search(r"src:([^;]+);", face).group(1)
    assert src.index("local(") < src.index("url(")
    assert re.search(r"unicode-range:U\+06", face), "only Arabic-script characters call for the font"
    font = re.search(r"url\(([^)]+\.woff2)\)", face).group(1)
    response = client.get(f"/static/build/{font}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.content_length < 156 * 1024, "subset, smaller than the package's file"
    # Urdu pages name the family; nothing else does, so no other page can download it.
    assert re.search(r'html\[lang="?ur"?\][^{]*\{--app-font-family:\s*"Urdu Typesetting",\s*"Noto Nastaliq Urdu"', css)
