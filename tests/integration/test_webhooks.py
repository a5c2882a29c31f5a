"""Webhooks: every zoom_events.* change announced through the outbox to a real HTTP endpoint that
verifies them the way Zoom's documentation shows, in the webhook spec's shapes, retried as Zoom
retries them."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources

import pytest
from openapi_schema_validator import OAS31Validator
from sqlalchemy import select

from tests.factories import event_fields
from tests.server import free_port
from tests.webhook_receiver import webhook_receiver
from townhall.domain import webhooks as zoom
from townhall.services import webhooks
from townhall.storage.models import OutboxMessage

SECRET = "z9-webhook-secret-token"
SPEC = json.loads(resources.files("townhall.spec").joinpath("zoom-events-webhooks-openapi.json").read_text())


def schema_of(event_type: str) -> dict:
    return SPEC["webhooks"][event_type]["post"]["requestBody"]["content"]["application/json"]["schema"]


@pytest.fixture
def receiver():
    with webhook_receiver(SECRET) as endpoint:
        yield endpoint


@pytest.fixture
def sender(clock):
    sender = webhooks.WebhookSender(clock)
    yield sender
    sender.close()


@pytest.fixture
def subscribe(db, clock, tenant, receiver, sender):
    def make(*events: str, url: str | None = None, secret: str = SECRET):
        return webhooks.add(db, clock, sender, tenant.account_id, url or receiver.url, list(events), secret)
    return make


def _deliveries(db, **where):
    with db.read() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == "webhook")
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return list(session.scalars(query))


def test_every_change_is_announced_signed_and_shaped_as_the_spec_says(tenant, subscribe, receiver, mail_worker, clock, db, app):
    subscribe()
    assert len(receiver.of("endpoint.url_validation")) == 1  # the endpoint was checked before it was saved
    sdk, events = tenant.sdk, "/zoom_events/events"

    simple = sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    sdk.update_event(simple, name="Q3 All Hands (moved)")
    vip = sdk.request("POST", f"{events}/{simple}/ticket_types", json={
        "name": "VIP", "currency": "USD", "start_time": "2026-05-01T00:00:00Z", "end_time": "2026-07-01T15:00:00Z"})["ticket_type_id"]
    sdk.request("PATCH", f"{events}/{simple}/ticket_types/{vip}", json={"name": "VIP lounge"})
    sdk.request("DELETE", f"{events}/{simple}/ticket_types/{vip}")
    sdk.publish_event(simple)
    ticket = sdk.request("POST", f"{events}/{simple}/tickets", json={"tickets": [
        {"email": "zoë@example.com", "first_name": "Zoë", "last_name": "Ng", "external_ticket_id": "EXT-1"}]})["tickets"][0]["ticket_id"]
    sdk.request("PATCH", f"{events}/{simple}/tickets/{ticket}", json={"first_name": "Zoé"})
    sdk.request("DELETE", f"{events}/{simple}/tickets/{ticket}")
    copy = sdk.duplicate_event(simple)["event_id"]
    sdk.cancel_event(simple)

    conference = sdk.create_event(**event_fields(tenant.hub_id, event_type="CONFERENCE"))["event_id"]
    speaker = sdk.request("POST", f"{events}/{conference}/speakers", json={"name": "Ada Lovelace", "email": "ada@example.com"})["speaker_id"]
    sdk.request("PATCH", f"{events}/{conference}/speakers/{speaker}", json={"job_title": "Analyst"})
    keynote = sdk.request("POST", f"{events}/{conference}/sessions", json={
        "name": "Keynote", "start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T15:45:00Z", "timezone": "America/New_York", "type": 2,
    })["session_id"]
    sdk.request("PATCH", f"{events}/{conference}/sessions/{keynote}", json={"name": "Opening keynote"})
    panel = sdk.request("POST", f"{events}/{conference}/sessions", json={
        "name": "Panel", "start_time": "2026-07-01T16:00:00Z", "end_time": "2026-07-01T16:30:00Z", "timezone": "America/New_York", "type": 0,
    })["session_id"]
    tier = sdk.request("GET", f"{events}/{conference}/sponsor_tiers")["sponsor_tiers"][0]["tier_id"]
    exhibitor = sdk.request("POST", f"{events}/{conference}/exhibitors", json={
        "name": "Engines Ltd", "is_sponsor": True, "tier_id": tier, "contact_name": "Ada", "contact_email": "ada@example.com"})["exhibitor_id"]
    sdk.request("PATCH", f"{events}/{conference}/exhibitors/{exhibitor}", json={"description": "Booth 12"})
    sdk.request("DELETE", f"{events}/{conference}/exhibitors/{exhibitor}")
    sdk.request("DELETE", f"{events}/{conference}/speakers/{speaker}")
    sdk.request("DELETE", f"{events}/{conference}/sessions/{panel}")
    sdk.publish_event(conference)
    channel = sdk.request("POST", f"/zoom_events/hubs/{tenant.hub_id}/vod_channels", json={"name": "Replays", "type": "VIDEO_LIST_HUB"})["channel_id"]
    sdk.request("POST", f"/zoom_events/hubs/{tenant.hub_id}/vod_channels/{channel}/registrations", json={"registrations": [
        {"email": "viewer@example.com", "first_name": "Vi", "job_title": "Chef"}]})

    # The keynote ends at 15:45 UTC: two schedulers (two worker processes) announce it once.
    schedulers = [webhooks.WebhookScheduler(db, clock), webhooks.WebhookScheduler(db, clock)]
    assert [s.sessions_ended() for s in schedulers] == [0, 0]
    clock.set(clock.now().replace(month=7, day=1, hour=15, minute=46))
    assert sum(s.sessions_ended() for s in schedulers) == 1

    mail_worker.deliver()
    assert not receiver.rejected
    received = receiver.events()
    assert set(received) == set(zoom.EVENT_TYPES)
    assert received.count("zoom_events.session_ended") == 1 and received.count("zoom_events.ticket_created") == 1
    for item in (r for r in receiver.verified if r.event != "endpoint.url_validation"):
        problems = [e.message for e in OAS31Validator(schema_of(item.event)).iter_errors(item.body)]
        assert problems == [], (item.event, problems)
        assert item.raw.decode() == zoom.compact(item.body)  # compact JSON, exactly what was signed
        assert item.body["payload"]["account_id"] == tenant.account_id
        assert item.headers["user-agent"] == "Zoom Marketplace/1.0a" and item.headers["x-zm-request-id"]
        assert item.headers["content-type"].startswith("application/json")
    created = receiver.of("zoom_events.ticket_created")[0].body["payload"]["object"]
    assert created == {**created, "event_id": simple, "ticket_id": ticket, "email": "zoë@example.com", "external_ticket_id": "EXT-1"}
    assert "zoë" in receiver.of("zoom_events.ticket_created")[0].raw.decode()  # non-ASCII sent as it is
    duplicated = receiver.of("zoom_events.event_duplicated")[0].body["payload"]["object"]
    assert (duplicated["event_id"], duplicated["source_event_id"], duplicated["status"]) == (copy, simple, "DRAFT")
    assert receiver.of("zoom_events.event_cancelled")[0].body["payload"]["object"]["status"] == "CANCELLED"
    assert receiver.of("zoom_events.session_ended")[0].body["payload"]["object"]["session_id"] == keynote
    viewer = receiver.of("zoom_events.vod_registration_created")[0].body["payload"]["object"]
    assert (viewer["channel_id"], viewer["email"], viewer["job_title"]) == (channel, "viewer@example.com", "Chef")
    assert viewer["join_link"].startswith("http://testserver/vod/j/")
    assert all(row.status == "sent" for row in _deliveries(db))


def test_a_subscription_gets_only_the_events_it_asked_for(tenant, subscribe, receiver, mail_worker):
    subscribe("zoom_events.event_published")
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    tenant.sdk.update_event(event, name="Renamed")
    tenant.sdk.publish_event(event)
    mail_worker.deliver()
    assert receiver.events() == ["zoom_events.event_published"]


def test_other_accounts_changes_are_not_sent(tenant, make_tenant, subscribe, receiver, mail_worker):
    subscribe()
    other = make_tenant("Globex")
    other.sdk.publish_event(other.sdk.create_event(**event_fields(other.hub_id))["event_id"])
    mail_worker.deliver()
    assert receiver.events() == []


def test_server_errors_are_retried_at_5_20_and_60_minutes_then_given_up(tenant, subscribe, receiver, mail_worker, clock, db):
    subscribe("zoom_events.event_published")
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    receiver.answers += [500, 502, 503, 500]
    tenant.sdk.publish_event(event)
    start = clock.now()
    for waited, attempts in ((None, 1), (5, 2), (20, 3), (60, 4)):
        if waited:
            clock.advance(minutes=waited - 1)
            assert mail_worker.deliver() == 0  # not due yet
            clock.advance(minutes=1)
        assert mail_worker.deliver() == 1
        (row,) = _deliveries(db)
        assert row.attempts == attempts
    assert row.status == "failed" and receiver.events() == []
    assert clock.now() - start == timedelta(minutes=85)


def test_a_retried_webhook_arrives_once_with_its_own_request_id(tenant, subscribe, receiver, mail_worker, clock, db):
    subscribe("zoom_events.event_published")
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    receiver.answers.append(500)
    tenant.sdk.publish_event(event)
    mail_worker.deliver()
    clock.advance(minutes=5)
    mail_worker.deliver()
    (arrived,) = receiver.of("zoom_events.event_published")
    (row,) = _deliveries(db)
    assert (row.status, row.attempts) == ("sent", 2) and arrived.headers["x-zm-request-id"] == row.message_id


def test_client_errors_are_not_retried_and_network_errors_are(tenant, subscribe, receiver, mail_worker, clock, db, sender):
    subscribe("zoom_events.event_published")
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    receiver.answers.append(404)
    tenant.sdk.publish_event(event)
    mail_worker.deliver()
    (row,) = _deliveries(db)
    assert (row.status, row.attempts) == ("failed", 1)

    nowhere = f"http://127.0.0.1:{free_port()}/hook"  # nothing listens there
    webhooks.add(db, clock, sender, tenant.account_id, nowhere, ["zoom_events.event_updated"], SECRET, validate=False)
    tenant.sdk.update_event(event, name="Renamed")
    mail_worker.deliver()
    (row,) = _deliveries(db, recipient=nowhere)
    assert (row.status, row.attempts, row.next_attempt_at - clock.now()) == ("pending", 1, timedelta(minutes=5))
    assert "ConnectError" in row.last_error


def test_an_endpoint_that_fails_the_challenge_is_not_subscribed(db, clock, tenant, receiver, sender):
    with pytest.raises(webhooks.WebhookError, match="did not accept the validation request .HTTP 401"):
        webhooks.add(db, clock, sender, tenant.account_id, receiver.url, [], "another-secret")  # its signature fails
    receiver.answers.append(200)  # a 200 without the tokens
    with pytest.raises(webhooks.WebhookError, match="answer to the validation request was wrong"):
        webhooks.add(db, clock, sender, tenant.account_id, receiver.url, [], SECRET)
    receiver.answers.append(500)
    with pytest.raises(webhooks.WebhookError, match="did not accept"):
        webhooks.add(db, clock, sender, tenant.account_id, receiver.url, [], SECRET)
    with pytest.raises(webhooks.WebhookError, match="Unknown event types"):
        webhooks.add(db, clock, sender, tenant.account_id, receiver.url, ["zoom_events.event_created"], SECRET)
    assert [s for s in webhooks.list_all(db, tenant.account_id)] == []


def test_removed_subscriptions_get_nothing_more(tenant, subscribe, receiver, mail_worker, db):
    sub = subscribe("zoom_events.event_published", "zoom_events.event_updated")
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    tenant.sdk.update_event(event, name="Queued, then unsubscribed")
    assert webhooks.remove(db, sub.id)
    tenant.sdk.publish_event(event)
    mail_worker.deliver()
    assert receiver.events() == []
    assert [row.status for row in _deliveries(db)] == ["skipped"]


def test_endpoints_are_validated_again_every_72_hours_and_disabled_after_six_failures(tenant, subscribe, receiver, clock, db):
    sub = subscribe()
    scheduler = webhooks.WebhookScheduler(db, clock)
    clock.advance(hours=71)
    assert scheduler.revalidate() == 0
    clock.advance(hours=1)
    assert scheduler.revalidate() == 1 and len(receiver.of("endpoint.url_validation")) == 2
    clock.advance(hours=72)
    for failure in range(6):
        receiver.answers.append(500)
        assert scheduler.revalidate() == 1
        clock.advance(hours=1)
    (listed,) = webhooks.list_all(db, tenant.account_id)
    assert listed.id == sub.id and listed.disabled_at is not None
