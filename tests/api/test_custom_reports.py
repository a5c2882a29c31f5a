"""Custom reports: templates made with the CLI, read through Zoom's API, from what really happened."""

import json

import httpx
import pytest
from sqlalchemy import select

from tests.factories import event_fields
from tests.server import running_server, townhall
from townhall.client import ZoomEventsError
from townhall.services.custom_reports import CustomReportService
from townhall.storage.models import Registrant

TALK = {"name": "Talk", "start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T15:45:00Z", "timezone": "UTC", "type": 2}


def test_the_report_shows_attendance_sessions_surveys_and_tickets(tenant, http, clock, db):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, event_type="CONFERENCE",
                                                   lobby_start_time="2026-07-01T14:30:00Z", lobby_end_time="2026-07-01T15:00:00Z"))["event_id"]
    base = f"/zoom_events/events/{event}"
    talk = tenant.sdk.request("POST", f"{base}/sessions", json=TALK)["session_id"]
    tenant.sdk.publish_event(event)
    tenant.sdk.request("POST", f"{base}/tickets", json={"tickets": [
        {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace", "country": "GB"}, {"email": "bob@example.com"}]})
    with db.read() as session:
        tokens = dict(session.execute(select(Registrant.email, Registrant.join_token).where(Registrant.event_id == event)).all())
    everything = CustomReportService(db, clock).add(event, "Engagement", [])
    names_only = CustomReportService(db, clock).add(event, "Names", ["email", "event_attendance"])

    clock.set(clock.now().replace(month=7, day=1, hour=14, minute=45))  # the lobby is open: Ada comes early
    http.get(f"/j/{tokens['ada@example.com']}")
    clock.set(clock.now().replace(hour=15, minute=5))
    http.get(f"/event/{event}/room/session/{talk}", params={"t": tokens["ada@example.com"]})
    clock.set(clock.now().replace(hour=15, minute=25))
    http.post(f"/event/{event}/room/seen", data={"t": tokens["ada@example.com"]})

    report = tenant.sdk.request("GET", f"{base}/reports/custom_reports/{everything.id}")
    ada, bob = sorted(report["registrants"], key=lambda r: r["email"])
    assert report["total_records"] == 2
    assert (ada["display_name"], ada["country"], ada["event_attendance"], ada["lobby_attendance"]) == ("Ada Lovelace", "GB", "attended", "attended")
    assert ada["sessions"][0]["session_id"] == talk and ada["sessions"][0]["session_attendance"] == "attended"
    assert (bob["event_attendance"], bob["lobby_attendance"], bob["sessions"][0]["session_attendance"]) == ("absent", "absent", "absent")
    assert ada["tickets"][0]["registration_method"] == "pre_registration" and ada["surveys_count"] == 0
    narrow = tenant.sdk.request("GET", f"{base}/reports/custom_reports/{names_only.id}")["registrants"]
    assert sorted(narrow, key=lambda r: r["email"]) == [{"email": "ada@example.com", "event_attendance": "attended"},
                                                      {"email": "bob@example.com", "event_attendance": "absent"}]
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("GET", f"{base}/reports/custom_reports/AAAAAAAAAAAAAAAAAAAAAA")
    assert (info.value.status, info.value.code) == (404, 260801)


def test_templates_from_the_cli(fresh_database_url):
    with running_server(fresh_database_url) as server:
        env, creds = server.env, server.credentials
        bad = townhall("reports", "custom", "add", "AAAAAAAAAAAAAAAAAAAAAA", "--name", "x", env=env, check=False)
        assert bad.returncode == 1 and "Event not found" in bad.stderr
        token = httpx.post(f"{server.base_url}/oauth/token", data={"grant_type": "client_credentials"},
                           auth=(creds["client_id"], creds["client_secret"])).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        event = httpx.post(f"{server.base_url}/v2/zoom_events/events", headers=headers,
                           json=event_fields(creds["hub_id"])).json()["event_id"]
        made = json.loads(townhall("reports", "custom", "add", event, "--name", "Who came", "--column", "email",
                                   "--column", "event_attendance", "--json", env=env).stdout)
        assert made["columns"] == ["email", "event_attendance"] and made["event_id"] == event
        answer = httpx.get(f"{server.base_url}/v2/zoom_events/events/{event}/reports/custom_reports/{made['id']}", headers=headers)
        assert answer.status_code == 200 and answer.json()["registrants"] == []
        unknown = townhall("reports", "custom", "add", event, "--name", "x", "--column", "shoe_size", env=env, check=False)
        assert unknown.returncode == 1 and "Unknown columns" in unknown.stderr
        assert [t["id"] for t in json.loads(townhall("reports", "custom", "list", "--json", env=env).stdout)] == [made["id"]]
        assert "Removed" in townhall("reports", "custom", "remove", made["id"], env=env).stdout
        assert json.loads(townhall("reports", "custom", "list", "--json", env=env).stdout) == []
