"""`survey sites` and `survey staff` do what the admin's pages do, through the same use cases."""

from __future__ import annotations

from sqlalchemy import select

from survey_app.cli import main
from survey_app.store.audit import AuditEntry
from survey_app.store.staff import Site
from tests.factories import create_site, create_staff, sign_in_as


def test_a_duplicate_site_is_refused_from_the_command_line_as_on_the_page(app, session):
    cli = app.test_cli_runner()
    assert cli.invoke(main, ["sites", "add", "Sutton"]).exit_code == 0
    again = cli.invoke(main, ["sites", "add", " Sutton "])
    assert again.exit_code == 1
    assert "There is already a site with this name" in again.output
    assert session.scalars(select(Site.name)).all() == ["Sutton"]


def test_a_role_change_is_audited_the_same_way_from_the_page_and_the_command_line(app, client, session):
    site = create_site(session)
    admin = create_staff(session, "admin")
    by_page = create_staff(session, "case_manager", email="page@example.org", sites=[site])
    by_command = create_staff(session, "case_manager", email="command@example.org", sites=[site])
    session.commit()
    sign_in_as(client, admin)
    client.post(f"/admin/staff/{by_page.id}", data={"role": "partner_support_worker", "sites": [site.id],
                                                    "status": "active"})
    app.test_cli_runner().invoke(main, ["staff", "set-role", "command@example.org", "partner_support_worker"])
    entries = session.scalars(select(AuditEntry).where(AuditEntry.subject.in_(
        [f"staff:{by_page.id}", f"staff:{by_command.id}"]), AuditEntry.action != "staff.create")).all()
    assert [(e.action, e.detail) for e in entries] == [
        ("staff.update", f'{{"active":true,"role":"partner_support_worker","sites":[{site.id}]}}')] * 2


def test_an_address_with_an_account_is_not_invited_again(app, session):
    create_staff(session, "case_manager", email="sam@example.org")
    session.commit()
    result = app.test_cli_runner().invoke(main, ["staff", "invite", "Sam@Example.org", "--name", "Sam",
                                                 "--role", "admin"])
    assert result.exit_code == 1 and "already has an account" in result.output


def test_reset_links_from_the_command_line_use_the_admins_rules(app, session):
    create_staff(session, "case_manager", email="sam@example.org")
    session.commit()
    cli = app.test_cli_runner()
    password = cli.invoke(main, ["staff", "reset-link", "sam@example.org"])
    assert password.exit_code == 0 and password.output.startswith("/set-password/")
    assert app.test_client().get(password.output.strip()).status_code == 200
    codes = cli.invoke(main, ["staff", "reset-link", "sam@example.org", "--codes"])
    assert codes.exit_code == 1
    assert "has not set up sign-in codes" in codes.output
    assert "No account for nobody@example.org" in cli.invoke(main, ["staff", "reset-link", "nobody@example.org"]).output
