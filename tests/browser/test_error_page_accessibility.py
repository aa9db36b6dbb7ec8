"""A participant's error page in a real browser: the participant shell, and axe finds nothing."""

from __future__ import annotations

from tests.browser.pages import axe_violations
from tests.factories import create_linked_person

SEND_TOO_MUCH = """token => {
    const form = Object.assign(document.createElement('form'), {method: 'post', action: `/q/${token}`});
    form.append(Object.assign(document.createElement('input'), {name: 'code', value: '1'.repeat(300 * 1024)}));
    document.body.append(form);
    form.submit();
}"""


def test_a_participants_error_page_passes_axe(page, app):
    link = create_linked_person(app, "service_user")[1]
    page.goto(f"{page.live_server}/q/{link.token}")
    with page.expect_navigation():
        page.evaluate(SEND_TOO_MUCH, link.token)
    assert page.locator("h1").inner_text() == "What you sent is too long"
    assert page.locator("#quick-exit").is_visible()
    assert axe_violations(page) == []
    page.recorder.console_errors.clear()  # an error status, which Chromium logs
