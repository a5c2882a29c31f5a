"""Nothing is lost in a registration rush: exact seats with several server processes, a server
killed mid-rush, and a mail server that is down for a while. Real processes, real HTTP."""

import asyncio
import threading
import time

import httpx

from townhall.client import ZoomEvents
from tests.factories import event_fields
from tests.server import ServerProcess, free_port
from tests.smtp import Inbox, smtp_server

FUTURE = [{"start_time": "2036-07-01T15:00:00Z", "end_time": "2036-07-01T16:00:00Z"}]


def _event(server: ServerProcess, **overrides) -> tuple[ZoomEvents, str]:
    creds = server.credentials
    sdk = ZoomEvents(server.base_url, creds["client_id"], creds["client_secret"])
    event_id = sdk.create_event(**event_fields(creds["hub_id"], calendar=FUTURE, **overrides))["event_id"]
    sdk.publish_event(event_id)
    return sdk, event_id


async def _rush(base_url: str, token: str, event_id: str, emails: list[str], concurrency: int, answered: dict,
                copies: int = 1) -> None:
    """Register everyone, `concurrency` at a time; `answered` gets each email's 201 body (or the error).
    With `copies`, each email is sent that many times, the copies side by side in the queue (so
    that they go at nearly the same moment, on different connections), and answers are keyed by
    (email, copy).
    The connections are shared out among clients of 16 or so each: httpx's pool looks through
    all its connections for each waiting request, which with 200 in one pool made the client,
    not the servers, the bottleneck (48 s for 2,000 registrations)."""
    items = [(email if copies == 1 else (email, copy), email) for email in emails for copy in range(copies)]
    clients = max(1, concurrency // 16)
    await asyncio.gather(*(_rush_share(base_url, token, event_id, items[i::clients], concurrency // clients + (i < concurrency % clients), answered)
                           for i in range(clients)))


async def _rush_share(base_url: str, token: str, event_id: str, items: list[tuple], concurrency: int, answered: dict) -> None:
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30,
                                 limits=httpx.Limits(max_connections=concurrency)) as client:
        async def one(key: object, email: str) -> None:
            async with gate:
                try:
                    response = await client.post(f"/v2/zoom_events/events/{event_id}/tickets", json={"tickets": [{"email": email}]})
                except httpx.HTTPError as exc:
                    answered[key] = exc
                    return
                answered[key] = response.json() if response.status_code == 201 else response

        await asyncio.gather(*(one(key, email) for key, email in items))


def _created(answered: dict) -> set[str]:
    return {email for email, body in answered.items() if isinstance(body, dict) and body["tickets"]}


def _registrants(sdk: ZoomEvents, event_id: str) -> dict[str, str]:
    """email -> ticket id of everyone registered, read back through the API."""
    return {t["email"]: t["ticket_id"] for t in sdk.paginate(f"/zoom_events/events/{event_id}/tickets", "tickets", page_size=300)}


def _confirmations(inbox: Inbox) -> dict[str, set[str]]:
    """recipient -> the distinct Message-IDs of the confirmations they received."""
    seen: dict[str, set[str]] = {}
    for message in inbox.messages:
        if message["Subject"].startswith("You're registered"):
            seen.setdefault(message["To"], set()).add(message["Message-ID"])
    return seen


def _wait_for(predicate, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_exact_seats_with_several_server_processes(fresh_database_url):
    server = ServerProcess(fresh_database_url, "--workers", "3", TOWNHALL_RUN_WORKER="false").start()
    try:
        sdk, event_id = _event(server, meeting_type="MEETING")  # 1,000 seats
        answered: dict = {}
        emails = [f"rush{i}@example.com" for i in range(2000)]
        asyncio.run(_rush(server.base_url, sdk.authenticate()["access_token"], event_id, emails, 200, answered))
        created = _created(answered)
        refused = [b["errors"][0]["error_code"] for b in answered.values() if isinstance(b, dict) and b["errors"]]
        others = [f"{e}: {b!r} {getattr(b, 'text', '')[:300]}" for e, b in answered.items() if not isinstance(b, dict)]
        assert others == []
        assert len(created) == 1000 and refused == ["stock_not_exist"] * 1000
        assert set(_registrants(sdk, event_id)) == created
        (ticket_type,) = sdk.request("GET", f"/zoom_events/events/{event_id}/ticket_types")["ticket_types"]
        assert ticket_type["sold_quantity"] == 1000
    finally:
        server.stop()


def test_people_registering_twice_at_once_through_several_processes_are_registered_and_mailed_once(fresh_database_url):
    """Each person sent twice in the same rush, the copies racing through three server processes:
    one copy is registered and the other refused as registered already, the seat count is the
    number of people, and each gets one confirmation."""
    with smtp_server() as (inbox, smtp_url):
        server = ServerProcess(fresh_database_url, "--workers", "3", TOWNHALL_SMTP_URL=smtp_url, TOWNHALL_WORKER_POLL_SECONDS="0.2").start()
        try:
            sdk, event_id = _event(server, meeting_type="MEETING")  # 1,000 seats
            answered: dict = {}
            emails = [f"twice{i}@example.com" for i in range(300)]
            asyncio.run(_rush(server.base_url, sdk.authenticate()["access_token"], event_id, emails, 100, answered, copies=2))
            others = [f"{key}: {body!r}" for key, body in answered.items() if not isinstance(body, dict)]
            assert others == []
            for email in emails:
                first, second = answered[(email, 0)], answered[(email, 1)]
                assert sorted([len(first["tickets"]), len(second["tickets"])]) == [0, 1], email
                assert [e["error_code"] for e in first["errors"] + second["errors"]] == ["ticket_generated_failed"], email
            assert set(_registrants(sdk, event_id)) == set(emails)
            (ticket_type,) = sdk.request("GET", f"/zoom_events/events/{event_id}/ticket_types")["ticket_types"]
            assert ticket_type["sold_quantity"] == len(emails)
            _wait_for(lambda: set(_confirmations(inbox)) >= set(emails))
            time.sleep(1)
            confirmations = _confirmations(inbox)
            assert set(confirmations) == set(emails) and all(len(ids) == 1 for ids in confirmations.values())
            assert len(inbox.messages) == len(emails)
        finally:
            server.stop()


def test_a_server_killed_mid_rush_loses_nothing_and_mails_everyone_once(fresh_database_url):
    with smtp_server() as (inbox, smtp_url):
        server = ServerProcess(fresh_database_url, TOWNHALL_SMTP_URL=smtp_url, TOWNHALL_WORKER_POLL_SECONDS="0.2",
                               TOWNHALL_MAIL_LEASE_SECONDS="3").start()
        try:
            sdk, event_id = _event(server)
            token = sdk.authenticate()["access_token"]
            answered: dict = {}
            emails = [f"crash{i}@example.com" for i in range(1500)]
            rush = threading.Thread(target=lambda: asyncio.run(_rush(server.base_url, token, event_id, emails, 32, answered)))
            rush.start()
            _wait_for(lambda: len(answered) >= 300)
            server.kill9()
            rush.join()
            acknowledged = _created(answered)
            assert 300 <= len(acknowledged) < len(emails)  # the kill landed mid-rush

            server.start()
            registered = _registrants(sdk, event_id)
            assert acknowledged <= set(registered)  # every 201 is there
            _wait_for(lambda: set(_confirmations(inbox)) >= set(registered))
            confirmations = _confirmations(inbox)
            assert set(confirmations) == set(registered)
            assert all(len(ids) == 1 for ids in confirmations.values())  # each exactly once, by Message-ID
        finally:
            server.stop()


def test_mail_outage_during_the_rush_delivers_every_confirmation_once_it_is_back(fresh_database_url):
    smtp_port = free_port()
    server = ServerProcess(
        fresh_database_url, TOWNHALL_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}", TOWNHALL_WORKER_POLL_SECONDS="0.2",
        TOWNHALL_MAIL_RETRY_SECONDS="0.5",
    ).start()
    try:
        sdk, event_id = _event(server)
        answered: dict = {}
        emails = [f"outage{i}@example.com" for i in range(400)]
        asyncio.run(_rush(server.base_url, sdk.authenticate()["access_token"], event_id, emails, 32, answered))
        assert _created(answered) == set(emails)
        time.sleep(1)  # the worker has tried and failed meanwhile
        from tests.smtp import Controller

        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        try:
            _wait_for(lambda: len(_confirmations(inbox)) == len(emails))
            time.sleep(1)
            confirmations = _confirmations(inbox)
            assert set(confirmations) == set(emails)
            assert sum(len(ids) for ids in confirmations.values()) == len(emails)
            assert len(inbox.messages) == len(emails)  # nothing sent twice
        finally:
            controller.stop()
    finally:
        server.stop()
