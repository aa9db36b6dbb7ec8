"""Text messages: when one may be sent, what it may say, and how failures are retried.

A text is only sent to a person who said yes to texts, inside the hours they allowed, and
never says who it is from beyond a neutral sender, what the questions are about, or any name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from survey_app.domain.text import N_

# The default wording, per language through the catalogues, until an admin writes their own.
# No name, no programme, no subject. {link} marks where the link goes.
LINK_PLACE = "{link}"
INVITATION, REMINDER = "invitation", "reminder"
DEFAULTS = {INVITATION: N_("Hello. Here is the link we talked about: {link}"),
            REMINDER: N_("Hello. A reminder about the link we talked about: {link}")}
TEXT_KINDS = {INVITATION: N_("A new link"), REMINDER: N_("A reminder")}

# Words no text may contain, whatever an admin writes: they could tell someone else reading
# the phone what the message is about. One list per shipped language, kept as plain files
# (revealing_words/<locale>.txt, each with a Translation-Status line like the catalogues) so a
# translator can review them; every text is checked against all of them together, since wording
# in one language can still contain a word of another.
REVEALING_WORDS_DIR = Path(__file__).parent / "revealing_words"
STATUS_LABEL = "Translation-Status:"
# Letters written more than one way in Arabic script (Arabic, Farsi and Urdu forms of yeh, kaf and
# heh), read as one so a list in one form catches a text typed in another.
_SAME_LETTER = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ە": "ه", "ھ": "ه", "ۀ": "ه", "ة": "ه"})


def comparable(text: str) -> str:
    """Text as the revealing-word check reads it: case folded, Latin accents and Arabic-script vowel
    and hamza marks dropped (so "Przemoc" and "przemoc", "إساءة" and "اساءه" read alike), and the
    letters Arabic script writes in several forms read as one. Other scripts' vowel signs are kept:
    they are letters there."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed
                   if not (unicodedata.category(c) == "Mn" and ("\u0300" <= c <= "\u036f" or "\u0610" <= c <= "\u06ff")))
    return unicodedata.normalize("NFC", kept).translate(_SAME_LETTER).replace("\u0640", "")  # and no tatweel


@dataclass(frozen=True)
class WordList:
    locale: str
    status: str  # "draft (…)", "reviewed by NAME on DATE" or "original (…)"
    words: tuple[str, ...]  # as written in the file

    @property
    def reviewed(self) -> bool:
        return not self.status.startswith("draft")


def read_word_list(path: Path) -> WordList:
    status, words = "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#"):
            if STATUS_LABEL in line:
                status = line.split(STATUS_LABEL, 1)[1].strip()
        elif line:
            words.append(line)
    return WordList(path.stem, status, tuple(words))


def load_word_lists(folder: Path = REVEALING_WORDS_DIR) -> dict[str, WordList]:
    """Every language's list, by locale (the file's name)."""
    return {path.stem: read_word_list(path) for path in sorted(folder.glob("*.txt"))}


WORD_LISTS = load_word_lists()
_REVEALING = tuple(sorted({comparable(word) for found in WORD_LISTS.values() for word in found.words}))


def revealing_word(text: str) -> str | None:
    """The first word of any language's list this text contains (as it appears in the list's
    comparable form), or None when it contains none."""
    readable = comparable(text)
    return next((word for word in _REVEALING if word in readable), None)

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
    if revealing_word(words):
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
