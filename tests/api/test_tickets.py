"""Tickets through the API: pre-registration, partial success, rules, questions, cancel, registrants."""

import pytest

from townhall.client import ZoomEventsError
from tests.factories import event_fields


@pytest.fixture
def published(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    tenant.sdk.publish_event(event["event_id"])
    return event["event_id"]


def _tickets(sdk, event_id, tickets, **params):
    return sdk.request("POST", f"/zoom_events/events/{event_id}/tickets", json={"tickets": tickets}, params=params or None)


def test_create_tickets_gives_personal_join_links(tenant, published):
    result = _tickets(tenant.sdk, published, [{"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace", "external_ticket_id": "X1"}])
    assert result["errors"] == []
    (ticket,) = result["tickets"]
    assert ticket["email"] == "ada@example.com" and ticket["external_ticket_id"] == "X1"
    assert ticket["event_join_link"].startswith("http://testserver/j/") and len(ticket["event_join_link"]) > 40
    got = tenant.sdk.request("GET", f"/zoom_events/events/{published}/tickets/{ticket['ticket_id']}")
    assert (got["first_name"], got["last_name"], got["event_join_link"]) == ("Ada", "Lovelace", ticket["event_join_link"])


def test_a_ticket_keeps_what_was_given_and_nothing_it_does_not_know(tenant, published, http):
    """The body is read into the fields given: null and unknown fields add nothing to the ticket,
    and the limits of the documented schema still hold, each reported where it is."""
    result = _tickets(tenant.sdk, published, [{"email": "lin@example.com", "first_name": "Lin", "last_name": None, "city": "Oslo",
                                                "comments": "Hello", "phone": None, "favourite_colour": "blue"}])
    (ticket,) = result["tickets"]
    got = tenant.sdk.request("GET", f"/zoom_events/events/{published}/tickets/{ticket['ticket_id']}")
    assert {k: got.get(k) for k in ("first_name", "last_name", "city", "comments", "phone", "favourite_colour")} == {
        "first_name": "Lin", "last_name": "", "city": "Oslo", "comments": "Hello", "phone": None, "favourite_colour": None}
    headers = {"Authorization": f"Bearer {tenant.token()}"}
    too_long = http.post(f"/v2/zoom_events/events/{published}/tickets", headers=headers,
                         json={"tickets": [{"email": "x@example.com", "first_name": "x" * 65}]})
    assert too_long.status_code == 400 and too_long.json()["code"] == 300
    assert [e["field"] for e in too_long.json()["errors"]] == ["tickets.0.first_name"]
    untitled = http.post(f"/v2/zoom_events/events/{published}/tickets", headers=headers,
                         json={"tickets": [{"email": "y@example.com", "custom_questions": [{"answer": "R&D"}]}]})
    assert untitled.status_code == 400 and [e["field"] for e in untitled.json()["errors"]] == ["tickets.0.custom_questions.0.title"]


def test_partial_success_reports_each_refusal(tenant, published):
    _tickets(tenant.sdk, published, [{"email": "taken@example.com"}])
    result = _tickets(tenant.sdk, published, [
        {"email": "new@example.com"}, {"email": "not-an-email"}, {"email": " TAKEN@example.com "},
        {"email": "other@example.com", "ticket_type_id": "AAAAAAAAAAAAAAAAAAAAAA"},
    ])
    assert [t["email"] for t in result["tickets"]] == ["new@example.com"]
    codes = {e["email"]: e["error_code"] for e in result["errors"]}
    assert codes == {"not-an-email": "email_not_found", "TAKEN@example.com": "ticket_generated_failed", "other@example.com": "ticket_type_notfound"}
    assert all(e["message"] for e in result["errors"])


def test_more_than_30_tickets_is_refused(tenant, published):
    with pytest.raises(ZoomEventsError) as info:
        _tickets(tenant.sdk, published, [{"email": f"p{i}@example.com"} for i in range(31)])
    assert info.value.code == 300


def test_event_must_be_published(tenant):
    draft = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    with pytest.raises(ZoomEventsError) as info:
        _tickets(tenant.sdk, draft, [{"email": "a@example.com"}])
    assert (info.value.status, info.value.code) == (400, 26501)


def test_registration_stays_open_while_live_and_closes_after(tenant, published, clock):
    clock.set(clock.now().replace(month=7, day=1, hour=15, minute=45))
    assert _tickets(tenant.sdk, published, [{"email": "late@example.com"}])["tickets"]
    clock.set(clock.now().replace(hour=17))
    with pytest.raises(ZoomEventsError) as info:
        _tickets(tenant.sdk, published, [{"email": "later@example.com"}])
    assert info.value.status == 400 and "ended" in info.value.message


def test_ticket_type_quantity_and_cancel_frees_a_seat(tenant, published):
    type_id = tenant.sdk.request("POST", f"/zoom_events/events/{published}/ticket_types", json={
        "name": "Front row", "currency": "usd", "quantity": 2, "start_time": "2026-05-01T00:00:00Z", "end_time": "2026-07-01T15:00:00Z",
    })["ticket_type_id"]
    result = _tickets(tenant.sdk, published, [{"email": f"p{i}@example.com", "ticket_type_id": type_id} for i in range(3)])
    assert len(result["tickets"]) == 2 and [e["error_code"] for e in result["errors"]] == ["stock_not_exist"]
    types = tenant.sdk.request("GET", f"/zoom_events/events/{published}/ticket_types")["ticket_types"]
    front = next(t for t in types if t["ticket_type_id"] == type_id)
    assert (front["sold_quantity"], front["quantity"], front["currency"]) == (2, 2, "USD")
    tenant.sdk.request("DELETE", f"/zoom_events/events/{published}/tickets/{result['tickets'][0]['ticket_id']}")
    again = _tickets(tenant.sdk, published, [{"email": "p2@example.com", "ticket_type_id": type_id}])
    assert again["errors"] == [] and len(again["tickets"]) == 1


def test_someone_registered_already_takes_no_seat_email_or_webhook(tenant, published, db, clock):
    """Someone registered already, in a batch with others, is refused and takes nothing: the last
    seat goes to the next in line, the counters count only the people registered, and
    confirmations and ticket_created webhooks go to them alone. (PostgreSQL's insert finds such
    people itself; a batch that runs out of seats asks who they are before seating anyone.)"""
    from sqlalchemy import select

    from townhall.services import webhooks
    from townhall.storage import outbox
    from townhall.storage.models import Event, OutboxMessage, WebhookSubscription

    with db.write() as session:
        session.add(WebhookSubscription(id="S" * 22, account_id=tenant.account_id, url="http://127.0.0.1:9/hook", secret="s",
                                        events=["zoom_events.ticket_created"], created_at=clock.now()))
    type_id = tenant.sdk.request("POST", f"/zoom_events/events/{published}/ticket_types", json={
        "name": "Front row", "currency": "USD", "quantity": 2, "start_time": "2026-05-01T00:00:00Z", "end_time": "2026-07-01T15:00:00Z",
    })["ticket_type_id"]
    (alice,) = _tickets(tenant.sdk, published, [{"email": "alice@example.com", "ticket_type_id": type_id}])["tickets"]
    last_seat = _tickets(tenant.sdk, published, [{"email": email, "ticket_type_id": type_id}
                                                 for email in (" ALICE@example.com", "bob@example.com", "carol@example.com")])
    assert [t["email"] for t in last_seat["tickets"]] == ["bob@example.com"]
    assert {e["email"]: e["error_code"] for e in last_seat["errors"]} == {"ALICE@example.com": "ticket_generated_failed",
                                                                          "carol@example.com": "stock_not_exist"}
    roomy = _tickets(tenant.sdk, published, [{"email": "alice@example.com"}, {"email": "dave@example.com"}])
    assert [t["email"] for t in roomy["tickets"]] == ["dave@example.com"] and [e["email"] for e in roomy["errors"]] == ["alice@example.com"]

    types = tenant.sdk.request("GET", f"/zoom_events/events/{published}/ticket_types")["ticket_types"]
    assert {t["ticket_type_id"]: t["sold_quantity"] for t in types}[type_id] == 2
    registered = {alice["ticket_id"], last_seat["tickets"][0]["ticket_id"], roomy["tickets"][0]["ticket_id"]}
    with db.write() as session:
        outbox.expand(session, event_id=published)
    with db.read() as session:
        assert session.get(Event, published).registrants_count == 3
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.event_id == published)).all()
    assert sorted(r.recipient for r in rows if r.kind == "confirmation") == ["alice@example.com", "bob@example.com", "dave@example.com"]
    assert sorted(r.registrant_id for r in rows if r.kind == webhooks.KIND) == sorted(registered)


def test_sale_window_is_enforced(tenant, published):
    type_id = tenant.sdk.request("POST", f"/zoom_events/events/{published}/ticket_types", json={
        "name": "Later", "currency": "USD", "start_time": "2026-06-10T00:00:00Z", "end_time": "2026-06-20T00:00:00Z",
    })["ticket_type_id"]
    result = _tickets(tenant.sdk, published, [{"email": "early@example.com", "ticket_type_id": type_id}])
    assert result["errors"][0]["error_code"] == "invalid_sale_time"
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("POST", f"/zoom_events/events/{published}/ticket_types", json={
            "name": "Bad", "currency": "USD", "start_time": "2026-06-20T00:00:00Z", "end_time": "2026-06-10T00:00:00Z"})
    assert info.value.code == 26401


def test_restricted_event_admits_only_listed_domains_and_addresses(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, access_level="PRIVATE_RESTRICTED"))["event_id"]
    types = tenant.sdk.request("GET", f"/zoom_events/events/{event}/ticket_types")["ticket_types"]
    tenant.sdk.request("PATCH", f"/zoom_events/events/{event}/ticket_types/{types[0]['ticket_type_id']}", json={
        "private_visibility_rules": {"allow_domain_list": ["acme.com"], "email_restrict_list": ["Guest@Partner.org"]}})
    tenant.sdk.publish_event(event)
    result = _tickets(tenant.sdk, event, [
        {"email": "ann@acme.com"}, {"email": "bob@eu.acme.com"}, {"email": "guest@partner.org"},
        {"email": "eve@evil.com"}, {"email": "other@partner.org"}, {"email": "x@notacme.com"},
    ])
    assert sorted(t["email"] for t in result["tickets"]) == ["ann@acme.com", "bob@eu.acme.com", "guest@partner.org"]
    assert {e["email"] for e in result["errors"]} == {"eve@evil.com", "other@partner.org", "x@notacme.com"}
    assert all("restricted" in e["message"] for e in result["errors"])


def test_questions_are_configured_and_enforced(tenant, published):
    tenant.sdk.request("PUT", f"/zoom_events/events/{published}/questions", json={
        "questions": [{"field_name": "job_title", "required": True}],
        "custom_questions": [{"title": "Team", "type": "single_dropdown", "options": ["Sales", "R&D"], "required": True}],
    })
    config = tenant.sdk.request("GET", f"/zoom_events/events/{published}/questions")
    assert config["questions"][0]["field_name"] == "job_title" and config["questions"][0]["question_id"]
    with pytest.raises(ZoomEventsError) as info:
        _tickets(tenant.sdk, published, [{"email": "a@example.com"}])
    assert info.value.code == 260504
    ok = _tickets(tenant.sdk, published, [{"email": "a@example.com", "job_title": "CTO", "custom_questions": [{"title": "Team", "answer": "R&D"}]}])
    assert ok["errors"] == []
    bad = _tickets(tenant.sdk, published, [{"email": "b@example.com", "job_title": "CTO", "custom_questions": [{"title": "Team", "answer": "Legal"}]}])
    assert bad["errors"][0]["error_code"] == "invalid_api_registration_questions_answers"
    with pytest.raises(ZoomEventsError) as info:
        _tickets(tenant.sdk, published, [{"email": "c@example.com", "job_title": "CTO", "city": "Oslo", "custom_questions": [{"title": "Team", "answer": "R&D"}]}], validation_level="strict")
    assert info.value.code == 260503
    assert _tickets(tenant.sdk, published, [{"email": "d@example.com"}], validation_level="none")["errors"] == []


def test_ticket_type_numbers_out_of_range_are_refused(tenant, published):
    base = {"name": "Front row", "currency": "usd", "start_time": "2026-05-01T00:00:00Z", "end_time": "2026-07-01T15:00:00Z"}
    for field, value in (("quantity", 2**31), ("quantity", -1), ("quantity", 10**30), ("price", "nan"), ("price", "inf"), ("price", "-1")):
        with pytest.raises(ZoomEventsError) as info:
            tenant.sdk.request("POST", f"/zoom_events/events/{published}/ticket_types", json={**base, field: value})
        assert (info.value.status, info.value.code) == (400, 300) and [e["field"] for e in info.value.errors] == [field], (field, value)
    most = tenant.sdk.request("POST", f"/zoom_events/events/{published}/ticket_types", json={**base, "quantity": 2**31 - 1, "price": "25.00"})
    assert most["ticket_type_id"]


def test_bad_question_config_is_refused(tenant, published):
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("PUT", f"/zoom_events/events/{published}/questions", json={"custom_questions": [{"title": "Pick", "type": "single_radio"}]})
    assert info.value.code == 300 and "options" in info.value.errors[0]["message"]


def test_ticket_type_level_questions_override_the_event(tenant, published):
    (default,) = tenant.sdk.request("GET", f"/zoom_events/events/{published}/ticket_types")["ticket_types"]
    path = f"/zoom_events/events/{published}/ticket_types/{default['ticket_type_id']}/questions"
    tenant.sdk.request("PUT", path, json={"questions": [{"field_name": "phone", "required": True}]})
    assert tenant.sdk.request("GET", path)["questions"][0]["field_name"] == "phone"
    with pytest.raises(ZoomEventsError) as info:
        _tickets(tenant.sdk, published, [{"email": "a@example.com"}])
    assert info.value.code == 260504


def test_update_ticket_and_list_filters(tenant, published):
    made = _tickets(tenant.sdk, published, [{"email": f"p{i}@example.com", "external_ticket_id": f"E{i}"} for i in range(5)])["tickets"]
    path = f"/zoom_events/events/{published}/tickets"
    tenant.sdk.request("PATCH", f"{path}/{made[0]['ticket_id']}", json={"first_name": "Pat", "city": "Lima"})
    got = tenant.sdk.request("GET", f"{path}/{made[0]['ticket_id']}")
    assert (got["first_name"], got["city"]) == ("Pat", "Lima")
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("PATCH", f"{path}/{made[0]['ticket_id']}", json={"ticket_id": "other"})
    assert info.value.code == 1063
    assert [t["email"] for t in tenant.sdk.paginate(path, "tickets", {"email": "P3@example.com"})] == ["p3@example.com"]
    assert [t["external_ticket_id"] for t in tenant.sdk.paginate(path, "tickets", {"external_ticket_id": "E4"})] == ["E4"]
    assert len(list(tenant.sdk.paginate(path, "tickets", page_size=2))) == 5


def test_registrants_list_and_cancelled_ticket(tenant, published):
    made = _tickets(tenant.sdk, published, [{"email": f"r{i}@example.com"} for i in range(3)])["tickets"]
    tenant.sdk.request("DELETE", f"/zoom_events/events/{published}/tickets/{made[1]['ticket_id']}")
    registrants = list(tenant.sdk.paginate(f"/zoom_events/events/{published}/registrants", "registrants", page_size=1))
    assert sorted(r["email"] for r in registrants) == ["r0@example.com", "r2@example.com"]
    assert registrants[0]["registration_status"] == "PRE_REGISTERED" and registrants[0]["tickets"][0]["role"] == "ATTENDEE"
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("GET", f"/zoom_events/events/{published}/tickets/{made[1]['ticket_id']}")
    assert (info.value.status, info.value.code) == (404, 26503)


def test_other_accounts_cannot_touch_tickets(tenant, published, make_tenant):
    other = make_tenant("Other")
    (ticket,) = _tickets(tenant.sdk, published, [{"email": "a@example.com"}])["tickets"]
    for method, path in [("POST", "/tickets"), ("GET", "/tickets"), ("GET", f"/tickets/{ticket['ticket_id']}"),
                         ("DELETE", f"/tickets/{ticket['ticket_id']}"), ("GET", "/registrants"), ("GET", "/ticket_types"),
                         ("GET", "/questions"), ("GET", "/reports/event_attendance")]:
        with pytest.raises(ZoomEventsError) as info:
            other.sdk.request(method, f"/zoom_events/events/{published}{path}", json={"tickets": [{"email": "x@example.com"}]} if method == "POST" else None)
        assert (info.value.status, info.value.code) == (404, 2002), path


def test_cancel_needs_a_message_once_there_are_registrants(tenant, published):
    _tickets(tenant.sdk, published, [{"email": "a@example.com"}])
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.cancel_event(published)
    assert info.value.errors[0]["field"] == "cancel_message"


def test_a_database_connection_lost_between_batches_costs_no_registration(tenant, published, db):
    """PostgreSQL: each registration thread keeps its connection from one batch to the next,
    without the pool's liveness check. When the database drops it (a restart, a failover), the
    next batch fails on it, and its people are registered at once on a fresh connection."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no connections to lose")
    first = _tickets(tenant.sdk, published, [{"email": "before@example.com"}])
    assert first["errors"] == []
    with db.engine.connect() as connection:
        dropped = connection.exec_driver_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).scalar()
    assert dropped >= 1
    after = _tickets(tenant.sdk, published, [{"email": "after@example.com"}, {"email": "before@example.com"}])
    assert [t["email"] for t in after["tickets"]] == ["after@example.com"]
    assert [e["email"] for e in after["errors"]] == ["before@example.com"]
    emails = {t["email"] for t in tenant.sdk.request("GET", f"/zoom_events/events/{published}/tickets")["tickets"]}
    assert emails == {"before@example.com", "after@example.com"}
