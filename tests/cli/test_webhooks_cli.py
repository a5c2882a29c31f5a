"""`townhall webhooks add/list/remove` as real processes, and webhooks sent by a real server fleet."""

import json
import time

import httpx

from tests.server import running_server, server_env, townhall, free_port
from tests.webhook_receiver import webhook_receiver

SECRET = "cli-webhook-secret"


def test_add_list_remove(fresh_database_url):
    env = server_env(fresh_database_url, 8000)
    townhall("init", "--json", env=env)
    with webhook_receiver(SECRET) as receiver:
        added = json.loads(townhall("webhooks", "add", receiver.url, "--secret", SECRET, "--event", "zoom_events.ticket_created",
                                    "--event", "zoom_events.event_published", "--json", env=env).stdout)
        assert len(receiver.of("endpoint.url_validation")) == 1
        assert added["events"] == ["zoom_events.event_published", "zoom_events.ticket_created"] and added["validated_at"]
        everything = json.loads(townhall("webhooks", "add", receiver.url, "--secret", SECRET, "--json", env=env).stdout)
        assert len(everything["events"]) == 21
        listed = json.loads(townhall("webhooks", "list", "--json", env=env).stdout)
        assert [s["id"] for s in listed] == [added["id"], everything["id"]]
        assert added["id"] in townhall("webhooks", "list", env=env).stdout

        wrong = townhall("webhooks", "add", receiver.url, "--secret", "not-the-endpoints-secret", env=env, check=False)
        assert wrong.returncode == 1 and "validation" in wrong.stderr
        unknown = townhall("webhooks", "add", receiver.url, "--secret", SECRET, "--event", "zoom_events.nope", env=env, check=False)
        assert unknown.returncode == 1 and "Unknown event types" in unknown.stderr
        dead = townhall("webhooks", "add", f"http://127.0.0.1:{free_port()}/", "--secret", SECRET, env=env, check=False)
        assert dead.returncode == 1 and "did not accept" in dead.stderr

    assert "Removed" in townhall("webhooks", "remove", added["id"], env=env).stdout
    again = townhall("webhooks", "remove", added["id"], env=env, check=False)
    assert again.returncode == 1 and "No webhook subscription" in again.stderr
    assert [s["id"] for s in json.loads(townhall("webhooks", "list", "--json", env=env).stdout)] == [everything["id"]]


def test_a_server_fleet_sends_each_webhook_once(fresh_database_url):
    with webhook_receiver(SECRET) as receiver, running_server(fresh_database_url, "--workers", "2", TOWNHALL_WORKER_POLL_SECONDS="0.2") as server:
        townhall("webhooks", "add", receiver.url, "--secret", SECRET, "--event", "zoom_events.ticket_created",
                 "--event", "zoom_events.event_published", env=server.env)
        creds = server.credentials
        token = httpx.post(f"{server.base_url}/oauth/token", data={"grant_type": "client_credentials"},
                           auth=(creds["client_id"], creds["client_secret"])).json()["access_token"]
        api = httpx.Client(base_url=f"{server.base_url}/v2/zoom_events", headers={"Authorization": f"Bearer {token}"})
        event = api.post("/events", json={
            "hub_id": creds["hub_id"], "name": "Town hall", "timezone": "UTC", "event_type": "SIMPLE_EVENT",
            "access_level": "PRIVATE_UNRESTRICTED", "meeting_type": "WEBINAR", "attendance_type": "virtual",
            "calendar": [{"start_time": "2031-01-01T15:00:00Z", "end_time": "2031-01-01T16:00:00Z"}]}).json()["event_id"]
        api.post(f"/events/{event}/event_actions", json={"operation": "publish"}).raise_for_status()
        for i in range(20):
            api.post(f"/events/{event}/tickets", json={"tickets": [{"email": f"p{i}@example.com"}]}).raise_for_status()
        deadline = time.monotonic() + 30
        while len(receiver.events()) < 21 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # anything sent twice would arrive meanwhile
        assert not receiver.rejected
        assert sorted(receiver.events()) == ["zoom_events.event_published"] + ["zoom_events.ticket_created"] * 20
        emails = sorted(r.body["payload"]["object"]["email"] for r in receiver.of("zoom_events.ticket_created"))
        assert emails == sorted(f"p{i}@example.com" for i in range(20))
