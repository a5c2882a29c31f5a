"""Speakers: an event's organizers manage them; the event's page shows the visible ones."""

import pytest

from townhall.client import ZoomEventsError
from tests.factories import event_fields


@pytest.fixture
def event(tenant):
    return tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]


def _speakers(tenant, event):
    return tenant.sdk.request("GET", f"/zoom_events/events/{event}/speakers")


def test_speaker_lifecycle(tenant, event):
    created = tenant.sdk.request("POST", f"/zoom_events/events/{event}/speakers", json={
        "name": "Grace Hopper", "email": "Grace@Example.com", "job_title": "Rear Admiral", "featured_in_lobby": True,
    })
    assert created["name"] == "Grace Hopper" and created["email"] == "Grace@example.com"
    assert created["visible_in_event_detail_page"] is True and created["featured_in_lobby"] is True
    speaker = created["speaker_id"]
    assert _speakers(tenant, event) == {"total_records": 1, "speakers": [created]}
    tenant.sdk.request("PATCH", f"/zoom_events/events/{event}/speakers/{speaker}", json={"biography": "Wrote the first compiler."})
    fetched = tenant.sdk.request("GET", f"/zoom_events/events/{event}/speakers/{speaker}")
    assert fetched["biography"] == "Wrote the first compiler." and fetched["job_title"] == "Rear Admiral"
    tenant.sdk.request("DELETE", f"/zoom_events/events/{event}/speakers/{speaker}")
    assert _speakers(tenant, event) == {"total_records": 0, "speakers": []}
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("GET", f"/zoom_events/events/{event}/speakers/{speaker}")
    assert (info.value.status, info.value.code) == (404, 2005)


def test_an_email_belongs_to_one_speaker_per_event(tenant, event):
    path = f"/zoom_events/events/{event}/speakers"
    tenant.sdk.request("POST", path, json={"name": "Ada", "email": "ada@example.com"})
    other = tenant.sdk.request("POST", path, json={"name": "Charles"})["speaker_id"]
    for call in (lambda: tenant.sdk.request("POST", path, json={"name": "Ada again", "email": "ADA@example.com"}),
                 lambda: tenant.sdk.request("PATCH", f"{path}/{other}", json={"email": "ada@example.com"})):
        with pytest.raises(ZoomEventsError) as info:
            call()
        assert (info.value.status, info.value.code) == (400, 1003)


def test_bad_fields_are_reported_together(tenant, event):
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("POST", f"/zoom_events/events/{event}/speakers", json={"email": "not-an-email", "visible_in_lobby": "yes"})
    assert info.value.code == 300
    assert {e["field"] for e in info.value.body["errors"]} == {"name", "email", "visible_in_lobby"}


def test_other_accounts_cannot_see_or_touch_speakers(tenant, event, make_tenant):
    speaker = tenant.sdk.request("POST", f"/zoom_events/events/{event}/speakers", json={"name": "Ada"})["speaker_id"]
    other = make_tenant("Other")
    for method, path in (("GET", "/speakers"), ("POST", "/speakers"), ("GET", f"/speakers/{speaker}"),
                         ("PATCH", f"/speakers/{speaker}"), ("DELETE", f"/speakers/{speaker}")):
        with pytest.raises(ZoomEventsError) as info:
            other.sdk.request(method, f"/zoom_events/events/{event}{path}", json={"name": "Mallory"} if method in ("POST", "PATCH") else None)
        assert (info.value.status, info.value.code) == (404, 2002)
    assert _speakers(tenant, event)["total_records"] == 1


def test_event_page_shows_visible_speakers_featured_first(tenant, event, http):
    path = f"/zoom_events/events/{event}/speakers"
    tenant.sdk.request("POST", path, json={"name": "Charles Babbage", "job_title": "Inventor"})
    tenant.sdk.request("POST", path, json={"name": "Ada Lovelace", "featured_in_event_detail_page": True, "company_name": "Analytical Engines"})
    tenant.sdk.request("POST", path, json={"name": "Hidden Person", "visible_in_event_detail_page": False})
    tenant.sdk.publish_event(event)
    page = http.get(f"/event/{event}").text
    assert page.index("Ada Lovelace") < page.index("Charles Babbage")
    assert "Analytical Engines" in page and "Inventor" in page and "Hidden Person" not in page
