"""As a person would: headless Chromium registers on the event page, the confirmation email arrives
at a real SMTP server, its join link lets the person into the live event, and the report shows it."""

import re
import time
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import sync_playwright

from townhall.client import ZoomEvents
from tests.server import running_server
from tests.smtp import smtp_server

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def test_register_get_the_email_join_and_show_up_in_the_report(tmp_path, browser):
    with smtp_server() as (inbox, smtp_url), running_server(
        f"sqlite:///{tmp_path}/townhall.db", TOWNHALL_SMTP_URL=smtp_url, TOWNHALL_WORKER_POLL_SECONDS="0.2",
    ) as server:
        creds = server.credentials
        sdk = ZoomEvents(server.base_url, creds["client_id"], creds["client_secret"])
        now = datetime.now(timezone.utc).replace(microsecond=0)
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        event = sdk.create_event(
            hub_id=creds["hub_id"], name="Live Town Hall", description="All hands, live.", timezone="Europe/Berlin",
            event_type="SIMPLE_EVENT", access_level="PRIVATE_UNRESTRICTED", meeting_type="WEBINAR", attendance_type="VIRTUAL",
            calendar=[{"start_time": (now - timedelta(minutes=10)).strftime(fmt), "end_time": (now + timedelta(hours=2)).strftime(fmt)}],
        )
        sdk.publish_event(event["event_id"])

        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.goto(event["event_url"])
        assert page.locator("h1").inner_text() == "Live Town Hall"
        assert page.locator("#event-state").inner_text() == "Live now"
        page.fill("#first_name", "Grace")
        page.fill("#last_name", "Hopper")
        page.fill("#email", "grace@example.com")
        page.click("#submit")
        page.wait_for_selector("#confirmation")
        assert page.locator("#confirmation-email").inner_text() == "grace@example.com"

        message = _wait_for(lambda: (inbox.to("grace@example.com") or [None])[0])
        text = message.get_body(("plain",)).get_content()
        join_link = re.search(r"(http://127\.0\.0\.1:\d+/j/\S+)", text).group(1)

        page.goto(join_link)
        page.wait_for_selector("#room")
        assert "Welcome, Grace Hopper. You are in." in page.locator("#welcome").inner_text()

        attendees = sdk.request("GET", f"/zoom_events/events/{event['event_id']}/reports/event_attendance")["attendees"]
        assert [(a["email"], a["event_attendance"]) for a in attendees] == [("grace@example.com", "attended")]
