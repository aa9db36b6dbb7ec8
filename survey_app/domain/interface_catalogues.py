"""The interface catalogues (translations/<locale>/LC_MESSAGES/messages.po): how complete each is,
whether a translation breaks a placeholder or markup, and who has reviewed it.

Participant-facing strings. A string in translations/messages.pot is participant-facing when any of
its source locations (its `#:` lines) is in PARTICIPANT_SOURCES below: the participant pages and
their views, the error pages, the shared page shell, the neutral service name, the access-code
rules and the text-message wording. This list is the one place that rule lives: when a participant
page gets a new template or module outside these folders, add it here, and so for a module whose
strings a participant page shows (as the answers page shows domain/measures.py's "Skipped"). A
string also used on a staff page still counts, since a participant sees it too.

A catalogue's participant-facing strings must all be translated (a fuzzy one counts as missing),
and no translation may break a placeholder or markup, since either would show a participant an
English word, a raw `%(name)s` or an error page. Staff pages may stay in English for now.

Review status. Each catalogue says in its header comment (the `#` lines at the top, which
`pybabel update` keeps; it drops unknown header fields such as `X-Translation-Status`) either
    # Translation-Status: draft (machine- or staff-drafted; needs review by a qualified translator)
or  # Translation-Status: reviewed by NAME on YYYY-MM-DD
followed by a blank `#` line (pybabel may wrap the line; what follows it up to that blank line is
read as its continuation). An `X-Translation-Status:` header field is read too, but it is lost at
the next `make messages`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

SOURCE_LOCALE = "en"  # the language of the msgids: its catalogue needs no translation

PARTICIPANT_SOURCES = (
    "survey_app/templates/participant/",
    "survey_app/templates/errors/",
    "survey_app/templates/main/",              # the home page, reached by typing the address
    "survey_app/templates/base.html",          # the page shell: "Skip to main content"
    "survey_app/templates/form_macros.html",   # the error summary on participant forms
    "survey_app/templates/govuk_frontend_jinja/",  # GOV.UK's hidden "Error:" before each error message
    "survey_app/web/participant/",
    "survey_app/web/questionnaire_flow.py",
    "survey_app/web/errors.py",
    "survey_app/web/widgets.py",               # every form's limits: a null character, too long, too big
    "survey_app/extensions.py",                # the neutral service name in the header
    "survey_app/domain/invitations.py",        # the access code's "too many tries"
    "survey_app/domain/measures.py",           # "Skipped" on the check-your-answers page
    "survey_app/domain/sms.py",                # the wording of the texts participants receive
    "survey_app/domain/consent_documents.py",  # study.yaml's shipped contacts, filled into consent texts
    "instruments/expected.yaml",               # the neutral title of each measure
)

STATUS_LABEL = "Translation-Status:"
DRAFT_STATUS = "draft (machine- or staff-drafted; needs review by a qualified translator)"
REVIEWED = re.compile(r"^reviewed by (?P<name>.+) on (?P<date>\d{4}-\d{2}-\d{2})$")

# Python's %-formatting (flags kept few, so "50 % des" is not read as one) and str.format's {name}.
PLACEHOLDER = re.compile(r"%%|%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0+]*\d*(?:\.\d+)?[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def is_participant_facing(message: Message) -> bool:
    return any(path.startswith(PARTICIPANT_SOURCES) for path, _line in message.locations)


@dataclass(frozen=True)
class Share:
    translated: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    def __str__(self) -> str:
        return f"{self.translated}/{self.total} ({self.percent:.0f}%)"


@dataclass
class CatalogueReport:
    locale: str
    name: str
    status: str
    every: Share
    participant: Share
    missing_participant: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    header_problems: list[str] = field(default_factory=list)

    @property
    def is_source(self) -> bool:
        return self.locale == SOURCE_LOCALE

    @property
    def passes(self) -> bool:
        return self.is_source or not (self.missing_participant or self.broken or self.header_problems)

    @property
    def reviewed(self) -> bool:
        return bool(REVIEWED.match(self.status))


def check_catalogues(translations: Path) -> list[CatalogueReport]:
    """One report per catalogue in translations/, measured against translations/messages.pot."""
    template = _read(translations / "messages.pot")
    return [check_catalogue(path.parent.parent.name, _read(path), template)
            for path in sorted(translations.glob("*/LC_MESSAGES/messages.po"))]


def check_catalogue(locale: str, catalogue: Catalog, template: Catalog) -> CatalogueReport:
    expected = [m for m in template if m.id]
    participant = [m for m in expected if is_participant_facing(m)]
    done = {_key(m) for m in expected if _translated(catalogue.get(m.id, m.context))}
    status = review_status(catalogue)
    return CatalogueReport(
        locale=locale, name=language_name(locale), status=status or "no review status",
        every=Share(len(done), len(expected)),
        participant=Share(sum(_key(m) in done for m in participant), len(participant)),
        missing_participant=[_shown(m.id) for m in participant if _key(m) not in done],
        broken=[problem for m in catalogue if m.id and _translated(m) for problem in breakages(m)],
        header_problems=_header_problems(locale, status))


def breakages(message: Message) -> list[str]:
    """What a translation breaks: each placeholder and tag of the English must be kept, and no other added."""
    problems = []
    sources = [message.id] if isinstance(message.id, str) else list(message.id)
    targets = [message.string] if isinstance(message.string, str) else list(message.string)
    allowed_placeholders = Counter(p for s in sources for p in PLACEHOLDER.findall(s))
    wanted = Counter(PLACEHOLDER.findall(sources[-1]))
    for target in targets:
        if len(sources) > 1:  # a plural form may drop the number ("one answer"), never add one
            problems += [f"{_shown(sources[0])}: adds {p}" for p in
                         Counter(PLACEHOLDER.findall(target)) - allowed_placeholders]
        else:
            problems += _differences(sources[0], "placeholder", wanted, Counter(PLACEHOLDER.findall(target)))
        problems += _differences(sources[0], "markup", Counter(_tags(sources[-1])), Counter(_tags(target)))
    return list(dict.fromkeys(problems))


def review_status(catalogue: Catalog) -> str:
    """The text after `Translation-Status:` in the header comment, with the lines `pybabel` wrapped
    it into joined again (up to the next blank `#` line)."""
    lines = [line.lstrip("#").strip() for line in (catalogue.header_comment or "").splitlines()]
    start = next((i for i, line in enumerate(lines) if line.startswith(STATUS_LABEL)), None)
    if start is not None:
        end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
        return " ".join(lines[start:end])[len(STATUS_LABEL):].strip()
    for name, value in catalogue.mime_headers:
        if name.lower() == "x-" + STATUS_LABEL[:-1].lower():
            return value.strip()
    return ""


def language_name(locale: str) -> str:
    """The language named in English and in itself, e.g. "Urdu / اردو"."""
    try:
        parsed = Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        return locale
    return f"{parsed.get_display_name('en')} / {parsed.get_display_name(parsed)}"


def _header_problems(locale: str, status: str) -> list[str]:
    if locale == SOURCE_LOCALE or status.startswith("draft") or REVIEWED.match(status):
        return []
    return [f"the header comment needs '# {STATUS_LABEL} {DRAFT_STATUS}' or "
            f"'# {STATUS_LABEL} reviewed by NAME on YYYY-MM-DD' (found: {status or 'nothing'})"]


def _differences(msgid: str, kind: str, wanted: Counter, found: Counter) -> list[str]:
    return ([f"{_shown(msgid)}: {kind} {item} is missing" for item in wanted - found]
            + [f"{_shown(msgid)}: {kind} {item} is not in the English" for item in found - wanted])


def _tags(text: str) -> list[str]:
    return [" ".join(tag.split()) for tag in TAG.findall(text)]


def _translated(message: Message | None) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    return all(s.strip() for s in strings)


def _key(message: Message) -> tuple:
    return (message.id if isinstance(message.id, str) else tuple(message.id), message.context)


def _shown(msgid) -> str:
    text = msgid if isinstance(msgid, str) else msgid[0]
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)
