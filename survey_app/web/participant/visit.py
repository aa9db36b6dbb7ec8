"""What every participant page needs first: the link's invitation, its person, and this
browser's progress (access code passed, language, consent choices not yet saved).

Progress is kept on the server (web/browser_progress.py; the cookie holds only a random key), for
one invitation at a time. Nothing in it is acknowledged to the person as saved: consent is saved, as
one event, when they confirm it.
An access code entered holds while pages keep being opened: after SURVEY_CODE_TIMEOUT_MINUTES
without one it is asked again (a phone's browser is rarely closed, so the end of the browser's
session is not enough). The quick exit ends the session at once (views.leave).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import abort, current_app, g, make_response, redirect, render_template, url_for
from flask_babel import get_locale, refresh

from survey_app import clock
from survey_app.domain.invitations import code_entered_after_exit, code_still_fresh, seen_needs_refresh
from survey_app.extensions import db_session
from survey_app.services import invitations, participant_languages
from survey_app.services.invitations import LinkVisit
from survey_app.web.loaded import consent_library, instrument_catalogue, wording_confirmation_required
from survey_app.web.locale import LINK_LANGUAGE, LINK_LANGUAGES
from survey_app.web import browser_progress


@dataclass
class Visit:
    token: str
    link: LinkVisit

    @property
    def invitation(self):
        return self.link.invitation

    @property
    def record(self):
        return self.link.record

    @property
    def progress(self) -> dict:
        """This browser's progress with this link (empty for another link)."""
        progress = browser_progress.current()
        if progress.get("invitation") != self.invitation.id:
            progress = {"invitation": self.invitation.id}
            browser_progress.replace(progress)
        return progress

    def remember(self, **values) -> None:
        browser_progress.replace({**self.progress, **values})

    @property
    def passed_code(self) -> bool:
        if not self.link.needs_code:
            return True
        timeout = timedelta(minutes=current_app.config["SURVEY_CODE_TIMEOUT_MINUTES"])
        return (code_entered_after_exit(self.progress.get("code_at"), self.invitation.exited_at)
                and code_still_fresh(self.progress.get("seen_at"), clock.seconds(), timeout))

    def code_entered(self) -> None:
        self.remember(code_at=clock.now().timestamp(), seen_at=clock.seconds())

    @property
    def languages(self) -> list[str]:
        """The languages this link can be used in (participant_languages.offered)."""
        return g.get(LINK_LANGUAGES) or [current_app.config["BABEL_DEFAULT_LOCALE"]]

    @property
    def language(self) -> str:
        """The language of the consent document and of a new questionnaire: the page's (web/locale.py:
        chosen in this browser, else remembered on the link, else the browser's) when this link can be
        used in it, else the default."""
        page = str(get_locale() or "")
        return page if page in self.languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def end_progress(**kept) -> None:
    """End this browser's progress with its link (access code entered, choices not yet saved),
    keeping only the page's language (chosen here, or remembered by the link), so the page that
    follows (thank you, stopped) is still in it."""
    browser_progress.replace({**kept, "language": str(get_locale())})


def not_working():
    """One page for unknown, expired, revoked and finished links alike."""
    return make_response(render_template("participant/link_not_working.html"), 404)


def open_visit(token: str, need_code: bool = True) -> Visit:
    """The visit behind a token, or stop the request: a neutral 404 for a link that cannot be
    used, the access-code page for a browser that has not entered the code."""
    link = invitations.open_link(db_session(), token, browser_progress.key())
    if link is None:
        abort(not_working())
    browser_progress.found(link.kept_progress)
    visit = Visit(token, link)
    _ = visit.progress  # this browser's progress is now with this link: the quick exit pauses the link it names
    # The languages this link can be used in (for the chooser and the consent document's language),
    # and the one remembered on it (web/locale.py). Before the access code every language of the
    # pages is offered: which ones the link can be used in would tell whose link it is.
    passed = visit.passed_code
    setattr(g, LINK_LANGUAGES, participant_languages.offered(
        db_session(), instrument_catalogue(), consent_library(), link.record, link.invitation,
        current_app.config["SURVEY_LOCALES"], confirmation_required=wording_confirmation_required())
        if passed else list(current_app.config["SURVEY_LOCALES"]))
    setattr(g, LINK_LANGUAGE, link.invitation.language)
    refresh()
    if not passed:
        if need_code:
            abort(redirect(url_for("participant.entry", token=token)))
    elif link.needs_code and seen_needs_refresh(visit.progress.get("seen_at"), clock.seconds()):
        visit.remember(seen_at=clock.seconds())  # each page opened keeps the code from lapsing
    return visit
