"""The participant shell in a real browser: the quick exit with and without JavaScript, axe, 320 px.

After a quick exit, nothing of the consent or the questions shows again on that device: not by
Back, not by the link reopened from history, not in a new tab. Tested for a link with an access
code and one without, each with JavaScript (the button and Shift pressed three times) and without.
"""

from __future__ import annotations

import pytest

from tests.browser.pages import axe_violations, opened_page
from tests.factories import create_linked_person, create_person_who_agreed


@pytest.fixture
def link(app):
    return create_linked_person(app, "service_user")[1]


@pytest.fixture
def exit_site(app, live_server, monkeypatch) -> str:
    """A local stand-in for the quick exit's neutral site, so the test never leaves the machine
    (the browser follows the exit route's redirect itself, where Playwright cannot answer for it)."""
    url = f"{live_server}/?weather"
    monkeypatch.setitem(app.config, "SURVEY_QUICK_EXIT_URL", url)
    return url


def enter(page, link) -> None:
    page.goto(f"{page.live_server}/q/{link.token}")
    page.fill("#code", link.access_code)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_participant_pages_pass_axe_and_fit_320_px(page, link):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{page.live_server}/q/{link.token}")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    enter(page, link)
    assert page.url.endswith("/about")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.goto(f"{page.live_server}/q/not-a-token")
    assert axe_violations(page) == []
    page.recorder.console_errors.clear()  # the neutral page is (rightly) a 404, which Chromium logs


ALLOWED_AFTER_EXIT = {True: "Enter your access code", False: "This link is not working"}
IN_VIEW = """() => {
  const box = document.querySelector('.app-quick-exit__button').getBoundingClientRect()
  const middle = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
  return box.top >= 0 && box.bottom <= window.innerHeight && middle.closest('.app-quick-exit__button') !== null
}"""


def answer_two_questions(page, made) -> list[str]:
    """Open the link as the person would, enter the code if it has one, answer the first question
    and stop on the second; the addresses of the pages seen."""
    page.goto(page.live_server + "/")
    page.goto(f"{page.live_server}/q/{made.token}")
    if made.access_code:
        page.fill("#code", made.access_code)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    seen = [page.url]
    page.goto(f"{page.live_server}/q/{made.token}/questions/swemwbs/1")
    seen.append(page.url)
    page.check("input[name=answer][value='4']")
    with page.expect_navigation():
        page.click("main form button[type=submit] >> nth=0")
    assert page.locator("#progress").inner_text() == "Question 2 of 7"
    return seen + [page.url]


def shows_nothing_private(page, with_code: bool) -> None:
    assert page.locator("h1").inner_text() == ALLOWED_AFTER_EXIT[with_code], page.url
    assert page.locator("#progress, form input[name=answer], .govuk-summary-list").count() == 0, page.url
    page.recorder.console_errors.clear()  # a paused link's page is (rightly) a 404, which Chromium logs


@pytest.mark.parametrize("javascript, how", [(True, "button"), (True, "shift"), (False, "button")],
                         ids=["script-button", "script-shift", "no-script"])
@pytest.mark.parametrize("with_code", [True, False], ids=["code", "no-code"])
def test_after_a_quick_exit_nothing_shows_again(browser, live_server, app, exit_site, with_code, javascript, how):
    _record_id, made = create_person_who_agreed(app, with_code=with_code)
    with opened_page(browser, live_server, javascript=javascript) as page:
        seen = answer_two_questions(page, made)
        with page.expect_navigation():
            if how == "shift":
                for _ in range(3):
                    page.keyboard.press("Shift")
            else:
                page.click(".app-quick-exit__button")
        assert page.url == exit_site
        page.go_back()
        shows_nothing_private(page, with_code)
        for address in seen:  # reopened from the browser's history
            page.goto(address)
            shows_nothing_private(page, with_code)
        tab = page.context.new_page()
        tab.recorder = page.recorder
        tab.goto(seen[-1])
        shows_nothing_private(tab, with_code)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("width, height", [(320, 640), (1280, 800)])
def test_the_quick_exit_stays_in_view_down_a_long_page(browser, live_server, app, javascript, width, height):
    _record_id, made = create_linked_person(app, "victim_survivor", with_code=False)
    with opened_page(browser, live_server, javascript=javascript, width=width, height=height) as page:
        page.goto(f"{live_server}/q/{made.token}/information")
        assert page.evaluate("document.documentElement.scrollHeight") > 3 * height  # the long information sheet
        for part in (0.5, 1):
            page.evaluate("part => window.scrollTo(0, document.documentElement.scrollHeight * part)", part)
            assert page.evaluate(IN_VIEW), f"scrolled {part:.0%} down"


def test_the_shift_hint_shows_only_with_script_and_a_keyboard(browser, live_server, app, link):
    hint = ".app-quick-exit__hint"
    with opened_page(browser, live_server) as page:
        page.goto(f"{live_server}/q/{link.token}")
        assert page.locator(hint).is_visible()
    with opened_page(browser, live_server, javascript=False) as page:
        page.goto(f"{live_server}/q/{link.token}")
        assert not page.locator(hint).is_visible()
    phone = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    try:
        page = phone.new_page()
        page.goto(f"{live_server}/q/{link.token}")
        assert page.evaluate("window.matchMedia('(pointer: coarse)').matches")
        assert page.locator(".app-quick-exit__button").is_visible()
        assert not page.locator(hint).is_visible()
    finally:
        phone.close()
