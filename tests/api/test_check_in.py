"""On-site check-in through attendee_action: who has an on-site ticket, and attendance recorded."""

import pytest

from townhall.client import ZoomEventsError
from tests.factories import event_fields


def _event(tenant, attendance_type):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, attendance_type=attendance_type, physical_location="Main St 1"))["event_id"]
    tenant.sdk.publish_event(event)
    tenant.sdk.request("POST", f"/zoom_events/events/{event}/tickets", json={"tickets": [
        {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"},
        {"email": "grace@example.com", "first_name": "Grace", "last_name": "Hopper"}]})
    return event


def _check_in(tenant, event, *emails, source="door-1"):
    return tenant.sdk.request("PATCH", f"/zoom_events/events/{event}/attendee_action", json={
        "attendees": [{"email": e, "action": "check-in"} for e in emails], "source": source})


def test_check_in_is_listed_and_counts_as_attendance(tenant):
    event = _event(tenant, "hybrid")
    assert _check_in(tenant, event, "ADA@example.com", "nobody@example.com") == {
        "errors": [{"email": "nobody@example.com", "message": "No registration for this email address."}]}
    listed = tenant.sdk.request("GET", f"/zoom_events/events/{event}/attendee_action")
    assert listed["total_records"] == 1
    assert listed["attendees"] == [{"email": "ada@example.com", "source": "door-1", "action": "check-in"}]
    assert _check_in(tenant, event, "ada@example.com", source="door-2") == {"errors": []}  # twice is fine; the first stays
    assert tenant.sdk.request("GET", f"/zoom_events/events/{event}/attendee_action", params={"email": "ada@example.com"})[
        "attendees"][0]["source"] == "door-1"
    report = tenant.sdk.request("GET", f"/zoom_events/events/{event}/reports/event_attendance")
    assert {a["email"]: a["event_attendance"] for a in report["attendees"]} == {"ada@example.com": "attended", "grace@example.com": "absent"}


def test_virtual_tickets_cannot_check_in(tenant):
    event = _event(tenant, "virtual")
    assert _check_in(tenant, event, "ada@example.com")["errors"] == [
        {"email": "ada@example.com", "message": "User doesn't have an on-site ticket"}]


def test_unknown_event_answers_2003_as_zoom_does(tenant):
    with pytest.raises(ZoomEventsError) as info:
        _check_in(tenant, "AAAAAAAAAAAAAAAAAAAAAA", "ada@example.com")
    assert (info.value.status, info.value.code) == (404, 2003)


def test_bad_actions_are_validation_errors(tenant):
    event = _event(tenant, "in-person")
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("PATCH", f"/zoom_events/events/{event}/attendee_action", json={
            "attendees": [{"email": "ada@example.com", "action": "teleport"}]})
    assert info.value.code == 300 and info.value.errors[0]["field"] == "attendees[0].action"
