"""The post-event survey: attendees answer it from their join link once the event has ended."""

from sqlalchemy import select

from tests.factories import event_fields
from townhall.storage.models import Registrant


def test_attendees_answer_once_and_the_report_shows_it(tenant, http, clock, db):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    tenant.sdk.publish_event(event)
    tenant.sdk.request("POST", f"/zoom_events/events/{event}/tickets", json={"tickets": [
        {"email": "ada@example.com", "first_name": "Ada"}, {"email": "bob@example.com"}, {"email": "cy@example.com"}]})
    with db.read() as session:
        tokens = dict(session.execute(select(Registrant.email, Registrant.join_token).where(Registrant.event_id == event)).all())
    ada, bob, cy = tokens["ada@example.com"], tokens["bob@example.com"], tokens["cy@example.com"]
    assert http.get(f"/event/{event}/survey", params={"t": ada}).status_code == 404  # not before the event
    clock.set(clock.now().replace(month=7, day=1, hour=15, minute=30))  # live: Ada and Cy come in
    http.get(f"/j/{ada}")
    http.get(f"/j/{cy}")
    assert http.get(f"/event/{event}/survey", params={"t": ada}).status_code == 404  # not while it runs
    clock.set(clock.now().replace(hour=17))  # over

    ended = http.get(f"/j/{ada}")
    assert 'id="survey-link"' in ended.text and f"/event/{event}/survey?t={ada}" in ended.text
    assert 'id="survey-link"' not in http.get(f"/j/{bob}").text  # Bob never came
    assert http.get(f"/event/{event}/survey", params={"t": bob}).status_code == 404

    page = http.get(f"/event/{event}/survey", params={"t": ada})
    assert page.status_code == 200 and "How would you rate this event overall?" in page.text
    missing = http.post(f"/event/{event}/survey", data={"t": ada, "liked": "The demos"})
    assert missing.status_code == 400 and 'id="rating-error"' in missing.text and "The demos" in missing.text
    done = http.post(f"/event/{event}/survey", data={"t": ada, "rating": "5", "liked": "The demos", "improve": ""})
    assert done.status_code == 200 and 'id="survey-done"' in done.text
    again = http.post(f"/event/{event}/survey", data={"t": ada, "rating": "1"})
    assert 'id="survey-done"' in again.text and 'id="survey-link"' not in http.get(f"/j/{ada}").text
    clock.advance(minutes=1)
    http.post(f"/event/{event}/survey", data={"t": cy, "rating": "3", "anonymous": "on"})

    report = tenant.sdk.request("GET", f"/zoom_events/events/{event}/reports/survey")
    assert report["total_records"] == 2
    assert report["surveys"] == [
        {"email": "ada@example.com", "question_and_answers": [
            {"question": "How would you rate this event overall?", "answer": "5"}, {"question": "What did you like most?", "answer": "The demos"}]},
        {"question_and_answers": [{"question": "How would you rate this event overall?", "answer": "3"}]},
    ]
