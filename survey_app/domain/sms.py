"""Text messages: when one may be sent, what it may say, and how failures are retried.

A text is only sent to a person who said yes to texts, inside the hours they allowed, and
never says who it is from beyond a neutral sender, what the questions are about, or any name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from survey_app.domain.text import N_

# The default wording, per language through the catalogues, until an admin writes their own.
# No name, no programme, no subject. {link} marks where the link goes.
LINK_PLACE = "{link}"
INVITATION, REMINDER = "invitation", "reminder"
DEFAULTS = {INVITATION: N_("Hello. Here is the link we talked about: {link}"),
            REMINDER: N_("Hello. A reminder about the link we talked about: {link}")}
TEXT_KINDS = {INVITATION: N_("A new link"), REMINDER: N_("A reminder")}

# Words no text may contain, whatever an admin writes: they could tell someone else reading
# the phone what the message is about.
UNSAFE_WORDS = re.compile(r"abus|violen|perpetrat|victim|survivor|domestic|partner|safeguard|police|"
                          r"programme|questionnaire|survey|study|research|refuge|harm", re.IGNORECASE)

RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(RETRY_AFTER) + 1


@dataclass(frozen=True)
class SafeContact:
    may_text: bool
    text_from: time | None = None  # None: any time the platform allows
    text_until: time | None = None
    never_say: str = ""  # the person's own words for what a text must never say


class UnsafeText(ValueError):
    pass


def may_send_at(contact: SafeContact | None, local: datetime) -> bool:
    """Only with a yes, and inside the allowed hours (which may run past midnight)."""
    if contact is None or not contact.may_text:
        return False
    if contact.text_from is None or contact.text_until is None:
        return True
    now = local.time()
    if contact.text_from <= contact.text_until:
        return contact.text_from <= now < contact.text_until
    return now >= contact.text_from or now < contact.text_until


def next_allowed(contact: SafeContact, local: datetime) -> datetime:
    """The next moment a text may go, for one that must wait for the allowed hours."""
    if may_send_at(contact, local):
        return local
    start = local.replace(hour=contact.text_from.hour, minute=contact.text_from.minute, second=0, microsecond=0)
    return start if start > local else start + timedelta(days=1)


def compose(template: str, link: str, contact: SafeContact) -> str:
    """The message, refused if the wording could give anything away."""
    if template.count(LINK_PLACE) != 1:
        raise UnsafeText(N_("The wording must include {link} once, where the link goes."))
    body = template.replace(LINK_PLACE, link)
    words = template.replace(LINK_PLACE, "")
    if UNSAFE_WORDS.search(words):
        raise UnsafeText(N_("This wording could tell someone else what the message is about."))
    for phrase in _phrases(contact.never_say):
        if phrase.lower() in words.lower():
            raise UnsafeText(N_("This wording uses something the person asked never to be said in a text."))
    return body


def _phrases(never_say: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;\n]", never_say) if len(p.strip()) > 2]


def retry_at(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed tries; None once it is time to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + RETRY_AFTER[attempts - 1]
