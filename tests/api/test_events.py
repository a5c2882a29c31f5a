"""Events through the SDK (which tests the SDK too): create, get, list, update, delete, actions, codes."""

import pytest

from townhall.client import ZoomEventsError
from townhall.config import Settings
from townhall.domain.ids import new_id
from townhall.storage.models import Event
from tests.factories import event_fields


def _error(call, *args, **kwargs) -> ZoomEventsError:
    with pytest.raises(ZoomEventsError) as info:
        call(*args, **kwargs)
    return info.value


def test_create_answers_201_with_a_draft_and_an_absolute_event_url(tenant, http):
    token = tenant.token()
    response = http.post("/v2/zoom_events/events", json=event_fields(tenant.hub_id), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert body["event_url"] == f"http://testserver/event/{body['event_id']}"
    assert len(body["event_id"]) == 22
    assert body["start_time"] == "2026-07-01T15:00:00Z" and body["end_time"] == "2026-07-01T16:30:00Z"
    assert body["calendar"] == [{"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T16:30:00Z"}]
    assert "host_id" not in body


def test_get_returns_what_was_created(tenant):
    created = tenant.sdk.create_event(**event_fields(tenant.hub_id, tags=["q3"], categories=["Other"], tagline="Hi"))
    got = tenant.sdk.get_event(created["event_id"])
    for key in ("name", "description", "timezone", "event_type", "access_level", "meeting_type", "tags", "categories", "tagline", "hub_id"):
        assert got[key] == created[key]
    assert got["host_id"]
    assert got["attendance_type"] == "VIRTUAL"  # the tutorial style answers as the tutorial writes it


def test_tutorial_payload_without_description_and_in_the_past(tenant):
    fields = event_fields(
        tenant.hub_id, description=None, attendance_type="VIRTUAL", name="Q4 Town Hall: Looking Ahead to 2026",
        calendar=[{"start_time": "2025-12-15T19:00:00Z", "end_time": "2025-12-15T20:30:00Z"}],
    )
    event = tenant.sdk.create_event(**fields)
    assert event["status"] == "draft" and event["description"] == ""
    assert tenant.sdk.publish_event(event["event_id"]) == {"status": "published", "event_id": event["event_id"]}
    assert tenant.sdk.get_event(event["event_id"])["status"] == "Published"  # stays published though past


def test_zoom_status_style(app, tenant, http, settings):
    app.state.settings = Settings(**{**settings.model_dump(), "status_style": "zoom"})
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, attendance_type="VIRTUAL"))
    assert event["status"] == "DRAFT" and event["attendance_type"] == "virtual"
    assert tenant.sdk.publish_event(event["event_id"])["status"] == "published"
    assert tenant.sdk.get_event(event["event_id"])["status"] == "PUBLISHED"
    tenant.sdk.cancel_event(event["event_id"])
    assert tenant.sdk.get_event(event["event_id"])["status"] == "CANCELLED"


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"calendar": [{"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T14:00:00Z"}]}, 400, 26203),
        ({"calendar": [{"start_time": "2026-07-01T15:00:00Z"}]}, 400, 26204),
        ({"calendar": None}, 400, 26204),
        ({"calendar": [{"start_time": "2026-07-01T10:00:00-05:00", "end_time": "2026-07-01T16:00:00Z"}]}, 400, 26204),
        ({"calendar": [{"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-08T15:00:00Z"}]}, 400, 26202),
        ({"hub_id": new_id()}, 403, 26201),
        ({"timezone": "Mars/Olympus"}, 400, 300),
        ({"event_type": "PARTY"}, 400, 300),
        ({"attendance_type": "telepathic"}, 400, 300),
        ({"name": None}, 400, 300),
        ({"meeting_type": None}, 400, 300),
        ({"name": 42}, 400, 300),
        ({"lobby_start_time": "soon"}, 400, 300),
    ],
)
def test_create_validation_codes(tenant, overrides, status, code):
    error = _error(tenant.sdk.create_event, **event_fields(tenant.hub_id, **overrides))
    assert (error.status, error.code) == (status, code)
    assert error.message
    if code == 300:
        assert error.errors and all({"field", "message"} <= set(e) for e in error.errors)


def test_bad_field_errors_name_the_field_and_the_bad_value(tenant):
    error = _error(tenant.sdk.create_event, **event_fields(tenant.hub_id, timezone="Mars/Olympus"))
    assert error.errors == [{"field": "timezone", "message": "Unknown time zone 'Mars/Olympus'; use an IANA name such as America/New_York."}]


def test_malformed_json_body_is_300_not_500(tenant, http):
    headers = {"Authorization": f"Bearer {tenant.token()}", "Content-Type": "application/json"}
    response = http.post("/v2/zoom_events/events", content=b"{not json", headers=headers)
    assert response.status_code == 400 and response.json()["code"] == 300
    response = http.post("/v2/zoom_events/events", content=b"[1, 2]", headers=headers)
    assert response.status_code == 400 and response.json()["code"] == 300


def test_hub_of_another_account_is_26201(tenant, make_tenant):
    other = make_tenant("Other")
    error = _error(tenant.sdk.create_event, **event_fields(other.hub_id))
    assert (error.status, error.code) == (403, 26201)


def test_unknown_event_is_2002(tenant):
    for call in (tenant.sdk.get_event, tenant.sdk.delete_event):
        error = _error(call, new_id())
        assert (error.status, error.code, error.message) == (404, 2002, "Event not found.")
    error = _error(tenant.sdk.update_event, new_id(), name="x")
    assert (error.status, error.code) == (404, 2002)


def test_event_actions_invalid_id_is_1001_and_unknown_id_is_2002(tenant):
    error = _error(tenant.sdk.publish_event, "not-an-event-id")
    assert (error.status, error.code, error.message) == (400, 1001, "Invalid event ID.")
    error = _error(tenant.sdk.publish_event, new_id())
    assert (error.status, error.code) == (404, 2002)


def test_unknown_operation_is_refused(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    error = _error(tenant.sdk.event_action, event["event_id"], "launch")
    assert (error.status, error.code) == (400, 300)


def test_operation_is_case_insensitive(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    assert tenant.sdk.event_action(event["event_id"], "Publish")["status"] == "published"


def test_update_changes_fields_and_answers_204(tenant, http):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    response = http.patch(
        f"/v2/zoom_events/events/{event['event_id']}", json={"name": "Renamed", "timezone": "Europe/Berlin"},
        headers={"Authorization": f"Bearer {tenant.token()}"},
    )
    assert response.status_code == 204 and response.content == b""
    got = tenant.sdk.get_event(event["event_id"])
    assert (got["name"], got["timezone"], got["description"]) == ("Renamed", "Europe/Berlin", "Quarterly update.")


def test_update_calendar_keeps_the_rules(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    bad = [{"start_time": "2026-07-02T10:00:00Z", "end_time": "2026-07-02T09:00:00Z"}]
    assert _error(tenant.sdk.update_event, event["event_id"], calendar=bad).code == 26203
    good = [{"start_time": "2026-07-02T10:00:00Z", "end_time": "2026-07-02T11:00:00Z"}]
    tenant.sdk.update_event(event["event_id"], calendar=good)
    assert tenant.sdk.get_event(event["event_id"])["start_time"] == "2026-07-02T10:00:00Z"


def test_event_and_meeting_type_are_locked_once_published(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    tenant.sdk.update_event(event["event_id"], meeting_type="MEETING")  # a draft may change
    tenant.sdk.publish_event(event["event_id"])
    for change in ({"meeting_type": "WEBINAR"}, {"event_type": "CONFERENCE"}):
        error = _error(tenant.sdk.update_event, event["event_id"], **change)
        assert (error.status, error.code) == (400, 300)
    tenant.sdk.update_event(event["event_id"], meeting_type="meeting", name="Same type is fine")
    assert tenant.sdk.get_event(event["event_id"])["meeting_type"] == "MEETING"


def test_past_and_cancelled_events_are_not_editable(tenant, clock):
    past = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    tenant.sdk.publish_event(past["event_id"])
    clock.advance(days=60)
    error = _error(tenant.sdk.update_event, past["event_id"], name="Too late")
    assert (error.status, error.code) == (400, 260210)
    cancelled = tenant.sdk.create_event(**event_fields(tenant.hub_id, calendar=[{"start_time": "2026-09-01T15:00:00Z", "end_time": "2026-09-01T16:00:00Z"}]))
    tenant.sdk.publish_event(cancelled["event_id"])
    tenant.sdk.cancel_event(cancelled["event_id"])
    error = _error(tenant.sdk.update_event, cancelled["event_id"], name="Too late")
    assert (error.status, error.code) == (400, 260210)


def test_moving_to_a_hub_of_another_account_is_26201(tenant, make_tenant):
    other = make_tenant("Other")
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    assert _error(tenant.sdk.update_event, event["event_id"], hub_id=other.hub_id).code == 26201


def test_delete_drafts_and_cancelled_only(tenant):
    draft = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    tenant.sdk.delete_event(draft["event_id"])
    assert _error(tenant.sdk.get_event, draft["event_id"]).code == 2002
    published = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    tenant.sdk.publish_event(published["event_id"])
    error = _error(tenant.sdk.delete_event, published["event_id"])
    assert (error.status, error.code) == (400, 300)
    tenant.sdk.cancel_event(published["event_id"])
    tenant.sdk.delete_event(published["event_id"])


def test_cancel_needs_a_message_when_the_event_has_registrants(tenant, db):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    tenant.sdk.publish_event(event["event_id"])
    with db.write() as session:
        session.get(Event, event["event_id"]).registrants_count = 3
    error = _error(tenant.sdk.cancel_event, event["event_id"])
    assert (error.status, error.code) == (400, 300) and error.errors[0]["field"] == "cancel_message"
    assert tenant.sdk.cancel_event(event["event_id"], "Moved to next week.")["status"] == "cancelled"


def test_duplicate_makes_a_new_draft(tenant):
    source = tenant.sdk.create_event(**event_fields(tenant.hub_id, tags=["a"]))
    tenant.sdk.publish_event(source["event_id"])
    result = tenant.sdk.duplicate_event(source["event_id"], name="Q4 All Hands", start_time="2026-10-01T14:00:00Z", timezone="Europe/London")
    assert result["status"] == "duplicated" and result["event_id"] != source["event_id"]
    copy = tenant.sdk.get_event(result["event_id"])
    assert (copy["status"], copy["name"], copy["timezone"], copy["tags"]) == ("draft", "Q4 All Hands", "Europe/London", ["a"])
    assert (copy["start_time"], copy["end_time"]) == ("2026-10-01T14:00:00Z", "2026-10-01T15:30:00Z")
    assert tenant.sdk.get_event(source["event_id"])["status"] == "Published"


@pytest.mark.parametrize(
    ("options", "code"),
    [({"name": ""}, 1002), ({"start_time": "next week"}, 1002), ({"timezone": "Nowhere"}, 1003)],
)
def test_duplicate_validation_codes(tenant, options, code):
    source = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    error = _error(tenant.sdk.duplicate_event, source["event_id"], **options)
    assert (error.status, error.code) == (400, code)


def _ids(sdk, **kwargs):
    return [e["event_id"] for e in sdk.list_events(**kwargs)]


def test_list_filters_by_status_and_phase(tenant, clock):
    draft = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    upcoming = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    tenant.sdk.publish_event(upcoming)
    past = tenant.sdk.create_event(**event_fields(tenant.hub_id, calendar=[{"start_time": "2026-05-01T15:00:00Z", "end_time": "2026-05-01T16:00:00Z"}]))["event_id"]
    tenant.sdk.publish_event(past)
    cancelled = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    tenant.sdk.publish_event(cancelled)
    tenant.sdk.cancel_event(cancelled)
    assert _ids(tenant.sdk, event_status_type="draft") == [draft]
    assert _ids(tenant.sdk, event_status_type="upcoming") == [upcoming]
    assert _ids(tenant.sdk, event_status_type="PAST") == [past]
    assert _ids(tenant.sdk, event_status_type="cancelled") == [cancelled]
    clock.advance(days=45)  # the upcoming one is now over, with no write in between
    assert _ids(tenant.sdk, event_status_type="past") == [past, upcoming]
    assert _ids(tenant.sdk, event_status_type="upcoming") == []


def test_live_event_is_still_upcoming_for_the_list(tenant, clock):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    tenant.sdk.publish_event(event)
    clock.set(clock.now().replace(month=7, day=1, hour=15, minute=30))
    assert _ids(tenant.sdk, event_status_type="upcoming") == [event]


def test_list_validation(tenant):
    error = _error(lambda: list(tenant.sdk.list_events(role_type="attendee", event_status_type="draft")))
    assert error.code == 300
    error = _error(lambda: list(tenant.sdk.list_events(event_status_type="someday")))
    assert error.code == 300
    error = _error(lambda: list(tenant.sdk.list_events(page_size=301)))
    assert error.code == 300
    error = _error(lambda: list(tenant.sdk.list_events(role_type="guest")))
    assert error.code == 300


def test_list_paginates_with_next_page_token(tenant):
    made = [tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"] for _ in range(7)]
    page = tenant.sdk.request("GET", "/zoom_events/events", params={"role_type": "host", "event_status_type": "draft", "page_size": 3})
    assert page["total_records"] == 7 and len(page["events"]) == 3 and page["next_page_token"]
    seen = _ids(tenant.sdk, event_status_type="draft", page_size=3)
    assert sorted(seen) == sorted(made) and len(seen) == 7
    last = tenant.sdk.request("GET", "/zoom_events/events", params={"role_type": "host", "event_status_type": "draft", "page_size": 7})
    assert last["next_page_token"] == ""


def test_page_tokens_are_bound_to_their_query_and_expire(tenant, clock):
    for _ in range(3):
        tenant.sdk.create_event(**event_fields(tenant.hub_id))
    params = {"role_type": "host", "event_status_type": "draft", "page_size": 1}
    token = tenant.sdk.request("GET", "/zoom_events/events", params=params)["next_page_token"]
    wrong_query = {**params, "event_status_type": "upcoming", "next_page_token": token}
    assert _error(tenant.sdk.request, "GET", "/zoom_events/events", params=wrong_query).code == 300
    assert _error(tenant.sdk.request, "GET", "/zoom_events/events", params={**params, "next_page_token": "garbage"}).code == 300
    clock.advance(minutes=16)
    tenant.sdk.authenticate()
    assert _error(tenant.sdk.request, "GET", "/zoom_events/events", params={**params, "next_page_token": token}).code == 300


def test_accounts_are_isolated(tenant, make_tenant):
    other = make_tenant("Other")
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    tenant.sdk.publish_event(event)
    for call, args in [
        (other.sdk.get_event, (event,)), (other.sdk.update_event, (event,)), (other.sdk.delete_event, (event,)),
        (other.sdk.publish_event, (event,)), (other.sdk.cancel_event, (event,)), (other.sdk.duplicate_event, (event,)),
    ]:
        error = _error(call, *args)
        assert (error.status, error.code, error.message) == (404, 2002, "Event not found.")
    for status in ("upcoming", "past", "draft", "cancelled"):
        assert _ids(other.sdk, event_status_type=status) == []
    assert tenant.sdk.get_event(event)["status"] == "Published"


def test_attendee_role_lists_the_events_the_caller_holds_a_ticket_for(tenant, db):
    from sqlalchemy import select

    from townhall.storage.models import OAuthApp, User

    with db.read() as session:
        email = session.scalar(select(User.email).join(OAuthApp, OAuthApp.user_id == User.id).where(OAuthApp.client_id == tenant.client_id))
    mine = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    other = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    for event_id in (mine, other):
        tenant.sdk.publish_event(event_id)
    tenant.sdk.request("POST", f"/zoom_events/events/{mine}/tickets", json={"tickets": [{"email": email.upper()}]})
    assert _ids(tenant.sdk, role_type="attendee") == [mine]
    assert sorted(_ids(tenant.sdk, role_type="host")) == sorted([mine, other])
