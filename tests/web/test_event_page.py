"""The public event page at event_url: no sign-in, times in the event's zone, 404 for drafts."""

from datetime import datetime, timezone

from tests.factories import event_fields


def _page(http, event):
    return http.get(event["event_url"].removeprefix("http://testserver"))


def test_published_event_page_shows_the_event_in_its_time_zone(tenant, http):
    event = tenant.sdk.create_event(**event_fields(
        tenant.hub_id, name="Summer <Town> Hall", description="Line one\nLine two", timezone="Europe/Berlin",
        calendar=[{"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T16:30:00Z"}],
    ))
    tenant.sdk.publish_event(event["event_id"])
    page = _page(http, event)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Summer &lt;Town&gt; Hall" in page.text  # escaped
    assert "Wednesday, July 1, 2026, 5:00 PM – 6:30 PM CEST" in page.text
    assert "Webinar" in page.text and "Upcoming" in page.text and "Line two" in page.text
    assert 'name="viewport"' in page.text


def test_page_follows_the_phase(tenant, http, clock):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, meeting_type="MEETING"))
    tenant.sdk.publish_event(event["event_id"])
    clock.set(datetime(2026, 7, 1, 15, 30, tzinfo=timezone.utc))
    live = _page(http, event).text
    assert "Live now" in live and "Meeting" in live
    clock.set(datetime(2026, 7, 2, tzinfo=timezone.utc))
    assert "This event is over" in _page(http, event).text


def test_draft_and_unknown_events_are_404_pages(tenant, http):
    draft = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    for response in (_page(http, draft), http.get("/event/AAAAAAAAAAAAAAAAAAAAAA"), http.get("/event/nonsense")):
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"] and "Page not found" in response.text


def test_cancelled_event_page_says_so_with_the_message(tenant, http):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    tenant.sdk.publish_event(event["event_id"])
    tenant.sdk.cancel_event(event["event_id"], "We are moving to the autumn.")
    page = _page(http, event)
    assert page.status_code == 200
    assert "This event has been cancelled" in page.text and "We are moving to the autumn." in page.text


def test_page_needs_no_sign_in_and_health_needs_no_database(http, app):
    assert http.get("/healthz").json() == {"status": "ok"}
    assert http.get("/docs").status_code == 200
    assert http.get("/no/such/page").status_code == 404
    assert http.get("/v2/zoom_events/nothing").json() == {"code": 64041, "message": "Route Not Found"}
