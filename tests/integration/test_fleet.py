"""Fleet mode: servers on several hosts behind a load balancer share nothing but the database.

Two separate `townhall serve` processes on one database stand for two hosts. Each step of a
client's or a person's way goes to the other server than the step before, as a load balancer
without sticky sessions sends it: whatever one server hands out (an access token, a form's CSRF
pair, a confirmation link, a join link, a host's session token) must work on the other."""

import re
from datetime import datetime, timedelta, timezone

import httpx

from tests.server import ServerProcess

FMT = "%Y-%m-%dT%H:%M:%SZ"


def _live_conference(hub_id: str) -> tuple[dict, dict]:
    """A CONFERENCE live from five minutes ago for an hour, and a session inside it."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    start, end = now - timedelta(minutes=5), now + timedelta(hours=1)
    event = {"hub_id": hub_id, "name": "Fleet all-hands", "timezone": "UTC", "event_type": "CONFERENCE",
             "access_level": "PRIVATE_UNRESTRICTED", "meeting_type": "WEBINAR", "attendance_type": "virtual",
             "calendar": [{"start_time": start.strftime(FMT), "end_time": end.strftime(FMT)}]}
    session = {"name": "Keynote", "start_time": start.strftime(FMT), "end_time": (start + timedelta(minutes=45)).strftime(FMT),
               "timezone": "UTC", "type": 2}
    return event, session


def _form_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_everything_one_server_hands_out_works_on_the_other(fresh_database_url):
    a = ServerProcess(fresh_database_url, TOWNHALL_RUN_WORKER="false").start()
    b = ServerProcess(fresh_database_url, TOWNHALL_RUN_WORKER="false").start()
    try:
        creds = a.credentials  # (b's `townhall init` found the account made by a's)
        token = httpx.post(f"{a.base_url}/oauth/token", data={"grant_type": "client_credentials"},
                           auth=(creds["client_id"], creds["client_secret"])).json()["access_token"]
        api_b = httpx.Client(base_url=f"{b.base_url}/v2/zoom_events", headers={"Authorization": f"Bearer {token}"})
        api_a = httpx.Client(base_url=f"{a.base_url}/v2/zoom_events", headers={"Authorization": f"Bearer {token}"})
        event_fields, session_fields = _live_conference(creds["hub_id"])
        created = api_b.post("/events", json=event_fields)
        assert created.status_code == 201, created.text
        event_id = created.json()["event_id"]
        session_id = api_a.post(f"/events/{event_id}/sessions", json=session_fields).json()["session_id"]
        assert api_b.post(f"/events/{event_id}/event_actions", json={"operation": "publish"}).status_code == 201

        # A person: the form from a, sent to b with a's cookie; the confirmation page back on a.
        person = httpx.Client(base_url=a.base_url)
        page = person.get(f"/event/{event_id}")
        assert page.status_code == 200
        form = {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace", "csrf_token": _form_token(page.text)}
        forged = httpx.post(f"{b.base_url}/event/{event_id}", data={**form, "csrf_token": "0" * 64}, cookies=person.cookies)
        assert forged.status_code == 400 and "Your session expired" in forged.text
        sent = httpx.post(f"{b.base_url}/event/{event_id}", data=form, cookies=person.cookies)
        assert sent.status_code == 303, sent.text
        confirmation = person.get(sent.headers["location"])
        assert confirmation.status_code == 200 and "ada@example.com" in confirmation.text

        # Her join link, handed out by b's API, opened on a; the room it leads to, on b.
        (ticket,) = api_b.get(f"/events/{event_id}/tickets").json()["tickets"]
        join_path = httpx.URL(ticket["event_join_link"]).path
        joined = httpx.get(f"{a.base_url}{join_path}")
        assert joined.status_code == 303, joined.text
        room = httpx.get(f"{b.base_url}{joined.headers['location']}")
        assert room.status_code == 200 and "Live: Fleet all-hands" in room.text
        attendance = api_a.get(f"/events/{event_id}/reports/event_attendance").json()["attendees"]
        assert {p["email"]: p["event_attendance"] for p in attendance} == {"ada@example.com": "attended"}

        # The host's way into a session: the token from a, the room on b.
        host_token = api_a.get(f"/events/{event_id}/sessions/{session_id}/join_token").json()["join_token"]
        host_room = httpx.get(f"{b.base_url}/event/{event_id}/session/{session_id}", params={"jt": host_token})
        assert host_room.status_code == 200 and "You are in as the host" in host_room.text
        api_a.close()
        api_b.close()
        person.close()
    finally:
        a.stop()
        b.stop()
