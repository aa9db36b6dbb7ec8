"""Records at rest: contact details are unreadable in the database, keys rotate, keys can be destroyed."""

from __future__ import annotations


import pytest
from cryptography.fernet import InvalidToken

from survey_app.services import records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.crypto import Keyring, new_key
from tests.helpers import raw_bytes
from tests.factories import create_record, create_site, keyring

NAME, PHONE = "Zephyrine Quillfeather", "07700 900461"


def test_names_and_numbers_are_not_in_the_database_in_readable_form(app, session):
    site = create_site(session)
    ring = keyring()
    su = create_record(session, ring, "service_user", site, name=NAME, phone=PHONE)
    vs = create_record(session, ring, "victim_survivor", site, name="Marigold Ashcombe", phone="07700 900462")
    session.commit()
    stored = raw_bytes(app, session)
    assert su.study_id.encode() in stored and vs.study_id.encode() in stored, "the check must see the rows"
    for secret in (NAME, "Quillfeather", "Marigold", "7700900461", "07700 900461", "7700900462"):
        assert secret.encode() not in stored, secret
    assert records.contact_details(session, ring, su, COMMAND_LINE) == {"name": NAME, "phone": "+447700900461"}


def test_one_stores_key_opens_nothing_in_the_other(session):
    site = create_site(session)
    service_user_ring, victim_survivor_ring = keyring(), keyring()
    record = create_record(session, victim_survivor_ring, "victim_survivor", site)
    with pytest.raises(InvalidToken):
        records.contact_details(session, service_user_ring, record, COMMAND_LINE)


def test_rotation_rewraps_every_key_and_old_data_still_reads(session):
    site = create_site(session)
    old_key, new = new_key(), new_key()
    old_ring = Keyring([old_key])
    made = [create_record(session, old_ring, store, site, name=f"Person {n}") for n, store in
            enumerate(["service_user", "service_user", "victim_survivor"])]
    session.commit()
    with pytest.raises(InvalidToken):
        records.contact_details(session, Keyring([new]), made[0], COMMAND_LINE)

    during = {"service_user": Keyring([new, old_key]), "victim_survivor": Keyring([new, old_key])}
    assert records.rotate_keys(session, during) == {"service_user": 2, "victim_survivor": 1}
    assert records.rotate_keys(session, during) == {"service_user": 0, "victim_survivor": 0}

    only_new = Keyring([new])  # the old key can now be removed from configuration
    assert [records.contact_details(session, only_new, r, COMMAND_LINE)["name"] for r in made] == \
        ["Person 0", "Person 1", "Person 2"]


def test_destroying_a_persons_key_makes_their_details_unreadable(session):
    site = create_site(session)
    ring = keyring()
    record = create_record(session, ring, "service_user", site)
    wrapped, name = record.wrapped_key, record.name
    records.destroy_contact_details(session, record, COMMAND_LINE)
    session.commit()
    assert records.contact_details(session, ring, record, COMMAND_LINE) == {"name": None, "phone": None}
    # A backup taken before still holds the ciphertext, but without the data key it is noise.
    with pytest.raises(InvalidToken):
        Keyring([new_key()]).unwrap(wrapped)
    assert name is not None


def test_a_practitioner_finds_only_records_of_their_store_and_sites(session):
    from tests.factories import create_staff

    camden, croydon = create_site(session, "Camden"), create_site(session, "Croydon")
    ring = keyring()
    mine = create_record(session, ring, "service_user", camden)
    elsewhere = create_record(session, ring, "service_user", croydon)
    partner = create_record(session, ring, "victim_survivor", camden)
    case_manager = create_staff(session, "case_manager", sites=[camden])
    session.commit()
    assert records.visible_records(session, case_manager) == [mine]
    assert records.find(session, case_manager, "service_user", mine.study_id) is mine
    assert records.find(session, case_manager, "service_user", elsewhere.study_id) is None
    assert records.find(session, case_manager, "victim_survivor", partner.study_id) is None
    assert records.find(session, case_manager, "service_user", "not-an-id") is None
