"""Page weight: what a participant's phone downloads, in Chromium with a cold cache, against the
budgets (bench/page_weight.py prints the same figures for the demo data). Pages are compressed and
the styles, scripts and icon are kept by the browser after the first page, so each later page costs
little more than its own compressed HTML."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.pages import unstarted_components
from tests.factories import create_linked_person
from tests.helpers import WireMeter, walk_participant_link

KB = 1024
FIRST_PAGE = 30 * KB  # with its styles, scripts, icon and any font
LATER_PAGE = 6 * KB   # with the redirect that led to it
T1_JOURNEY = 300 * KB  # access code, consent, 32 questions, check, thank-you


@pytest.fixture
def link(app):
    """A service user with a T1 link and an access code, who has not yet been asked for consent."""
    return create_linked_person(app, "service_user")[1]


def every_component_started(page) -> None:
    assert unstarted_components(page) == [], page.url


def test_a_service_user_t1_journey_stays_within_the_page_weight_budgets(browser, live_server, link):
    context = browser.new_context()  # a cold cache; no request routing, which would turn the cache off
    hosts, errors = set(), []
    try:
        page = context.new_page()
        page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        walk = walk_participant_link(page, WireMeter(page), f"{live_server}/q/{link.token}", link.access_code,
                                     check=every_component_started)
    finally:
        context.close()
    (_, first), *later = walk
    assert walk[-1][0] == "Answers sent" and len(walk) > 32, [title for title, _ in walk]  # every question
    assert hosts == {urlparse(live_server).netloc} and errors == []
    assert first.kinds["Font"] == 0, "English pages use the system's fonts"
    assert first.received <= FIRST_PAGE, f"first page {first.received} bytes in {first.requests} requests"
    assert [(title, weight.received) for title, weight in later if weight.received > LATER_PAGE] == []
    assert sum(weight.received for _, weight in walk) <= T1_JOURNEY
