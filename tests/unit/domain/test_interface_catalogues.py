"""What counts as breaking a translation, and which strings participants see."""

from __future__ import annotations

from babel.messages.catalog import Message

from survey_app.domain.interface_catalogues import breakages, is_participant_facing


def test_a_translation_that_keeps_placeholders_and_markup_breaks_nothing():
    message = Message("Read <a href=\"%(url)s\">the sheet</a> (%s pages), then {link}",
                      "Darllenwch <a href=\"%(url)s\">y daflen</a> (%s tudalen), yna {link}")
    assert breakages(message) == []


def test_a_lost_tag_a_lost_positional_placeholder_and_a_literal_percent_are_told_apart():
    message = Message("Read <strong>%s</strong> of %s", "Czytaj %s z 50 % os\u00f3b")
    assert breakages(message) == [
        "'Read <strong>%s</strong> of %s': placeholder %s is missing",
        "'Read <strong>%s</strong> of %s': markup <strong> is missing",
        "'Read <strong>%s</strong> of %s': markup </strong> is missing",
    ]


def test_a_plural_form_may_leave_out_the_number_but_not_add_a_placeholder():
    message = Message(("%(num)d entry", "%(num)d entries"), ("un cofnod", "%(num)d cofnod", "%(nifer)d cofnod"))
    assert breakages(message) == ["'%(num)d entry': adds %(nifer)d"]


def test_participant_facing_strings_are_found_by_where_they_are_used():
    assert is_participant_facing(Message("Stop", locations=[("survey_app/web/participant/views.py", 3)]))
    assert is_participant_facing(Message("Error:", locations=[("survey_app/templates/admin/x.html", 1),
                                                              ("survey_app/templates/form_macros.html", 6)]))
    assert not is_participant_facing(Message("Staff", locations=[("survey_app/templates/admin/x.html", 1)]))
