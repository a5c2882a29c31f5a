"""Conference sessions: the agenda, its page, join tokens and seat reservations."""

import pytest

from townhall.client import ZoomEventsError
from tests.factories import event_fields

# The conference of the factories runs 2026-07-01 15:00-16:30 UTC (11:00-12:30 in New York).
KEYNOTE = {"name": "Keynote", "start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T15:45:00Z",
           "timezone": "America/New_York", "type": 2}


@pytest.fixture
def conference(tenant):
    return tenant.sdk.create_event(**event_fields(tenant.hub_id, event_type="CONFERENCE"))["event_id"]


def _fails(call, status, code):
    with pytest.raises(ZoomEventsError) as info:
        call()
    assert (info.value.status, info.value.code) == (status, code)
    return info.value


def test_session_lifecycle_and_ids_once_published(tenant, conference):
    path = f"/zoom_events/events/{conference}/sessions"
    speaker = tenant.sdk.request("POST", f"/zoom_events/events/{conference}/speakers", json={"name": "Ada Lovelace"})["speaker_id"]
    created = tenant.sdk.request("POST", path, json={**KEYNOTE, "session_speakers": [{"speaker_id": speaker}],
                                                     "track_labels": ["Main stage"]})
    session = created["session_id"]
    assert created["session_speakers"][0]["speaker_id"] == speaker and created["track_labels"] == ["Main stage"]
    assert "webinar_id" not in created  # a draft's sessions have no Zoom ids yet
    tenant.sdk.request("PATCH", f"{path}/{session}", json={"name": "Opening keynote", "featured": True})
    fetched = tenant.sdk.request("GET", f"{path}/{session}")
    assert fetched["name"] == "Opening keynote" and fetched["featured"] is True and fetched["visible_in_landing_page"] is True
    tenant.sdk.publish_event(conference)
    assert isinstance(tenant.sdk.request("GET", f"{path}/{session}")["webinar_id"], int)
    assert tenant.sdk.request("GET", path)["total_records"] == 1
    tenant.sdk.request("DELETE", f"{path}/{session}")
    _fails(lambda: tenant.sdk.request("GET", f"{path}/{session}"), 404, 2003)


def test_sessions_are_for_conferences_and_inside_the_event(tenant, conference):
    simple = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    _fails(lambda: tenant.sdk.request("POST", f"/zoom_events/events/{simple}/sessions", json=KEYNOTE), 400, 1006)
    error = _fails(lambda: tenant.sdk.request("POST", f"/zoom_events/events/{conference}/sessions", json={
        **KEYNOTE, "end_time": "2026-07-01T18:00:00Z", "type": 3, "session_speakers": [{"speaker_id": "nobody"}]}), 400, 300)
    assert {e["field"] for e in error.errors} == {"start_time", "type", "session_speakers[0].speaker_id"}


def test_reservations_hold_to_max_capacity(tenant, conference):
    path = f"/zoom_events/events/{conference}/sessions"
    session = tenant.sdk.request("POST", path, json={**KEYNOTE, "session_reservation": {"allow_reservations": True, "max_capacity": 1}})["session_id"]
    tenant.sdk.publish_event(conference)
    tenant.sdk.request("POST", f"/zoom_events/events/{conference}/tickets", json={"tickets": [
        {"email": "ada@example.com", "first_name": "Ada", "last_name": "L"}, {"email": "alan@example.com", "first_name": "Alan", "last_name": "T"}]})
    reservations = f"{path}/{session}/reservations"
    tenant.sdk.request("POST", reservations, json={"email": "ada@example.com"})
    tenant.sdk.request("POST", reservations, json={"email": "ada@example.com"})  # again: nothing changes
    _fails(lambda: tenant.sdk.request("POST", reservations, json={"email": "alan@example.com"}), 400, 26306)
    _fails(lambda: tenant.sdk.request("POST", reservations, json={"email": "stranger@example.com"}), 400, 26309)
    assert tenant.sdk.request("GET", reservations)["reservations"] == [{"first_name": "Ada", "last_name": "L", "email": "ada@example.com"}]
    tenant.sdk.request("DELETE", reservations, json={"email": "ada@example.com"})
    _fails(lambda: tenant.sdk.request("DELETE", reservations, json={"email": "ada@example.com"}), 400, 26311)
    tenant.sdk.request("POST", reservations, json={"email": "alan@example.com"})  # the freed seat
    tenant.sdk.request("PATCH", f"{path}/{session}", json={"session_reservation": {"allow_reservations": False}})
    _fails(lambda: tenant.sdk.request("POST", reservations, json={"email": "ada@example.com"}), 400, 26307)


def test_event_page_shows_the_agenda_in_the_event_time_zone(tenant, conference, http):
    path = f"/zoom_events/events/{conference}/sessions"
    speaker = tenant.sdk.request("POST", f"/zoom_events/events/{conference}/speakers", json={"name": "Grace Hopper"})["speaker_id"]
    tenant.sdk.request("POST", path, json={**KEYNOTE, "name": "Panel", "start_time": "2026-07-01T15:45:00Z",
                                           "end_time": "2026-07-01T16:30:00Z", "session_speakers": [{"speaker_id": speaker}]})
    tenant.sdk.request("POST", path, json=KEYNOTE)
    tenant.sdk.request("POST", path, json={**KEYNOTE, "name": "Backstage", "visible_in_landing_page": False})
    tenant.sdk.publish_event(conference)
    page = http.get(f"/event/{conference}").text
    agenda = page[page.index('id="event-agenda"'):]
    assert agenda.index("Keynote") < agenda.index("Panel") and "Backstage" not in agenda
    assert "11:00 AM – 11:45 AM EDT" in agenda and "with Grace Hopper" in agenda


def test_join_token_lets_its_holder_into_the_session_room(tenant, conference, http, clock):
    path = f"/zoom_events/events/{conference}/sessions"
    session = tenant.sdk.request("POST", path, json=KEYNOTE)["session_id"]
    answer = tenant.sdk.request("GET", f"{path}/{session}/join_token")
    assert answer["code"] == 0 and answer["error_message"] == "success"
    room = http.get(f"/event/{conference}/session/{session}", params={"jt": answer["join_token"]})
    assert room.status_code == 200 and "You are in as the host" in room.text and "Keynote" in room.text
    assert http.get(f"/event/{conference}/session/{session}", params={"jt": answer["join_token"] + "x"}).status_code == 404
    clock.advance(hours=3)
    assert http.get(f"/event/{conference}/session/{session}", params={"jt": answer["join_token"]}).status_code == 404
