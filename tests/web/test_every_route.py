"""Every route in the URL map, for every role and for a signed-out visitor, from one table.

Who may reach each page is decided in one place, survey_app/web/permissions.py, which a guard
enforces before every request. A new route missing from it is refused to everyone, and fails
`test_the_role_wall_names_every_route`; one missing from TABLE below fails
`test_the_table_covers_every_route`. So nobody can add a page without deciding who may see it.
"""

from __future__ import annotations

import pytest

from survey_app import create_app
from survey_app.services import invitations, records
from survey_app.services.audit import COMMAND_LINE
from survey_app.web.permissions import ACCESS, EVERYONE, who_may_reach
from tests.factories import create_record, create_site, create_staff, sign_in_as

VISITORS = ("signed_out", "admin", "evaluator", "case_manager", "partner_support_worker")
ADMIN_ONLY = (302, 200, 403, 403, 403)
EVALUATOR_ONLY = (302, 403, 200, 403, 403)
# (endpoint, method, url arguments, expected status for each of VISITORS)
TABLE = [
    ("main.index", "GET", {}, (200, 200, 200, 200, 200)),
    ("static", "GET", {"filename": "favicon.svg"}, (200, 200, 200, 200, 200)),
    ("auth.sign_in", "GET", {}, (200, 200, 200, 200, 200)),
    ("auth.code", "GET", {}, (302, 302, 302, 302, 302)),
    ("auth.set_up_code", "GET", {}, (302, 302, 302, 302, 302)),
    ("auth.sign_out", "POST", {}, (302, 302, 302, 302, 302)),
    ("auth.signed_out", "GET", {}, (200, 200, 200, 200, 200)),
    ("auth.forgotten_password", "GET", {}, (200, 200, 200, 200, 200)),
    ("auth.add_code", "GET", {}, (302, 200, 200, 200, 200)),
    ("auth.set_password", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("auth.reset_codes", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("participant.entry", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("participant.entry", "GET", {"token": "TOKEN"}, (200, 200, 200, 200, 200)),
    ("participant.leave", "GET", {}, (303, 303, 303, 303, 303)),
    ("participant.start", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("participant.start", "GET", {"token": "TOKEN"}, (302, 302, 302, 302, 302)),
    ("participant.about", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("participant.about", "GET", {"token": "TOKEN"}, (302, 302, 302, 302, 302)),
    ("participant.information", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("participant.information", "GET", {"token": "TOKEN"}, (302, 302, 302, 302, 302)),
    ("participant.language", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("participant.language", "GET", {"token": "TOKEN"}, (200, 200, 200, 200, 200)),  # before the code too: the pages' languages
    ("participant.stop", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("participant.stop", "GET", {"token": "TOKEN"}, (302, 302, 302, 302, 302)),
    ("participant.check_choices", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("participant.check_choices", "GET", {"token": "TOKEN"}, (302, 302, 302, 302, 302)),
    ("participant.reason", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("participant.reason", "GET", {"token": "TOKEN"}, (302, 302, 302, 302, 302)),
    ("participant.decided", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("participant.decided", "GET", {"token": "TOKEN"}, (302, 302, 302, 302, 302)),
    ("participant.introduction", "GET", {"token": "not-a-real-token", "instrument": "urica"}, (404,) * 5),
    ("participant.introduction", "GET", {"token": "TOKEN", "instrument": "urica"}, (302,) * 5),
    ("participant.question", "GET", {"token": "not-a-real-token", "instrument": "urica", "number": 1}, (404,) * 5),
    ("participant.question", "GET", {"token": "TOKEN", "instrument": "urica", "number": 1}, (302,) * 5),
    ("participant.check_answers", "GET", {"token": "not-a-real-token"}, (404,) * 5),
    ("participant.check_answers", "GET", {"token": "TOKEN"}, (302,) * 5),
    ("participant.thank_you", "GET", {}, (404,) * 5),
    ("participant.ready", "GET", {"token": "not-a-real-token"}, (404, 404, 404, 404, 404)),
    ("participant.ready", "GET", {"token": "TOKEN"}, (302, 302, 302, 302, 302)),
    ("participant.statement", "GET", {"token": "not-a-real-token", "statement_id": "questionnaires"},
     (404, 404, 404, 404, 404)),
    ("participant.statement", "GET", {"token": "TOKEN", "statement_id": "questionnaires"}, (302, 302, 302, 302, 302)),
    ("practitioner.caseload", "GET", {}, (302, 403, 403, 200, 200)),
    ("practitioner.new_link", "POST", {"store_url": "service-users", "study_id": "SU"}, (302, 403, 403, 302, 404)),
    # Nothing waiting to be shown: back to the record.
    ("practitioner.link_ready", "GET", {"store_url": "service-users", "study_id": "SU"}, (302, 403, 403, 302, 404)),
    ("practitioner.link_ready", "GET", {"store_url": "service-users", "study_id": "SU_ELSEWHERE"},
     (302, 403, 403, 404, 404)),
    # Before the link is revoked below. Without consent in force, the assisted pages send the practitioner back to the record.
    ("practitioner.assisted_start", "GET", {"store_url": "service-users", "study_id": "SU", "link_id": "LINK",
                                            "mode": "screen"}, (302, 403, 403, 302, 404)),
    ("practitioner.assisted_introduction", "GET", {"store_url": "service-users", "study_id": "SU", "link_id": "LINK",
                                                   "mode": "phone", "instrument": "urica"}, (302, 403, 403, 302, 404)),
    ("practitioner.assisted_question", "GET", {"store_url": "service-users", "study_id": "SU", "link_id": "LINK",
                                               "mode": "phone", "instrument": "urica", "number": 1},
     (302, 403, 403, 302, 404)),
    ("practitioner.assisted_check", "GET", {"store_url": "service-users", "study_id": "SU", "link_id": "LINK",
                                            "mode": "phone"}, (302, 403, 403, 302, 404)),
    # A shared screen's id means something only in the session that made it.
    ("practitioner.screen_introduction", "GET", {"screen_id": "not-a-screen", "instrument": "urica"},
     (302, 403, 403, 404, 404)),
    ("practitioner.screen_question", "GET", {"screen_id": "not-a-screen", "instrument": "urica", "number": 1},
     (302, 403, 403, 404, 404)),
    ("practitioner.screen_check", "GET", {"screen_id": "not-a-screen"}, (302, 403, 403, 404, 404)),
    ("practitioner.assisted_pause", "GET", {"store_url": "service-users", "study_id": "SU", "link_id": "LINK",
                                            "mode": "phone"}, (302, 403, 403, 302, 404)),
    ("practitioner.screen_pause", "GET", {"screen_id": "not-a-screen"}, (302, 403, 403, 404, 404)),
    ("practitioner.assisted_start", "GET", {"store_url": "service-users", "study_id": "SU_ELSEWHERE", "link_id": "LINK",
                                            "mode": "screen"}, (302, 403, 403, 404, 404)),
    ("practitioner.revoke_link", "POST", {"store_url": "service-users", "study_id": "SU", "invitation_id": "LINK"},
     (302, 403, 403, 302, 404)),
    ("practitioner.revoke_link", "POST", {"store_url": "service-users", "study_id": "SU_ELSEWHERE",
                                          "invitation_id": "LINK"}, (302, 403, 403, 404, 404)),
    ("practitioner.reopen_link", "POST", {"store_url": "service-users", "study_id": "SU", "invitation_id": "LINK"},
     (302, 403, 403, 404, 404)),  # the link is not paused: nothing to reopen
    ("practitioner.new_record", "GET", {"store_url": "service-users"}, (302, 403, 403, 200, 404)),
    ("practitioner.new_record", "GET", {"store_url": "victim-survivors"}, (302, 403, 403, 404, 200)),
    ("practitioner.record", "GET", {"store_url": "service-users", "study_id": "SU"}, (302, 403, 403, 200, 404)),
    ("practitioner.record", "GET", {"store_url": "victim-survivors", "study_id": "VS"}, (302, 403, 403, 404, 200)),
    ("practitioner.record", "GET", {"store_url": "service-users", "study_id": "SU_ELSEWHERE"},
     (302, 403, 403, 404, 404)),
    ("practitioner.record", "GET", {"store_url": "victim-survivors", "study_id": "SU"}, (302, 403, 403, 404, 404)),
    ("practitioner.pathway", "GET", {"store_url": "service-users", "study_id": "SU"}, (302, 403, 403, 200, 404)),
    ("practitioner.pathway", "GET", {"store_url": "victim-survivors", "study_id": "VS"}, (302, 403, 403, 404, 200)),
    ("practitioner.verbal_consent", "GET", {"store_url": "service-users", "study_id": "SU"}, (302, 403, 403, 200, 404)),
    ("practitioner.verbal_consent", "GET", {"store_url": "victim-survivors", "study_id": "VS"},
     (302, 403, 403, 404, 200)),
    ("practitioner.verbal_consent", "GET", {"store_url": "service-users", "study_id": "SU_ELSEWHERE"},
     (302, 403, 403, 404, 404)),
    ("practitioner.record_stop", "GET", {"store_url": "service-users", "study_id": "SU"}, (302, 403, 403, 200, 404)),
    ("practitioner.record_stop", "GET", {"store_url": "victim-survivors", "study_id": "VS"},
     (302, 403, 403, 404, 200)),
    ("practitioner.information_sheet", "GET", {"audience": "victim_survivor", "language": "en"},
     (302, 403, 403, 200, 200)),
    ("practitioner.information_sheet", "GET", {"audience": "service_user", "language": "xx"},
     (302, 403, 403, 404, 404)),
    ("admin.index", "GET", {}, ADMIN_ONLY),
    ("admin.sites", "GET", {}, ADMIN_ONLY),
    ("admin.staff_list", "GET", {}, ADMIN_ONLY),
    ("admin.invite", "GET", {}, ADMIN_ONLY),
    ("practitioner.safe_contact", "GET", {"store_url": "service-users", "study_id": "SU"}, (302, 403, 403, 200, 404)),
    ("practitioner.safe_contact", "GET", {"store_url": "service-users", "study_id": "SU_ELSEWHERE"},
     (302, 403, 403, 404, 404)),
    # Only Twilio may call it, and only with a valid signature.
    ("webhooks.twilio_status", "POST", {}, (403, 403, 403, 403, 403)),
    ("admin.staff_member", "GET", {"staff_id": "CASE_MANAGER"}, ADMIN_ONLY),
    ("admin.reset_link", "GET", {"staff_id": "CASE_MANAGER", "purpose": "password"}, ADMIN_ONLY),
    ("admin.targets", "GET", {}, ADMIN_ONLY),
    ("admin.audit_log", "GET", {}, ADMIN_ONLY),
    ("admin.texts", "GET", {}, ADMIN_ONLY),
    ("admin.text_wording", "GET", {"kind": "reminder", "language": "en"}, ADMIN_ONLY),
    ("admin.text_wording", "GET", {"kind": "reminder", "language": "xx"}, (302, 404, 403, 403, 403)),
    ("admin.translations", "GET", {}, ADMIN_ONLY),
    ("admin.check_translation", "POST", {}, ADMIN_ONLY),  # no file: the list again, with the error
    ("admin.publish_translation", "POST", {}, ADMIN_ONLY),  # nothing to publish: the list again
    ("evaluator.index", "GET", {}, EVALUATOR_ONLY),
    ("evaluator.plan", "GET", {}, EVALUATOR_ONLY),
    ("evaluator.datasets", "GET", {}, EVALUATOR_ONLY),
    ("evaluator.add_barrier", "POST", {}, EVALUATOR_ONLY),  # an empty form: shown again with its errors
    ("evaluator.barrier", "GET", {"barrier_id": 999}, (302, 403, 404, 403, 403)),
    ("evaluator.remove_barrier", "POST", {"barrier_id": 999}, (302, 403, 404, 403, 403)),
]


@pytest.fixture
def world(app):
    """Two sites; one person per role; a record in each store at the practitioners' site, and one elsewhere."""
    with app.extensions["survey_sessions"]() as session:
        camden, croydon = create_site(session, "Camden"), create_site(session, "Croydon")
        people = {role: create_staff(session, role, sites=[camden] if "_" in role else [])
                  for role in VISITORS[1:]}
        ring = records.keyrings(app.config)
        own = create_record(session, ring["service_user"], "service_user", camden)
        link = invitations.create(session, own, "T1", COMMAND_LINE, None, with_code=True)
        ids = {"SU": own.study_id, "TOKEN": link.token, "LINK": link.invitation.id,
               "VS": create_record(session, ring["victim_survivor"], "victim_survivor", camden).study_id,
               "SU_ELSEWHERE": create_record(session, ring["service_user"], "service_user", croydon).study_id,
               "CASE_MANAGER": people["case_manager"].id}
        session.commit()
        return {"people": people, "ids": ids}


def test_the_table_covers_every_route(app):
    in_map = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    in_table = {(endpoint, method) for endpoint, method, _, _ in TABLE}
    # POST handlers share their GET row: the same guard runs before either.
    in_map = {(e, m) for e, m in in_map if not (m == "POST" and (e, "GET") in in_map)}
    assert in_map == in_table


def test_the_role_wall_names_every_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {e for e in endpoints if who_may_reach(e) is None} == set()
    assert set(ACCESS) - endpoints - set(app.blueprints) == set(), "rules for pages that no longer exist"


def test_the_table_agrees_with_the_role_wall():
    """Pages kept for some roles send a signed-out visitor to sign in and refuse every other role."""
    for endpoint, _method, _arguments, expected in TABLE:
        allowed = who_may_reach(endpoint)
        if allowed == EVERYONE:
            continue
        assert expected[0] == 302, endpoint
        for visitor, status in zip(VISITORS[1:], expected[1:]):
            assert (status == 403) == (visitor not in allowed), (endpoint, visitor)


def test_a_page_missing_from_the_role_wall_is_refused_to_everyone(app):
    with app.extensions["survey_sessions"]() as session:
        admin = create_staff(session, "admin")
        session.commit()
    other = create_app({key: app.config[key] for key in ("TESTING", "SURVEY_DATABASE_URL", "SECRET_KEY")})
    other.add_url_rule("/admin/surprise", "admin.surprise", lambda: "a page nobody decided about")
    client = other.test_client()
    assert client.get("/admin/surprise").status_code == 302
    sign_in_as(client, admin)
    assert client.get("/admin/surprise").status_code == 403
    other.extensions["survey_engine"].dispose()


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_route_answers_each_visitor_as_the_table_says(app, world, visitor):
    from flask import url_for

    client = app.test_client()
    if visitor != "signed_out":
        sign_in_as(client, world["people"][visitor])
    outcomes = []
    for endpoint, method, arguments, expected in TABLE:
        arguments = {k: world["ids"].get(v, v) for k, v in arguments.items()}
        with app.test_request_context():
            url = url_for(endpoint, **arguments)
        response = client.open(url, method=method)
        outcomes.append((endpoint, url, response.status_code, expected[VISITORS.index(visitor)]))
        if visitor != "signed_out" and endpoint in ("auth.sign_out", "participant.leave"):  # both end the session
            sign_in_as(client, world["people"][visitor])
    assert [o for o in outcomes if o[2] != o[3]] == []


def test_refusals_say_nothing_about_whether_a_record_exists(app, world):
    client = app.test_client()
    sign_in_as(client, world["people"]["case_manager"])
    elsewhere = client.get(f"/service-users/{world['ids']['SU_ELSEWHERE']}")
    made_up = client.get("/service-users/2222-2222")
    other_store = client.get(f"/victim-survivors/{world['ids']['VS']}")
    assert elsewhere.status_code == made_up.status_code == other_store.status_code == 404
    bodies = {r.get_data(as_text=True).split('id="main-content"')[1].split("</main>")[0]
              for r in (elsewhere, made_up, other_store)}
    assert len(bodies) == 1
