"""A session's polls, interpreters and incoming livestream key."""

import pytest

from townhall.client import ZoomEventsError
from tests.factories import event_fields
from tests.api.test_sessions import KEYNOTE


@pytest.fixture
def session_path(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, event_type="CONFERENCE"))["event_id"]
    session = tenant.sdk.request("POST", f"/zoom_events/events/{event}/sessions", json=KEYNOTE)["session_id"]
    return f"/zoom_events/events/{event}/sessions/{session}"


POLL = {"title": "Pulse", "anonymous": True, "poll_type": 1,
        "questions": [{"name": "Useful?", "type": "single", "answers": ["Yes", "No"]}]}


def test_polls_are_replaced_and_keep_their_ids(tenant, session_path):
    tenant.sdk.request("PUT", f"{session_path}/polls", json={"polls": [POLL, {**POLL, "title": "Second"}]})
    polls = tenant.sdk.request("GET", f"{session_path}/polls")["polls"]
    assert [p["title"] for p in polls] == ["Pulse", "Second"] and polls[0]["status"] == "active"
    tenant.sdk.request("PUT", f"{session_path}/polls", json={"polls": [{**polls[1], "status": "inactive"}]})
    assert tenant.sdk.request("GET", f"{session_path}/polls") == {"total_records": 1, "polls": [{**polls[1], "status": "inactive"}]}


def test_bad_polls_are_refused_together(tenant, session_path):
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("PUT", f"{session_path}/polls", json={"polls": [
            {"id": "AAAAAAAAAAAAAAAAAAAAAA", "title": "x" * 65, "poll_type": 1, "questions": [{"name": "Q", "type": "rating_scale"}]}]})
    assert {e["field"] for e in info.value.errors} == {
        "polls[0].id", "polls[0].title", "polls[0].anonymous", "polls[0].questions[0].type"}


def test_interpreters_show_language_names(tenant, session_path):
    tenant.sdk.request("PUT", f"{session_path}/interpreters", json={"interpreters": [
        {"email": "jp@example.com", "type": 1, "source_language_id": "US", "target_language_id": "JP"},
        {"email": "asl@example.com", "type": 2, "target_language_id": "ASE"}]})
    found = tenant.sdk.request("GET", f"{session_path}/interpreters")["interpreters"]
    assert found[0]["target_language_display_name"] == "Japanese" and found[0]["source_language_display_name"] == "English"
    assert found[1] == {"email": "asl@example.com", "type": 2, "target_language_id": "ASE", "target_language_display_name": "American Sign Language"}
    with pytest.raises(ZoomEventsError):
        tenant.sdk.request("PUT", f"{session_path}/interpreters", json={"interpreters": [
            {"email": "jp@example.com", "type": 1, "source_language_id": "US", "target_language_id": "ASE"}]})


def test_livestream_key_is_generated_once_and_only_for_webinars(tenant, session_path):
    assert tenant.sdk.request("GET", f"{session_path}/livestream") == {"incoming_enabled": False}
    enable = {"incoming_enabled": True, "incoming_config": {"stream_key_type": "GENERATED"}}
    tenant.sdk.request("PATCH", f"{session_path}/livestream", json=enable)
    first = tenant.sdk.request("GET", f"{session_path}/livestream")
    config = first["incoming_config"]
    assert first["incoming_enabled"] is True and config["stream_url"] == "rtmp://testserver/live"
    assert config["effective_time"] == "2026-07-01T14:00:00Z" and config["expiration_time"] == "2026-07-01T16:45:00Z"
    tenant.sdk.request("PATCH", f"{session_path}/livestream", json={"incoming_enabled": False})
    tenant.sdk.request("PATCH", f"{session_path}/livestream", json=enable)
    assert tenant.sdk.request("GET", f"{session_path}/livestream")["incoming_config"]["stream_key"] == config["stream_key"]
    tenant.sdk.request("PATCH", session_path, json={"type": 0})
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("PATCH", f"{session_path}/livestream", json=enable)
    assert (info.value.status, info.value.code) == (400, 26303)
