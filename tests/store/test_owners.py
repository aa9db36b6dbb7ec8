"""Tables keyed by a person name them through one helper, whichever store the person is in."""

from __future__ import annotations

import pytest

from survey_app.store.answers import Administration
from survey_app.store.invitations import Invitation
from survey_app.store.records import ServiceUser, VictimSurvivor


@pytest.mark.parametrize("model", [Invitation, Administration])
def test_each_store_has_its_own_owner_column(model):
    assert model.owner_column("service_user") is model.service_user_id
    assert model.owner_column("victim_survivor") is model.victim_survivor_id
    with pytest.raises(ValueError):
        model.owner_column("staff")


@pytest.mark.parametrize("model", [Invitation, Administration])
@pytest.mark.parametrize("record_model", [ServiceUser, VictimSurvivor])
def test_a_row_made_for_a_person_belongs_to_their_store(model, record_model):
    row = model(**model.owned_by(record_model(id=7)))
    assert row.store == record_model.store
    assert getattr(row, f"{record_model.store}_id") == 7
