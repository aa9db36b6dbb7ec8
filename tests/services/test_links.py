"""A participant's link is built in one place, and leads to the participant's way in."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from survey_app.services.links import participant_link


@pytest.mark.parametrize("base_url", ["https://answers.example.org", "https://answers.example.org/"])
def test_a_built_link_is_the_participant_way_in_under_the_public_address(app, base_url):
    link = participant_link(base_url, "Tok3n_-x")
    assert link == "https://answers.example.org/q/Tok3n_-x"
    endpoint, arguments = app.url_map.bind("answers.example.org").match(urlparse(link).path)
    assert (endpoint, arguments) == ("participant.entry", {"token": "Tok3n_-x"})

