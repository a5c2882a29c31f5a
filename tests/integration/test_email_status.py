"""Email types and their send status: what the outbox did, as Zoom reports it."""

import pytest

from townhall.client import ZoomEventsError
from tests.factories import event_fields


def _register(tenant, event, *people):
    tenant.sdk.request("POST", f"/zoom_events/events/{event}/tickets", json={"tickets": [
        {"email": email, "first_name": first, "last_name": "Tester"} for first, email in people]})


def test_email_types_and_who_got_the_confirmation(tenant, smtp, mail_worker):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, reminder_minutes=[1440, 60]))["event_id"]
    types = tenant.sdk.request("GET", f"/zoom_events/events/{event}/email_types")
    assert [(t["email_type"], t["status"]) for t in types["email_types"]] == [
        ("Free ticket confirmation", "scheduled"), ("Reminder (1 day before)", "scheduled"), ("Reminder (1 hour before)", "scheduled")]
    assert types["email_types"][1]["trigger_date"] == "2026-06-30T15:00:00Z"  # a day before the start
    tenant.sdk.publish_event(event)
    smtp.unknown_mailboxes.add("ghost@example.com")
    _register(tenant, event, ("Ada", "ada@example.com"), ("Grace", "grace@example.com"), ("Ghost", "ghost@example.com"))
    confirmation = tenant.sdk.request("GET", f"/zoom_events/events/{event}/email_types")["email_types"][0]
    assert confirmation["status"] == "ongoing"
    path = f"/zoom_events/events/{event}/email_types/{confirmation['email_type_id']}/send_status"
    before = tenant.sdk.request("GET", path)
    assert before["total_records"] == 3 and {e["status"] for e in before["emails"]} == {"pending"}
    mail_worker.deliver()
    after = {e["email"]: e for e in tenant.sdk.request("GET", path)["emails"]}
    assert after["ada@example.com"]["status"] == "delivered" and after["ada@example.com"]["name"] == "Ada Tester"
    assert after["ada@example.com"]["sent_date"].endswith("Z")
    assert after["ghost@example.com"]["status"] == "failed" and after["ghost@example.com"]["failure_reason"] == "bounced"
    failed = tenant.sdk.request("GET", path, params={"status": "failed"})
    assert [e["email"] for e in failed["emails"]] == ["ghost@example.com"]
    assert [e["email"] for e in tenant.sdk.request("GET", path, params={"search_text": "grace"})["emails"]] == ["grace@example.com"]
    first = tenant.sdk.request("GET", path, params={"page_size": 2})
    rest = tenant.sdk.request("GET", path, params={"page_size": 2, "next_page_token": first["next_page_token"]})
    assert len(first["emails"]) == 2 and len(rest["emails"]) == 1 and rest["next_page_token"] == ""


def test_unknown_email_type_is_not_found(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("GET", f"/zoom_events/events/{event}/email_types/AAAAAAAAAAAAAAAAAAAAAA/send_status")
    assert info.value.status == 404
