"""Participant pages in the languages written right to left (Urdu, Arabic, Pashto, Punjabi in
Shahmukhi) mirror; those written left to right in other scripts (Tamil, Bengali, Punjabi in
Gurmukhi) do not. Every page is also screenshotted, as evidence to look at, into
test-results/screenshots/ in the checkout (ignored by git; pytest's own temporary folders are
pruned after three runs).

The layout is what is tested, not the words: until a language's catalogue exists its pages show
English text with that language's `lang` and `dir`, so nothing here reads translated text.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from survey_app.config import PROJECT_ROOT
from tests.browser.pages import FITS, opened_page
from tests.factories import create_linked_person, create_person_who_agreed

RIGHT_TO_LEFT = ("ur", "ar", "ps", "pa-Arab")
LEFT_TO_RIGHT_SCRIPTS = ("ta", "bn", "pa-Guru")

# Which way the Back link's chevron points, from its computed borders and rotation: the two
# bordered sides meet in a corner, and the rotation turns that corner to face left or right.
CHEVRON = """(() => {
    const style = getComputedStyle(document.querySelector('.govuk-back-link'), '::before');
    const x = parseFloat(style.borderRightWidth) > 0 ? 1 : -1, y = parseFloat(style.borderTopWidth) > 0 ? -1 : 1;
    const [a, b, c, d] = new DOMMatrix(style.transform).toFloat64Array();
    return a * x + c * y < 0 ? 'left' : 'right';
})()"""


@pytest.fixture
def offered(app, monkeypatch):
    """The languages offered, as a deployment's SURVEY_LOCALES would list them once their catalogues
    are compiled (set here directly: the config check asks for a catalogue, and none may exist yet)."""
    monkeypatch.setitem(app.config, "SURVEY_LOCALES",
                        ["en", *(code.replace("-", "_") for code in RIGHT_TO_LEFT + LEFT_TO_RIGHT_SCRIPTS)])


@pytest.fixture(scope="session")
def screenshots():
    folder = PROJECT_ROOT / "test-results" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    print(f"\nScreenshots of participant pages in each script: {folder}")


@pytest.mark.parametrize("language", RIGHT_TO_LEFT + LEFT_TO_RIGHT_SCRIPTS)
def test_consent_pages_follow_the_direction_of_the_language(browser, live_server, app, offered, screenshots, language):
    token = create_linked_person(app, "victim_survivor", with_code=False)[1].token
    rtl = language in RIGHT_TO_LEFT
    with opened_page(browser, live_server, width=800, height=700, language=language) as page:
        page.goto(f"{live_server}/q/{token}/about")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == \
            [language, "rtl" if rtl else "ltr"]
        assert_exit_at_the_inline_end(page, rtl)
        assert_starts_at_the_inline_start(page, page.locator("h1"), rtl)
        page.screenshot(path=screenshots / f"{language}-consent-summary.png", full_page=True)

        with page.expect_navigation():
            page.click("main a.govuk-button")
        with page.expect_navigation():
            page.click("main form button")  # nothing chosen: the error summary and the error message
        assert_mirrored_error(page, rtl)
        assert_in_reading_order(page.locator(".govuk-radios__input").first, page.locator(".govuk-radios__label").first, rtl)
        page.screenshot(path=screenshots / f"{language}-consent-error.png", full_page=True)

        while page.locator("main input[type=radio][value=yes]").count():
            page.check("main input[type=radio][value=yes]")
            with page.expect_navigation():
                page.click("main form button")
        row = page.locator(".govuk-summary-list__row").first
        assert_in_reading_order(row.locator(".govuk-summary-list__key"), row.locator(".govuk-summary-list__value"), rtl)
        assert_in_reading_order(row.locator(".govuk-summary-list__value"), row.locator(".govuk-summary-list__actions"), rtl)
        assert page.evaluate(CHEVRON) == ("right" if rtl else "left"), "the Back link's chevron points back"
        page.screenshot(path=screenshots / f"{language}-consent-check.png", full_page=True)
        assert_fits_at_320_px(page, screenshots / f"{language}-consent-check-320.png")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("language", RIGHT_TO_LEFT + LEFT_TO_RIGHT_SCRIPTS)
def test_a_question_follows_the_direction_of_the_language(browser, live_server, app, offered, screenshots,
                                                          language, javascript):
    token = create_person_who_agreed(app)[1].token
    rtl = language in RIGHT_TO_LEFT
    with opened_page(browser, live_server, javascript=javascript, width=800, height=700, language=language) as page:
        page.goto(f"{live_server}/q/{token}/questions/swemwbs/1")
        assert page.evaluate("document.documentElement.dir") == ("rtl" if rtl else "ltr")
        assert_exit_at_the_inline_end(page, rtl)
        assert_starts_at_the_inline_start(page, page.locator("#progress"), rtl)
        assert_starts_at_the_inline_start(page, page.locator("legend"), rtl)
        for item in page.locator(".govuk-radios__item").all():
            assert_in_reading_order(item.locator("input"), item.locator("label"), rtl)
        assert page.evaluate(CHEVRON) == ("right" if rtl else "left"), "the Back link's chevron points back"
        if javascript:
            page.screenshot(path=screenshots / f"{language}-question.png", full_page=True)
        page.mouse.wheel(0, 2000)  # the quick exit stays in view, still at the inline end
        expect(page.locator(".app-quick-exit__button")).to_be_in_viewport()
        assert_exit_at_the_inline_end(page, rtl)
        assert_fits_at_320_px(page, screenshots / f"{language}-question-320{'' if javascript else '-no-js'}.png")


def test_the_shell_is_left_to_right_in_english(browser, live_server):
    context = browser.new_context(viewport={"width": 800, "height": 600})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/q/not-a-token")  # a 404 page, in the participant shell
        assert page.evaluate("document.documentElement.dir") == "ltr"
        assert_exit_at_the_inline_end(page, rtl=False)
    finally:
        context.close()


def assert_exit_at_the_inline_end(page, rtl: bool) -> None:
    """The quick exit (with its Shift hint after it, where shown) is packed against the end of its
    bar: the right in English, the left in Urdu."""
    edges = page.evaluate("""() => {
        const bar = document.querySelector('.app-quick-exit'), style = getComputedStyle(bar);
        const box = bar.getBoundingClientRect();
        const shown = [...bar.children].filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect());
        return {bar: [box.left + parseFloat(style.paddingLeft), box.right - parseFloat(style.paddingRight)],
                content: [Math.min(...shown.map(b => b.left)), Math.max(...shown.map(b => b.right))]}; }""")
    if rtl:
        assert abs(edges["content"][0] - edges["bar"][0]) < 2, edges
    else:
        assert abs(edges["content"][1] - edges["bar"][1]) < 2, edges


def assert_starts_at_the_inline_start(page, locator, rtl: bool, inset: int = 0) -> None:
    """Text is set from the right edge of its column in a right-to-left page, from the left otherwise
    (`inset` pixels in from it, inside a box with a border and padding)."""
    edges = locator.evaluate("""e => {
        const range = document.createRange(); range.selectNodeContents(e);
        const text = range.getBoundingClientRect();
        const column = e.closest('[class*="govuk-grid-column-"]'), style = getComputedStyle(column);
        const box = column.getBoundingClientRect();
        return {text: [text.left, text.right],
                column: [box.left + parseFloat(style.paddingLeft), box.right - parseFloat(style.paddingRight)]}; }""")
    if rtl:
        assert abs(edges["column"][1] - inset - edges["text"][1]) < 2, edges
    else:
        assert abs(edges["text"][0] - edges["column"][0] - inset) < 2, edges


def assert_in_reading_order(first, second, rtl: bool) -> None:
    """`first` comes before `second` on the line: to its right in a right-to-left page."""
    a, b = first.bounding_box(), second.bounding_box()
    if rtl:
        assert a["x"] >= b["x"] + b["width"] - 1, (a, b)
    else:
        assert a["x"] + a["width"] <= b["x"] + 1, (a, b)


def assert_mirrored_error(page, rtl: bool) -> None:
    """The red bar beside a question in error, and the error summary's, sit at the inline start."""
    group = page.locator(".govuk-form-group--error")
    sides = group.evaluate("e => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]")
    assert sides == (["5px", "0px"] if rtl else ["0px", "5px"])
    assert page.locator(".govuk-error-summary").is_visible()
    # Inside the summary's 5 px border and 20 px padding (GOV.UK Frontend's, at tablet width).
    assert_starts_at_the_inline_start(page, page.locator(".govuk-error-summary__title"), rtl, inset=25)


def assert_fits_at_320_px(page, screenshot) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate(FITS), "the page scrolls sideways at 320 px"
    page.evaluate("scrollTo(0, 0)")
    page.screenshot(path=screenshot, full_page=True)
