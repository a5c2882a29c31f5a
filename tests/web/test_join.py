"""Personal join links: before, during and after the event; revoked and unknown links; attendance."""

import sqlite3
import time
from datetime import datetime, timezone

import pytest

from tests.factories import event_fields

START = datetime(2026, 7, 1, 15, 0, tzinfo=timezone.utc)


@pytest.fixture
def ticket(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, lobby_start_time="2026-07-01T14:45:00Z"))
    tenant.sdk.publish_event(event["event_id"])
    (made,) = tenant.sdk.request("POST", f"/zoom_events/events/{event['event_id']}/tickets", json={
        "tickets": [{"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}]})["tickets"]
    made["event_id"] = event["event_id"]
    return made


def _join_path(ticket):
    return ticket["event_join_link"].removeprefix("http://testserver")


def _attendance(tenant, event_id):
    return tenant.sdk.request("GET", f"/zoom_events/events/{event_id}/reports/event_attendance")["attendees"]


def test_before_the_lobby_opens_it_says_when_the_event_starts(http, tenant, ticket, clock):
    page = http.get(_join_path(ticket))
    assert page.status_code == 200
    assert "has not started yet" in page.text
    assert "Wednesday, July 1, 2026, 11:00 AM EDT" in page.text and "10:45 AM EDT" in page.text
    assert _attendance(tenant, ticket["event_id"])[0]["event_attendance"] == "absent"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_link_opened_early_does_not_wait_for_the_write_lock(http, db, ticket):
    """SQLite: a join that admits no one only reads, so it never queues behind another writer
    (a registration rush's commits, here a transaction holding the lock)."""
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        page = http.get(_join_path(ticket))
        assert page.status_code == 200 and "has not started yet" in page.text
        assert time.monotonic() - started < 5  # the lock's wait is 30 s
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_while_live_it_records_attendance_and_sends_to_the_room(http, tenant, ticket, clock):
    clock.set(START.replace(minute=10))
    response = http.get(_join_path(ticket), follow_redirects=False)
    assert response.status_code == 303
    room = response.headers["location"]
    assert room.startswith(f"/event/{ticket['event_id']}/room?t=")
    assert "Welcome, Ada Lovelace. You are in." in http.get(room).text
    clock.set(START.replace(minute=40))
    token = room.split("t=")[1]
    assert http.post(f"/event/{ticket['event_id']}/room/seen", data={"t": token}).status_code == 204
    (attendee,) = _attendance(tenant, ticket["event_id"])
    assert attendee["event_attendance"] == "attended" and attendee["email"] == "ada@example.com"
    session = attendee["session_attendance"][0]
    assert session["session_join_time"] == "2026-07-01T15:10:00Z" and session["session_exit_time"] == "2026-07-01T15:40:00Z"
    assert session["duration_spent_in_session"] == 1800


def test_a_database_connection_lost_between_join_batches_costs_no_one_their_entry(http, tenant, ticket, clock, db):
    """PostgreSQL: the join thread keeps its connection from one batch to the next, without the
    pool's liveness check. When the database drops it (a restart, a failover), the next batch
    fails on it and is applied again at once on a fresh one: the person gets in, and their
    attendance is recorded, counted once."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no connections to lose")
    clock.set(START.replace(minute=10))
    assert http.get(_join_path(ticket), follow_redirects=False).status_code == 303
    with db.engine.connect() as connection:
        dropped = connection.exec_driver_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).scalar()
    assert dropped >= 1
    response = http.get(_join_path(ticket), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith(f"/event/{ticket['event_id']}/room?t=")
    with db.engine.connect() as connection:
        count, first = connection.exec_driver_sql(
            "SELECT join_count, first_join_at FROM registrants WHERE id = %(id)s", {"id": ticket["ticket_id"]}).one()
    assert count == 2 and first.replace(tzinfo=timezone.utc) == START.replace(minute=10)


def test_the_lobby_opens_the_door_early(http, ticket, clock):
    clock.set(START.replace(hour=14, minute=50))
    assert http.get(_join_path(ticket), follow_redirects=False).status_code == 303


def test_room_url_template_is_used_when_set(http, app, ticket, clock, settings):
    app.state.settings = settings.model_copy(update={"room_url_template": "https://stream.example.com/rooms/{event_id}"})
    clock.set(START.replace(minute=5))
    response = http.get(_join_path(ticket), follow_redirects=False)
    assert response.headers["location"] == f"https://stream.example.com/rooms/{ticket['event_id']}"


def test_after_the_event_it_says_it_ended(http, tenant, ticket, clock):
    clock.set(START.replace(hour=18))
    page = http.get(_join_path(ticket))
    assert "has ended" in page.text
    assert _attendance(tenant, ticket["event_id"])[0]["event_attendance"] == "absent"


def test_revoked_unknown_and_cancelled_links_get_clear_pages(http, tenant, ticket, clock):
    assert http.get("/j/not-a-real-token").status_code == 404
    assert "not valid" in http.get("/j/" + "x" * 500).text
    other = tenant.sdk.request("POST", f"/zoom_events/events/{ticket['event_id']}/tickets", json={"tickets": [{"email": "b@example.com"}]})["tickets"][0]
    tenant.sdk.request("DELETE", f"/zoom_events/events/{ticket['event_id']}/tickets/{other['ticket_id']}")
    revoked = http.get(_join_path(other))
    assert revoked.status_code == 410 and "registration was cancelled" in revoked.text
    tenant.sdk.cancel_event(ticket["event_id"], "Postponed to August.")
    clock.set(START.replace(minute=10))
    cancelled = http.get(_join_path(ticket), follow_redirects=False)
    assert cancelled.status_code == 200 and "Postponed to August." in cancelled.text


def test_room_without_a_valid_token_does_not_let_in(http, ticket, clock):
    clock.set(START.replace(minute=10))
    assert http.get(f"/event/{ticket['event_id']}/room").status_code == 404
    assert http.get(f"/event/{ticket['event_id']}/room?t=forged", follow_redirects=False).status_code == 303


def test_registration_report_says_who_registered_and_how(http, tenant, ticket):
    rows = tenant.sdk.request("GET", f"/zoom_events/events/{ticket['event_id']}/reports/ticket_registration")["registrations"]
    (row,) = rows
    assert row["email"] == "ada@example.com" and row["registration_method"] == "pre_registration"
    assert row["register_date"] == "2026-06-01T12:00:00Z" and row["tickets"][0]["ticket_type_name"] == "General Admission"
    params = {"from": "2026-06-02", "to": "2026-06-30"}
    assert tenant.sdk.request("GET", f"/zoom_events/events/{ticket['event_id']}/reports/ticket_registration", params=params)["registrations"] == []
