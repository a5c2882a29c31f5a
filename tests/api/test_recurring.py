"""RECURRING events: the recurrence checked and answered as Zoom does, each occurrence a session,
registration for all or some occurrences (API and page), and joining the occurrence that is on."""

from datetime import datetime, timezone

import pytest

from townhall.client import ZoomEventsError
from tests.factories import event_fields
from tests.web.test_access_links import _form, _link

# The factories' event: Wednesday 2026-07-01, 15:00-16:30 UTC (11:00 AM-12:30 PM in New York).
WEEKLY = {"type": 2, "repeat_interval": 1, "weekly_days": [4, 6], "end_times": 4}  # Wednesdays and Fridays, 4 times
STARTS = ["2026-07-01T15:00:00Z", "2026-07-03T15:00:00Z", "2026-07-08T15:00:00Z", "2026-07-10T15:00:00Z"]


def _fails(call, status, code):
    with pytest.raises(ZoomEventsError) as info:
        call()
    assert (info.value.status, info.value.code) == (status, code)
    return info.value


def _series(tenant, recurrence=WEEKLY, publish=True):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, event_type="RECURRING", recurrence=recurrence))
    if publish:
        tenant.sdk.publish_event(event["event_id"])
    return event


def _sessions(tenant, event_id):
    return tenant.sdk.request("GET", f"/zoom_events/events/{event_id}/sessions")["sessions"]


def test_each_occurrence_is_a_session_and_weekly_days_come_back_as_a_string(tenant):
    event = _series(tenant, publish=False)
    assert event["recurrence"] == {"type": 2, "repeat_interval": 1, "weekly_days": "4,6", "end_times": 4}
    fetched = tenant.sdk.get_event(event["event_id"])
    assert fetched["recurrence"]["weekly_days"] == "4,6"
    assert (fetched["start_time"], fetched["end_time"]) == ("2026-07-01T15:00:00Z", "2026-07-10T16:30:00Z")
    sessions = _sessions(tenant, event["event_id"])
    assert [s["start_time"] for s in sessions] == STARTS
    assert {s["name"] for s in sessions} == {"Q3 All Hands"} and {s["end_time"][11:] for s in sessions} == {"16:30:00Z"}

    # Zoom's PATCH takes weekly_days as its answer form, a string: Mondays, twice. The first two
    # occurrences keep their session ids; the others go.
    ids = [s["session_id"] for s in sessions]
    tenant.sdk.request("PATCH", f"/zoom_events/events/{event['event_id']}", json={
        "name": "Weekly sync", "recurrence": {"type": 2, "repeat_interval": 1, "weekly_days": "2", "end_times": 2}})
    after = _sessions(tenant, event["event_id"])
    assert [(s["session_id"], s["start_time"], s["name"]) for s in after] == [
        (ids[0], "2026-07-06T15:00:00Z", "Weekly sync"), (ids[1], "2026-07-13T15:00:00Z", "Weekly sync")]
    assert tenant.sdk.get_event(event["event_id"])["end_time"] == "2026-07-13T16:30:00Z"


def test_recurrence_is_required_and_checked_and_sessions_follow_it(tenant):
    bad = _fails(lambda: tenant.sdk.create_event(**event_fields(tenant.hub_id, event_type="RECURRING")), 400, 300)
    assert [e["field"] for e in bad.errors] == ["recurrence"]
    bad = _fails(lambda: _series(tenant, {"type": 2, "repeat_interval": 13, "end_times": 3}), 400, 300)
    assert {e["field"] for e in bad.errors} == {"recurrence.repeat_interval", "recurrence.weekly_days"}
    bad = _fails(lambda: _series(tenant, {"type": 1, "end_date_time": "2026-06-01T00:00:00Z"}), 400, 300)
    assert [e["field"] for e in bad.errors] == ["recurrence.end_date_time"]
    monthly = _series(tenant, {"type": 3, "monthly_week": -1, "monthly_week_day": 6, "end_times": 2}, publish=False)
    assert monthly["recurrence"]["monthly_week"] == -1
    # The last Friday of July and of August, at 11:00 AM New York time.
    assert [s["start_time"] for s in _sessions(tenant, monthly["event_id"])] == ["2026-07-31T15:00:00Z", "2026-08-28T15:00:00Z"]
    session = _sessions(tenant, monthly["event_id"])[0]["session_id"]
    _fails(lambda: tenant.sdk.request("PATCH", f"/zoom_events/events/{monthly['event_id']}/sessions/{session}", json={"name": "x"}), 400, 1006)
    # A simple event ignores a recurrence, as Zoom does.
    simple = tenant.sdk.create_event(**event_fields(tenant.hub_id, recurrence=WEEKLY))
    assert "recurrence" not in simple and _sessions(tenant, simple["event_id"]) == []


def test_tickets_for_all_or_chosen_occurrences_and_joining_the_one_that_is_on(tenant, http, clock):
    event_id = _series(tenant)["event_id"]
    second = _sessions(tenant, event_id)[1]["session_id"]
    made = tenant.sdk.request("POST", f"/zoom_events/events/{event_id}/tickets", json={"tickets": [
        {"email": "ada@example.com", "first_name": "Ada", "last_name": "L"},
        {"email": "alan@example.com", "first_name": "Alan", "last_name": "T", "session_ids": [second]},
        {"email": "grace@example.com", "first_name": "Grace", "last_name": "H", "session_ids": ["AAAAAAAAAAAAAAAAAAAAAA"]},
    ]})
    assert [t["email"] for t in made["tickets"]] == ["ada@example.com", "alan@example.com"]
    assert made["errors"] == [{"email": "grace@example.com", "error_code": "ticket_generated_failed",
                               "message": "session_ids must be sessions (occurrences) of this event."}]
    ada, alan = made["tickets"]
    tickets = f"/zoom_events/events/{event_id}/tickets"
    assert tenant.sdk.request("GET", f"{tickets}/{alan['ticket_id']}")["session_id"] == second
    assert "session_id" not in tenant.sdk.request("GET", f"{tickets}/{ada['ticket_id']}")  # every occurrence
    reserved = tenant.sdk.request("GET", f"/zoom_events/events/{event_id}/sessions/{second}/reservations")
    assert [r["email"] for r in reserved["reservations"]] == ["alan@example.com"]

    def join(ticket):
        return http.get(ticket["event_join_link"].removeprefix("http://testserver"), follow_redirects=False)

    clock.set(datetime(2026, 7, 1, 15, 10, tzinfo=timezone.utc))  # the first occurrence is on
    assert join(ada).status_code == 303
    early = join(alan)
    assert early.status_code == 200 and "The next session starts Friday, July 3, 2026, 11:00 AM EDT" in early.text
    clock.set(datetime(2026, 7, 2, 12, 0, tzinfo=timezone.utc))  # between occurrences: nobody is let in
    assert join(ada).status_code == 200 and "Friday, July 3, 2026" in join(ada).text
    clock.set(datetime(2026, 7, 3, 14, 55, tzinfo=timezone.utc))  # the doors open ten minutes before
    assert join(alan).status_code == 303
    attendees = tenant.sdk.request("GET", f"/zoom_events/events/{event_id}/sessions/{second}/attendees")["attendees"]
    assert [a["email"] for a in attendees] == ["alan@example.com"]
    clock.set(datetime(2026, 7, 3, 17, 0, tzinfo=timezone.utc))  # Alan's only occurrence is over
    assert "has ended" in join(alan).text and join(ada).status_code == 200
    clock.set(datetime(2026, 7, 10, 15, 30, tzinfo=timezone.utc))
    assert join(ada).status_code == 303


def test_the_page_lists_the_occurrences_and_a_link_can_ask_for_one(tenant, http):
    event_id = _series(tenant)["event_id"]
    page = http.get(f"/event/{event_id}").text
    assert "Sessions" in page and "Friday, July 10, 2026" in page and 'id="all-sessions"' in page
    link = _link(tenant, event_id, recurring_registration_option="single_session")["access_link_id"]
    form_page = http.get(f"/ev/{link}").text
    assert form_page.count('type="radio" name="session_ids"') == 4
    refused = http.post(f"/ev/{link}", data=_form(http, f"/ev/{link}", "pat@example.com"))
    assert refused.status_code == 400 and "Choose the session you will attend." in refused.text
    third = _sessions(tenant, event_id)[2]["session_id"]
    taken = http.post(f"/ev/{link}", data={**_form(http, f"/ev/{link}", "pat@example.com"), "session_ids": third}, follow_redirects=False)
    assert taken.status_code == 303
    (ticket,) = tenant.sdk.request("GET", f"/zoom_events/events/{event_id}/tickets", params={"email": "pat@example.com"})["tickets"]
    assert ticket["session_id"] == third


def test_confirmations_list_the_registrants_occurrences_each_in_the_calendar_file(tenant, smtp, mail_worker):
    import icalendar

    event_id = _series(tenant, {"type": 1, "repeat_interval": 7, "end_times": 3})["event_id"]  # every 7 days, 3 times
    last = _sessions(tenant, event_id)[2]["session_id"]
    tenant.sdk.request("POST", f"/zoom_events/events/{event_id}/tickets", json={"tickets": [
        {"email": "ada@daily.example", "first_name": "Ada", "last_name": "L"},
        {"email": "alan@daily.example", "first_name": "Alan", "last_name": "T", "session_ids": [last]}]})
    mail_worker.deliver()

    def calendar_of(message):
        ics = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar").get_content()
        return [v.decoded("dtstart").astimezone(timezone.utc) for v in icalendar.Calendar.from_ical(ics).walk("VEVENT")]

    (ada,) = smtp.to("ada@daily.example")
    text = ada.get_body(("plain",)).get_content()
    assert "Sessions:" in text and "Wednesday, July 15, 2026, 11:00 AM – 12:30 PM EDT" in text
    assert calendar_of(ada) == [datetime(2026, 7, d, 15, tzinfo=timezone.utc) for d in (1, 8, 15)]
    (alan,) = smtp.to("alan@daily.example")
    assert "When: Wednesday, July 15, 2026, 11:00 AM – 12:30 PM EDT" in alan.get_body(("plain",)).get_content()
    assert calendar_of(alan) == [datetime(2026, 7, 15, 15, tzinfo=timezone.utc)]


def test_reminders_go_before_each_occurrence_to_those_registered_for_it(tenant, db, clock, smtp, mail_worker):
    from townhall.services.reminders import ReminderScheduler

    event_id = _series(tenant, {"type": 1, "repeat_interval": 7, "end_times": 3})["event_id"]  # July 1, 8 and 15
    tenant.sdk.request("PATCH", f"/zoom_events/events/{event_id}", json={"reminder_minutes": [60]})
    second = _sessions(tenant, event_id)[1]["session_id"]
    tenant.sdk.request("POST", f"/zoom_events/events/{event_id}/tickets", json={"tickets": [
        {"email": "every@weekly.example", "first_name": "Ada", "last_name": "L"},
        {"email": "second@weekly.example", "first_name": "Alan", "last_name": "T", "session_ids": [second]}]})
    scheduler = ReminderScheduler(db, clock, "testserver")

    def reminders(address):
        return [m for m in smtp.to(address) if m["Subject"].startswith("Reminder")]

    for day in (1, 8, 15):
        clock.set(datetime(2026, 7, day, 14, 0, 30, tzinfo=timezone.utc))  # an hour before the occurrence
        assert scheduler.run_once() >= 1 and scheduler.run_once() == 0  # once each (other tests' series too)
        mail_worker.deliver()
    assert len(reminders("every@weekly.example")) == 3
    (only,) = reminders("second@weekly.example")
    assert "When: Wednesday, July 8, 2026, 11:00 AM – 12:30 PM EDT" in only.get_body(("plain",)).get_content()
    assert "July 15" in reminders("every@weekly.example")[-1].get_body(("plain",)).get_content()


def test_a_duplicated_series_moves_with_its_new_start(tenant):
    event_id = _series(tenant, {"type": 2, "repeat_interval": 1, "weekly_days": [4], "end_date_time": "2026-07-16T00:00:00Z"},
                       publish=False)["event_id"]
    assert len(_sessions(tenant, event_id)) == 3  # July 1, 8 and 15
    copy = tenant.sdk.request("POST", f"/zoom_events/events/{event_id}/event_actions", json={
        "operation": "duplicate", "duplicate_event": {"start_time": "2026-09-02T15:00:00Z"}})
    copied = tenant.sdk.get_event(copy["event_id"])
    assert copied["recurrence"]["end_date_time"] == "2026-09-17T00:00:00Z"
    assert [s["start_time"][:10] for s in _sessions(tenant, copy["event_id"])] == ["2026-09-02", "2026-09-09", "2026-09-16"]
