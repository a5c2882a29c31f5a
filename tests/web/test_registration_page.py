"""The registration form on the event page, driven over HTTP as a browser without JavaScript would."""

import re

import pytest
from sqlalchemy import select

from townhall.storage import outbox
from townhall.storage.models import OutboxMessage

from tests.factories import event_fields

QUESTIONS = {
    "questions": [{"field_name": "job_title", "required": True}, {"field_name": "city", "required": False}],
    "custom_questions": [
        {"title": "Why are you coming?", "type": "short_answer", "required": True, "min_length": 3, "max_length": 40},
        {"title": "Anything else?", "type": "long_answer"},
        {"title": "Team", "type": "single_dropdown", "options": ["Sales", "R&D"], "required": True},
        {"title": "Seat", "type": "single_radio", "options": ["Aisle", "Window"]},
        {"title": "Topics", "type": "multiple_choice", "options": ["AI", "Cloud", "Security"]},
    ],
}


@pytest.fixture
def event(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    tenant.sdk.request("PUT", f"/zoom_events/events/{event['event_id']}/questions", json=QUESTIONS)
    tenant.sdk.publish_event(event["event_id"])
    return event


def _path(event):
    return event["event_url"].removeprefix("http://testserver")


def _csrf(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _question_keys(tenant, event):
    config = tenant.sdk.request("GET", f"/zoom_events/events/{event['event_id']}/questions")
    return {q["title"]: f"q_{q['question_id']}" for q in config["custom_questions"]}


def _valid_form(keys, **overrides):
    form = {
        "first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com", "job_title": "Admiral",
        keys["Why are you coming?"]: "To learn", keys["Team"]: "R&D", keys["Seat"]: "Aisle",
        keys["Topics"]: ["AI", "Security"],
    }
    form.update(overrides)
    return form


def test_form_shows_every_configured_question(http, event):
    page = http.get(_path(event))
    html = page.text
    for label in ("First name", "Last name", "Email", "Job Title", "City", "Why are you coming?", "Anything else?", "Team", "Seat", "Topics"):
        assert label in html
    assert '<select' in html and 'type="radio"' in html and 'type="checkbox"' in html and "<textarea" in html
    assert "townhall_csrf" in page.headers["set-cookie"]
    assert "<script" not in html  # works without JavaScript


def test_registering_redirects_to_a_confirmation(http, tenant, event):
    keys = _question_keys(tenant, event)
    csrf = _csrf(http.get(_path(event)).text)
    response = http.post(_path(event), data={**_valid_form(keys), "csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    confirmation = http.get(response.headers["location"])
    assert "You're registered for Q3 All Hands" in confirmation.text and "grace@example.com" in confirmation.text
    ref = response.headers["location"].rpartition("r=")[2]
    # (the last character changed to another: "0" where it was not one already, one time in 64)
    for tampered in (ref[:-1] + ("1" if ref.endswith("0") else "0"), ref.rpartition(".")[0] + ".é", ref.rpartition(".")[0] + ".😀"):
        page = http.get(f"{_path(event)}/registered", params={"r": tampered})
        assert page.status_code == 404 and "This confirmation link is not valid" in page.text
    (ticket,) = tenant.sdk.paginate(f"/zoom_events/events/{event['event_id']}/tickets", "tickets")
    assert ticket["job_title"] == "Admiral" and ticket["first_name"] == "Grace"
    answers = {a["title"]: a["answer"] for a in ticket["custom_questions"]}
    assert answers == {"Why are you coming?": "To learn", "Team": "R&D", "Seat": "Aisle", "Topics": "AI, Security"}


def test_bad_fields_get_a_message_beside_each_and_keep_the_answers(http, tenant, event):
    keys = _question_keys(tenant, event)
    csrf = _csrf(http.get(_path(event)).text)
    form = _valid_form(keys, first_name="", email="grace@", job_title="", **{keys["Why are you coming?"]: "no", keys["Team"]: ""})
    response = http.post(_path(event), data={**form, "csrf_token": csrf})
    assert response.status_code == 400
    html = response.text
    assert re.search(r'id="first_name-error">This field is required', html)
    assert re.search(r'id="job_title-error">This field is required', html)
    assert 'id="email-error">This is not a valid email address' in html
    assert f'id="{keys["Why are you coming?"]}-error">Write at least 3 characters' in html
    assert f'id="{keys["Team"]}-error">This question needs an answer' in html
    assert 'value="Hopper"' in html  # what was typed is kept
    assert list(tenant.sdk.paginate(f"/zoom_events/events/{event['event_id']}/tickets", "tickets")) == []


def test_form_without_csrf_token_is_refused(http, tenant, event):
    keys = _question_keys(tenant, event)
    http.get(_path(event))
    response = http.post(_path(event), data=_valid_form(keys))
    assert response.status_code == 400 and "session expired" in response.text
    forged = http.post(_path(event), data={**_valid_form(keys), "csrf_token": "0" * 64})
    assert forged.status_code == 400
    for token in ("é" * 64, "😀"):  # not ASCII: refused the same way, not a server error
        forged = http.post(_path(event), data={**_valid_form(keys), "csrf_token": token})
        assert forged.status_code == 400 and "session expired" in forged.text
    assert list(tenant.sdk.paginate(f"/zoom_events/events/{event['event_id']}/tickets", "tickets")) == []


def test_same_email_again_is_not_a_second_registration(http, tenant, event, db):
    keys = _question_keys(tenant, event)
    csrf = _csrf(http.get(_path(event)).text)
    http.post(_path(event), data={**_valid_form(keys), "csrf_token": csrf})
    again = http.post(_path(event), data={**_valid_form(keys, email="  GRACE@Example.COM "), "csrf_token": csrf})
    assert again.status_code == 409
    assert "already registered for this event" in again.text and 'id="resend"' in again.text
    assert len(list(tenant.sdk.paginate(f"/zoom_events/events/{event['event_id']}/tickets", "tickets"))) == 1
    resent = http.post(f"{_path(event)}/resend", data={"email": "grace@example.com", "csrf_token": csrf})
    assert resent.status_code == 200 and "on its way again" in resent.text
    with db.write() as session:  # as a mail worker finds them
        outbox.expand(session)
        kinds = list(session.scalars(select(OutboxMessage.kind).where(OutboxMessage.event_id == event["event_id"])))
    assert kinds == ["confirmation", "confirmation"]


def test_restricted_event_refuses_outsiders_on_the_page(http, tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, access_level="PRIVATE_RESTRICTED"))
    (default,) = tenant.sdk.request("GET", f"/zoom_events/events/{event['event_id']}/ticket_types")["ticket_types"]
    tenant.sdk.request("PATCH", f"/zoom_events/events/{event['event_id']}/ticket_types/{default['ticket_type_id']}",
                       json={"private_visibility_rules": {"allow_domain_list": ["acme.com"]}})
    tenant.sdk.publish_event(event["event_id"])
    csrf = _csrf(http.get(_path(event)).text)
    outsider = http.post(_path(event), data={"first_name": "E", "last_name": "Ve", "email": "eve@evil.com", "csrf_token": csrf})
    assert outsider.status_code == 400 and "restricted" in outsider.text
    insider = http.post(_path(event), data={"first_name": "A", "last_name": "Nn", "email": "ann@acme.com", "csrf_token": csrf}, follow_redirects=False)
    assert insider.status_code == 303


def test_no_form_once_the_event_is_over_or_full(http, tenant, clock):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    (default,) = tenant.sdk.request("GET", f"/zoom_events/events/{event['event_id']}/ticket_types")["ticket_types"]
    tenant.sdk.request("PATCH", f"/zoom_events/events/{event['event_id']}/ticket_types/{default['ticket_type_id']}", json={"quantity": 1})
    tenant.sdk.publish_event(event["event_id"])
    assert 'id="submit"' in http.get(_path(event)).text
    tenant.sdk.request("POST", f"/zoom_events/events/{event['event_id']}/tickets", json={"tickets": [{"email": "one@example.com"}]})
    full = http.get(_path(event)).text
    assert 'id="submit"' not in full and "every seat has been taken" in full
    clock.advance(days=60)
    over = http.get(_path(event)).text
    assert 'id="submit"' not in over and "this event has ended" in over


def test_several_ticket_types_can_be_chosen(http, tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    vip = tenant.sdk.request("POST", f"/zoom_events/events/{event['event_id']}/ticket_types", json={
        "name": "VIP", "currency": "USD", "price": "50", "start_time": "2026-05-01T00:00:00Z", "end_time": "2026-07-01T00:00:00Z"})["ticket_type_id"]
    tenant.sdk.publish_event(event["event_id"])
    html = http.get(_path(event)).text
    assert "General Admission" in html and "VIP (50 USD)" in html
    csrf = _csrf(html)
    http.post(_path(event), data={"first_name": "V", "last_name": "Ip", "email": "vip@example.com", "ticket_type_id": vip, "csrf_token": csrf})
    (ticket,) = tenant.sdk.paginate(f"/zoom_events/events/{event['event_id']}/tickets", "tickets")
    assert ticket["ticket_type_id"] == vip


def test_page_is_readable_on_a_phone(http, event):
    css = http.get("/static/site.css").text
    assert "@media (max-width" in css
    assert 'name="viewport" content="width=device-width' in http.get(_path(event)).text


def test_checked_choices_survive_a_failed_submission(http, tenant, event):
    keys = _question_keys(tenant, event)
    csrf = _csrf(http.get(_path(event)).text)
    html = http.post(_path(event), data={**_valid_form(keys, email="nope"), "csrf_token": csrf}).text
    assert re.search(rf'name="{keys["Topics"]}" value="AI"\s+checked', html)
    assert re.search(rf'name="{keys["Topics"]}" value="Security"\s+checked', html)
    assert not re.search(rf'name="{keys["Topics"]}" value="Cloud"\s+checked', html)
