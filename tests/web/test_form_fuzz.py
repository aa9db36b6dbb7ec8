"""Every form post, fuzzed: each route that takes a POST, signed in as a role that may use it, is
sent random text, whole numbers at and past the column limits, null characters and very long
strings in the fields its page shows (and in any field of any form). No answer is a server error,
nothing invalid is stored, and a refused form changes nothing. Form protection is off for that, to
reach the fields; the last test turns it on and fuzzes the token too.

CI runs a few examples from a fixed seed and a few from a fresh one (printed, to replay a failure);
SURVEY_FUZZ_EXAMPLES=N tries N per route."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from bs4 import BeautifulSoup
from flask_wtf import FlaskForm
from hypothesis import given, strategies as st
from sqlalchemy import BigInteger, Integer, LargeBinary, String, cast, func, select

import survey_app.web
from survey_app.domain import limits
from survey_app.services import barriers, invitations, records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.models import all_metadata
from survey_app.web.permissions import EVERYONE, who_may_reach
from tests.factories import create_person_who_agreed, create_record, create_site, create_staff, sign_in_as
from tests.helpers import FUZZ_SEED, fuzz_examples, fuzz_seeds, run_seeded

PER_ROUTE = fuzz_examples(2)
NOT_FUZZED = {"webhooks.twilio_status",  # only a signed request is read (and none changes anything)
              "auth.sign_out"}  # ends the session: nothing to fuzz
ROLES = ("admin", "evaluator", "case_manager", "partner_support_worker")
# Tables a refused form may still write to: the audit log, and the counters that limit tries.
COUNTERS = {"audit_entry", "audit_head", "attempt_counter", "signin_throttle"}


def all_field_names() -> list[str]:
    for module in pkgutil.walk_packages(survey_app.web.__path__, "survey_app.web."):
        importlib.import_module(module.name)
    names, waiting = set(), list(FlaskForm.__subclasses__())
    while waiting:
        form = waiting.pop()
        waiting += form.__subclasses__()
        names |= {name for name, value in vars(form).items() if hasattr(value, "field_class")}
    return sorted(names)


FIELD_NAMES = all_field_names()
HOSTILE = ["", " ", "\x00", "a\x00b", "x" * 5000, "é" * 400, str(2 ** 31), str(2 ** 63), str(-2 ** 63), "1" * 5000,
           "-1", "0", "1e308", "NaN", "inf", "31 2 2026", "25:61", "../../etc", "<script>alert(1)</script>", "{link}",
           "%(x)s", "K7M4-QX2P"]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=20).map(lambda words: f"{words}\x00{words}"),  # a null character among other text
    st.text(max_size=30),
    st.integers().map(str),
)


@pytest.fixture
def world(app):
    """Two sites, one person per role, a record in each store with a link, a person who agreed
    (their link opens on the questions) and a barrier."""
    with app.extensions["survey_sessions"]() as session:
        camden = create_site(session, "Hackney")
        people = {role: create_staff(session, role, sites=[camden] if "_" in role else []) for role in ROLES}
        ring = records.keyrings(app.config)
        su = create_record(session, ring["service_user"], "service_user", camden)
        vs = create_record(session, ring["victim_survivor"], "victim_survivor", camden)
        link = invitations.create(session, su, "T1", COMMAND_LINE, None, with_code=True)
        barrier = barriers.add_barrier(session, 4, "Rooms", True, COMMAND_LINE)
        session.commit()
        ids = {"SU": su.study_id, "VS": vs.study_id, "LINK": link.invitation.id, "TOKEN": link.token,
               "BARRIER": barrier.id, "STAFF": people["case_manager"].id}
    _record_id, agreed = create_person_who_agreed(app, "victim_survivor")
    ids["AGREED_TOKEN"] = agreed.token
    return people, ids


def arguments_for(rule, role: str | None, ids: dict) -> dict:
    own_store = role == "partner_support_worker"
    known = {"token": ids["AGREED_TOKEN"] if "question" in rule.endpoint or "check" in rule.endpoint else ids["TOKEN"],
             "store_url": "victim-survivors" if own_store else "service-users",
             "study_id": ids["VS"] if own_store else ids["SU"], "invitation_id": ids["LINK"], "link_id": ids["LINK"],
             "staff_id": ids["STAFF"], "purpose": "password", "kind": "reminder", "language": "en",
             "barrier_id": ids["BARRIER"], "instrument": "swemwbs" if "question" in rule.endpoint else "urica",
             "number": 1, "statement_id": "questionnaires", "mode": "phone", "screen_id": "not-a-screen",
             "audience": "service_user", "filename": "favicon.svg"}
    return {name: known[name] for name in rule.arguments}


def targets(app, ids) -> list[tuple[str, str, str | None]]:
    """(endpoint, url, role) for every route that takes a POST."""
    found = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in NOT_FUZZED:
            continue
        allowed = who_may_reach(rule.endpoint)
        role = None if allowed == EVERYONE else next(r for r in ("partner_support_worker", *ROLES) if r in allowed)
        with app.test_request_context():
            url = app.url_map.bind("localhost").build(rule.endpoint, arguments_for(rule, role, ids))
        found.append((rule.endpoint, url, role))
    return sorted(found)


def shown_fields(client, url) -> tuple[list[str], dict[str, list[str]]]:
    """The names of the fields the page's forms show, and the values its choices offer."""
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    names, choices = [], {}
    for tag in page.select("form input[name], form select[name], form textarea[name]"):
        names.append(tag["name"])
        if tag.get("value"):
            choices.setdefault(tag["name"], []).append(tag["value"])
        for option in tag.select("option[value]"):
            choices.setdefault(tag["name"], []).append(option["value"])
    return sorted(set(names) - {"csrf_token"}), choices


def row_counts(app) -> dict[str, int]:
    with app.extensions["survey_sessions"]() as session:
        return {table.name: session.scalar(select(func.count()).select_from(table))
                for metadata in all_metadata() for table in metadata.sorted_tables if table.name not in COUNTERS}


def invalid_values(app) -> list[str]:
    """Text longer than its column or holding a null character, and whole numbers outside their column."""
    found = []
    with app.extensions["survey_sessions"]() as session:
        for metadata in all_metadata():
            for table in metadata.sorted_tables:
                for column in table.columns:
                    if isinstance(column.type, String):
                        too_long = func.length(column) > (column.type.length or 10 ** 9)
                        # PostgreSQL's text can never hold a null character (it refuses even chr(0)).
                        rows = session.execute(select(column).where(
                            too_long if session.bind.dialect.name == "postgresql"
                            else too_long | (func.instr(cast(column, LargeBinary), b"\x00") > 0))).all()
                    elif isinstance(column.type, Integer) and not isinstance(column.type, BigInteger):
                        rows = session.execute(select(column).where(
                            (column > limits.INTEGER_MAX) | (column < limits.INTEGER_MIN))).all()
                    else:
                        continue
                    found += [f"{table.name}.{column.name}" for _ in rows]
    return found


@pytest.mark.parametrize("seed", fuzz_seeds())
def test_no_form_post_is_a_server_error_or_stores_anything_invalid(app, world, seed):
    people, ids = world
    routes = targets(app, ids)
    assert len(routes) >= 30, routes
    clients, pages = {}, {}
    for endpoint, url, role in routes:
        client = app.test_client()
        if role is not None:
            sign_in_as(client, people[role])
        clients[endpoint] = client
        pages[endpoint] = shown_fields(client, url)

    def send(endpoint, url, form):
        before = row_counts(app)
        response = clients[endpoint].post(url, data=form)
        assert response.status_code < 500, (endpoint, form, response.get_data(as_text=True)[:300])
        if response.status_code == 200 and b"govuk-error-summary" in response.data:
            assert row_counts(app) == before, ("a refused form changed something", endpoint, form)

    # First a sweep: each route once with every text field null-bearing, too long, too big, and its
    # choices valid, so the value reaches what would store it (in the fixed-seed run only).
    for endpoint, url, _role in routes if seed == FUZZ_SEED else ():
        names, choices = pages[endpoint]
        for hostile in ("a\x00b", "x" * 5000, str(2 ** 63)):
            send(endpoint, url, {name: choices[name][0] if name in choices else hostile for name in names})

    @given(route=st.sampled_from(routes), data=st.data())
    def post(route, data):
        endpoint, url, _role = route
        names, choices = pages[endpoint]
        # Every field the page shows (a choice it offers, or anything), else a few of any form's.
        chosen = names or data.draw(st.lists(st.sampled_from(FIELD_NAMES), unique=True, max_size=4))
        form = {}
        for name in chosen:
            offered = choices.get(name)
            form[name] = data.draw(st.one_of(st.sampled_from(offered), VALUES) if offered else VALUES)
        send(endpoint, url, form)

    run_seeded(post, seed, PER_ROUTE * len(routes))
    assert invalid_values(app) == []


def page_token(client, url) -> str | None:
    """The form protection token a page gives this browser (None for a route with no page of its own)."""
    found = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser").select_one("input[name=csrf_token]")
    return found["value"] if found else None


@pytest.mark.parametrize("seed", fuzz_seeds())
def test_with_form_protection_on_a_post_without_its_own_token_changes_nothing(app, world, seed, monkeypatch):
    """The same forms as a browser sends them, with form protection on (the rest of this file turns it
    off to reach the fields): a post whose token is missing, hostile, or another browser's is refused
    with the "page expired" page and changes nothing; one with its own token never gets a server error."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    people, ids = world
    routes = targets(app, ids)
    clients, pages, tokens = {}, {}, {}
    stranger = app.test_client()
    strangers_token = page_token(stranger, "/sign-in")
    for endpoint, url, role in routes:
        client = app.test_client()
        if role is not None:
            sign_in_as(client, people[role])
        clients[endpoint], pages[endpoint] = client, shown_fields(client, url)
        tokens[endpoint] = page_token(client, url) or page_token(client, "/sign-in")
    assert strangers_token and all(tokens.values())

    def send(endpoint, url, form, own_token: bool):
        before = row_counts(app)
        response = clients[endpoint].post(url, data=form)
        assert response.status_code < 500, (endpoint, form, response.get_data(as_text=True)[:300])
        if not own_token:
            assert response.status_code == 400 and b"govuk-error-summary" not in response.data, (endpoint, form)
            assert row_counts(app) == before, ("a post without its token changed something", endpoint, form)

    for endpoint, url, _role in routes if seed == FUZZ_SEED else ():
        names, choices = pages[endpoint]
        valid = {name: choices[name][0] if name in choices else "x" for name in names}
        for token in (None, "", "a\x00b", "x" * 5000, strangers_token, tokens[endpoint] + "x"):
            send(endpoint, url, valid if token is None else {**valid, "csrf_token": token}, own_token=False)

    @given(route=st.sampled_from(routes), data=st.data())
    def post(route, data):
        endpoint, url, _role = route
        names, choices = pages[endpoint]
        form = {name: data.draw(st.one_of(st.sampled_from(choices[name]), VALUES) if name in choices else VALUES)
                for name in names}
        token = data.draw(st.one_of(st.just(tokens[endpoint]), st.just(strangers_token), VALUES))
        send(endpoint, url, {**form, "csrf_token": token}, own_token=token == tokens[endpoint])

    run_seeded(post, seed, PER_ROUTE * len(routes))
    assert invalid_values(app) == []
