"""Event field rules: required fields, case-insensitive enums, clear messages."""

import pytest

from townhall.domain.errors import ValidationFailed
from townhall.domain.event_fields import AttendanceType, EventType, normalize

BASE = {
    "name": "Town hall", "timezone": "America/New_York", "event_type": "simple_event",
    "access_level": "private_unrestricted", "hub_id": "h" * 22, "attendance_type": "VIRTUAL", "meeting_type": "webinar",
}


def test_enums_are_accepted_in_any_case():
    out = normalize(BASE, creating=True)
    assert out["event_type"] is EventType.SIMPLE_EVENT
    assert out["attendance_type"] is AttendanceType.VIRTUAL
    assert normalize({"attendance_type": "IN_PERSON"}, creating=False)["attendance_type"] is AttendanceType.IN_PERSON


def test_description_is_optional_as_the_tutorial_sends_none():
    assert "description" not in normalize(BASE, creating=True)


def test_all_problems_are_reported_together():
    with pytest.raises(ValidationFailed) as info:
        normalize({**BASE, "name": None, "timezone": "Nowhere/Land", "meeting_type": "BROADCAST"}, creating=True)
    fields = {e.field for e in info.value.errors}
    assert fields == {"name", "timezone", "meeting_type"}
    assert any("Nowhere/Land" in e.message for e in info.value.errors)


def test_simple_event_needs_a_meeting_type():
    with pytest.raises(ValidationFailed) as info:
        normalize({**BASE, "meeting_type": None}, creating=True)
    assert [e.field for e in info.value.errors] == ["meeting_type"]


def test_unknown_category_is_refused():
    with pytest.raises(ValidationFailed):
        normalize({"categories": ["Gardening"]}, creating=False)
