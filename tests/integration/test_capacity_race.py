"""Seats are exact under a rush: twice as many concurrent registrations as seats left, over real
HTTP to a real server process, end with exactly the capacity, on SQLite and PostgreSQL."""

import asyncio

import httpx
from sqlalchemy import update

from townhall.client import ZoomEvents
from townhall.storage.db import make_engine
from townhall.storage.models import Event
from townhall.storage.uow import Database
from tests.factories import event_fields
from tests.server import running_server


async def _rush(base_url: str, token: str, event_id: str, emails: list[str], ticket_type_id: str | None = None) -> list[dict]:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=len(emails))
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=60) as client:
        async def one(email: str) -> dict:
            ticket = {"email": email, **({"ticket_type_id": ticket_type_id} if ticket_type_id else {})}
            response = await client.post(f"/v2/zoom_events/events/{event_id}/tickets", json={"tickets": [ticket]})
            assert response.status_code == 201, response.text
            return response.json()

        return await asyncio.gather(*(one(e) for e in emails))


def _published(sdk: ZoomEvents, hub_id: str, **overrides) -> str:
    event_id = sdk.create_event(**event_fields(hub_id, calendar=[{"start_time": "2036-07-01T15:00:00Z", "end_time": "2036-07-01T16:00:00Z"}], **overrides))["event_id"]
    sdk.publish_event(event_id)
    return event_id


def _outcome(results: list[dict]) -> tuple[int, list[str]]:
    created = sum(len(r["tickets"]) for r in results)
    codes = [e["error_code"] for r in results for e in r["errors"]]
    return created, codes


def test_ticket_type_quantity_is_exact_under_a_rush(fresh_database_url):
    with running_server(fresh_database_url, TOWNHALL_RUN_WORKER="false") as server:
        creds = server.credentials
        sdk = ZoomEvents(server.base_url, creds["client_id"], creds["client_secret"])
        event_id = _published(sdk, creds["hub_id"])
        type_id = sdk.request("POST", f"/zoom_events/events/{event_id}/ticket_types", json={
            "name": "Limited", "currency": "USD", "quantity": 25, "start_time": "2020-01-01T00:00:00Z", "end_time": "2036-07-01T00:00:00Z",
        })["ticket_type_id"]
        results = asyncio.run(_rush(server.base_url, sdk.authenticate()["access_token"], event_id, [f"p{i}@example.com" for i in range(60)], type_id))
        created, codes = _outcome(results)
        assert created == 25 and codes == ["stock_not_exist"] * 35
        limited = next(t for t in sdk.request("GET", f"/zoom_events/events/{event_id}/ticket_types")["ticket_types"] if t["ticket_type_id"] == type_id)
        assert limited["sold_quantity"] == 25
        assert sdk.request("GET", f"/zoom_events/events/{event_id}/registrants")["total_records"] == 25


def test_event_capacity_is_exact_under_a_rush(fresh_database_url):
    with running_server(fresh_database_url, TOWNHALL_RUN_WORKER="false") as server:
        creds = server.credentials
        sdk = ZoomEvents(server.base_url, creds["client_id"], creds["client_secret"])
        event_id = _published(sdk, creds["hub_id"], meeting_type="MEETING")  # 1,000 seats
        warm = asyncio.run(_rush(server.base_url, sdk.authenticate()["access_token"], event_id, [f"w{i}@example.com" for i in range(10)]))
        assert _outcome(warm) == (10, [])
        db = Database(make_engine(fresh_database_url))
        with db.write() as session:  # 990 seats taken: only 10 left
            session.execute(update(Event).where(Event.id == event_id).values(registrants_count=990))
        db.dispose()
        results = asyncio.run(_rush(server.base_url, sdk.authenticate()["access_token"], event_id, [f"p{i}@example.com" for i in range(30)]))
        created, codes = _outcome(results)
        assert created == 10 and codes == ["stock_not_exist"] * 20
        assert sdk.request("GET", f"/zoom_events/events/{event_id}/registrants")["total_records"] == 20
