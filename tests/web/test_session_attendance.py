"""Sessions of a live conference: opened from the event's room, counted, reported; on-site check-in."""

from sqlalchemy import select

from townhall.storage.models import Registrant
from tests.factories import event_fields

# Two sessions of the factories' conference (2026-07-01 15:00-16:30 UTC).
TALK = {"name": "Talk", "start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T15:45:00Z", "timezone": "UTC", "type": 2}
LATER = {**TALK, "name": "Later", "start_time": "2026-07-01T16:00:00Z", "end_time": "2026-07-01T16:30:00Z"}


def test_opening_a_session_from_the_room_records_attendance(tenant, http, clock, db):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, event_type="CONFERENCE", attendance_type="hybrid",
                                                   physical_location="Hall A"))["event_id"]
    base = f"/zoom_events/events/{event}"
    talk = tenant.sdk.request("POST", f"{base}/sessions", json=TALK)["session_id"]
    later = tenant.sdk.request("POST", f"{base}/sessions", json=LATER)["session_id"]
    tenant.sdk.publish_event(event)
    tenant.sdk.request("POST", f"{base}/tickets", json={"tickets": [
        {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"},
        {"email": "grace@example.com", "first_name": "Grace", "last_name": "Hopper"}]})
    with db.read() as session:
        token = session.scalar(select(Registrant.join_token).where(Registrant.event_id == event, Registrant.email == "ada@example.com"))
    clock.set(clock.now().replace(year=2026, month=7, day=1, hour=15, minute=10))
    room = http.get(f"/j/{token}", follow_redirects=True)
    assert room.status_code == 200 and "Talk" in room.text and f"/room/session/{talk}?t={token}" in room.text
    inside = http.get(f"/event/{event}/room/session/{talk}", params={"t": token})
    assert inside.status_code == 200 and "You are in this session" in inside.text
    early = http.get(f"/event/{event}/room/session/{later}", params={"t": token})
    assert "has not started yet" in early.text
    assert http.get(f"/event/{event}/room/session/{talk}", params={"t": "not-a-token"}).status_code in (303, 404)
    attendees = tenant.sdk.request("GET", f"{base}/sessions/{talk}/attendees")
    assert attendees["attendees"] == [{"email": "ada@example.com", "authentication_method": "no_auth"}]
    assert tenant.sdk.request("GET", f"{base}/sessions/{later}/attendees")["total_records"] == 0
    # Grace arrives at the venue and is checked in to the talk at the door.
    answer = tenant.sdk.request("PATCH", f"{base}/sessions/{talk}/attendee_action", json={
        "attendees": [{"email": "grace@example.com", "action": "check-in"}], "source": "door-2"})
    assert answer == {"errors": []}
    assert tenant.sdk.request("GET", f"{base}/sessions/{talk}/attendee_action")["attendees"] == [
        {"email": "grace@example.com", "source": "door-2", "action": "check-in"}]
    clock.advance(minutes=20)
    report = {a["email"]: a for a in tenant.sdk.request("GET", f"{base}/reports/sessions/{talk}/attendance")["attendees"]}
    assert report["ada@example.com"]["session_attendance"] == "yes" and report["ada@example.com"]["attendance_type"] == "virtual"
    assert report["ada@example.com"]["start_time"] == "2026-07-01T15:10:00Z"
    assert report["grace@example.com"]["attendance_type"] == "hybrid" and report["grace@example.com"]["check_in_method"] == "api"
    later_report = tenant.sdk.request("GET", f"{base}/reports/sessions/{later}/attendance")["attendees"]
    assert {a["session_attendance"] for a in later_report} == {"no"}
