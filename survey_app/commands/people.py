"""`survey sites|staff|keys|audit …`: the people side, from a shell."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from survey_app.domain.access import ROLES
from survey_app.domain.audit_chain import BadAnchor, anchor_line, read_anchor
from survey_app.services import audit, records, sites as site_service, staff as staff_service
from survey_app.services.audit import COMMAND_LINE
from survey_app.services.refusal import Refused
from survey_app.store.crypto import new_key


def _session():
    return current_app.extensions["survey_sessions"]()


sites = AppGroup("sites", help="Sites (boroughs) where the programme runs.")


@sites.command("add")
@click.argument("name")
def sites_add(name: str) -> None:
    """Add a site (a name already in use is refused, as on the admin's page)."""
    with _session() as session:
        try:
            site = site_service.add_site(session, name, COMMAND_LINE)
        except Refused as refusal:
            raise click.ClickException(str(refusal)) from None
        click.echo(f"Added site {site.name}.")


@sites.command("list")
def sites_list() -> None:
    """List sites."""
    with _session() as session:
        for site in site_service.all_sites(session):
            click.echo(f"{site.id}\t{site.name}{'' if site.active else ' (inactive)'}")


staff = AppGroup("staff", help="Staff accounts: invite, change role, deactivate, reset links.")


@staff.command("invite")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--site", "site_names", multiple=True, help="A site name; repeat for several.")
def staff_invite(email: str, name: str, role: str, site_names: tuple[str, ...]) -> None:
    """Create an account and print a one-time link for its owner to set a password."""
    with _session() as session:
        site_ids, unknown = site_service.site_ids(session, site_names)
        if unknown:
            raise click.ClickException(f"Unknown site(s): {', '.join(unknown)}. See `survey sites list`.")
        try:
            invited = staff_service.invite(session, email=email, name=name, role=role, site_ids=site_ids,
                                           actor=COMMAND_LINE)
        except Refused as refusal:
            raise click.ClickException(f"{email}: {refusal}.") from None
    click.echo(f"Invited {email} as {role}. Send them this link (valid 24 hours, once):")
    click.echo(f"  /set-password/{invited.token}")


@staff.command("reset-link")
@click.argument("email")
@click.option("--codes", is_flag=True, help="A link to set up new sign-in codes instead of a new password.")
def staff_reset_link(email: str, codes: bool) -> None:
    """Print a one-time link (valid 24 hours) for a member of staff to set a new password, or new sign-in
    codes; the same use case as the admin's staff page, so earlier unused links stop working."""
    with _session() as session:
        person = staff_service.by_email(session, email)
        if person is None:
            raise click.ClickException(f"No account for {email}.")
        try:
            token = staff_service.reset_link(session, person.id, staff_service.CODES if codes else
                                             staff_service.PASSWORD, COMMAND_LINE)
        except Refused as refusal:
            raise click.ClickException(f"{email}: {refusal}.") from None
    click.echo(f"/reset-sign-in-codes/{token}" if codes else f"/set-password/{token}")


@staff.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def staff_set_role(email: str, role: str) -> None:
    """Change a member of staff's role."""
    _change_staff(email, role=role)
    click.echo(f"{email} is now {role}.")


@staff.command("deactivate")
@click.argument("email")
def staff_deactivate(email: str) -> None:
    """Stop an account from signing in; its sessions end at their next request."""
    _change_staff(email, active=False)
    click.echo(f"{email} can no longer sign in.")


def _change_staff(email: str, **changes) -> None:
    """The same use case as the admin's staff page, so the change is audited the same way."""
    with _session() as session:
        person = staff_service.by_email(session, email)
        if person is None:
            raise click.ClickException(f"No account for {email}.")
        staff_service.change_staff(session, person.id, COMMAND_LINE, **changes)


@staff.command("list")
def staff_list() -> None:
    """List staff accounts with role and sites."""
    with _session() as session:
        for person in staff_service.staff_list(session):
            sites_text = ", ".join(site.name for site in person.sites) or "-"
            click.echo(f"{person.email}\t{person.role}\t{sites_text}\t{'active' if person.active else 'inactive'}")


keys = AppGroup("keys", help="Master keys for the record stores.")


@keys.command("new", with_appcontext=False)
def keys_new() -> None:
    """Print a fresh key to put first in SURVEY_<STORE>_KEYS."""
    click.echo(new_key())


@keys.command("rotate")
def keys_rotate() -> None:
    """Re-wrap every person's key under the newest master key (safe while the app runs)."""
    with _session() as session:
        counts = records.rotate_keys(session, records.keyrings(current_app.config))
    for store, count in counts.items():
        click.echo(f"{store}: {count} key(s) re-wrapped under the newest master key.")
    click.echo("When every store shows 0 on a second run, older keys can be removed from configuration.")


audit_group = AppGroup("audit", help="The tamper-evident audit log.")


@audit_group.command("verify")
@click.option("--anchor", "anchor_file", type=click.Path(exists=True, dir_okay=False),
              help="A file of anchors (`survey audit anchor --append`): the log must still extend each.")
def audit_verify(anchor_file: str | None) -> None:
    """Re-compute the hash chain; exit 1 naming the first bad entry, or the anchor the log no longer
    extends (entries deleted, the newest cut off, or the chain rewritten)."""
    anchors = _read_anchors(anchor_file, _anchor_key()) if anchor_file else []
    with _session() as session:
        problem = audit.verify_log(session, anchors)
        count = audit.newest_sequence(session)
    if problem:
        click.echo(f"The audit log has been tampered with: {problem}.")
        sys.exit(1)
    anchored = f", and it extends every anchor in {anchor_file} ({len(anchors)})" if anchor_file else ""
    click.echo(f"{count} entries; the chain is intact{anchored}.")


def _anchor_key() -> bytes:
    key = current_app.config.get("SURVEY_AUDIT_ANCHOR_KEY")
    if not key:
        raise click.ClickException("SURVEY_AUDIT_ANCHOR_KEY is not set: anchors are signed with a key kept outside "
                                   "the database. Make one with "
                                   "`python3 -c 'import secrets; print(secrets.token_hex(32))'`.")
    return key.encode("utf-8")


@audit_group.command("anchor")
@click.option("--append", "append_to", type=click.Path(dir_okay=False),
              help="Also append the anchor to this file (kept away from the database server).")
def audit_anchor(append_to: str | None) -> None:
    """Print the log's head (entry count and hash), signed with the anchor key: one line of JSON.
    Keep it outside the database; `survey audit verify --anchor FILE` then catches a log that was
    emptied, cut short or rewritten since. A log that does not verify is not anchored (exit 1)."""
    key = _anchor_key()
    with _session() as session:
        problem = audit.verify_log(session)
        if problem:
            click.echo(f"The audit log has been tampered with: {problem}. Not anchored.")
            sys.exit(1)
        line = anchor_line(audit.head_anchor(session), key)
    if append_to:
        with open(append_to, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    click.echo(line)


def _read_anchors(path: str, key: bytes) -> list:
    anchors = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                anchors.append(read_anchor(line, key))
            except BadAnchor as bad:
                click.echo(f"{path}, line {number}: {bad}.")
                sys.exit(1)
    return anchors
