"""Where a registration's CPU goes, timed inside one process: no HTTP server, no load generator.

`python bench/inprocess.py [--backend sqlite|postgresql] [--rounds 300] [--profile]` builds the
app on a fresh database (a SQLite file, or a PostgreSQL database dropped afterwards), and times
in CPU per request (the least of ten blocks of rounds), with the batch applied on the event
loop's thread:

- healthz: `GET /healthz` through the ASGI app (the app's share of what bench/run.py's healthz
  costs the server; uvicorn and the kernel add the rest);
- registration: `POST .../tickets` through the ASGI app, 32 at a time (one group-commit batch);
- endpoint alone: the same, with a batch that answers at once without the database;
- endpoint batched: the same, through the batcher (each request waits for its batch), whose
  handler answers at once without the database: the hand-over's cost over "endpoint alone";
- batch alone: the group-commit batch of 32 registrations called directly (and its wall time);
- join: `GET /j/{token}` through the ASGI app, 32 at a time (one batch), on the live event.

`--profile` prints cProfile's top functions for the registration, batch and join steps (SORT and
TOP in the environment choose the order and how many). Keep the
process on one core (`taskset -c 1`) for steadier figures; they still move between runs on a
shared machine, so compare steps of one run."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import psycopg

from run import PG_SERVER, rush_event  # bench/run.py, next to this file: the same event and server

BIN = Path(sys.executable).parent
BATCH = 32


def database(kind: str, workdir: str) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        return f"sqlite:///{workdir}/inprocess.db", lambda: None
    name = f"townhall_inprocess_{secrets.token_hex(4)}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{PG_SERVER}/{name}", drop


class Asgi:
    """Requests straight into the ASGI app, as uvicorn would hand them over."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app

    async def __call__(self, method: str, path: str, body: bytes = b"", headers: tuple = ()) -> int:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "path": path,
                 "raw_path": path.encode(), "query_string": b"", "root_path": "", "scheme": "http",
                 "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000),
                 "headers": [(b"host", b"127.0.0.1:8000"), (b"content-length", str(len(body)).encode()), *headers]}
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        status: list[int] = []

        async def receive() -> dict:
            if messages:
                return messages.pop()
            await asyncio.Event().wait()  # no disconnect while the request is in flight
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await self.app(scope, receive, send)
        return status[0]


def cpu_per(count: int, step: Callable[[], Awaitable[None]], rounds: int, profile: bool, blocks: int = 10) -> float:
    """CPU per request over `rounds` steps, in the least of `blocks` blocks: on a shared machine
    another tenant's load only ever adds to a block, so the least is the steadiest figure."""
    async def run() -> float:
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        per_block = max(1, rounds // blocks)
        least = float("inf")
        for _ in range(max(1, rounds // per_block)):
            started = time.process_time()
            for _ in range(per_block):
                await step()
            least = min(least, (time.process_time() - started) / (per_block * count))
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "tottime")).print_stats(int(os.environ.get("TOP", "25")))
        return least * 1e6

    return asyncio.get_event_loop().run_until_complete(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=300, help="batches of 32 per step")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="townhall-inprocess-") as workdir:
        url, drop = database(args.backend, workdir)
        try:
            os.environ.update(TOWNHALL_DATABASE_URL=url, TOWNHALL_RUN_WORKER="false", TOWNHALL_MAIL_DIR=f"{workdir}/mail",
                              TOWNHALL_PUBLIC_URL="http://127.0.0.1:8000")
            creds = json.loads(subprocess.run([str(BIN / "townhall"), "init", "--json"], capture_output=True, text=True, check=True).stdout)
            print(json.dumps(measure(creds, args.backend, args.rounds, args.profile), indent=1))
        finally:
            drop()


def measure(creds: dict, backend: str, rounds: int, profile: bool) -> dict:
    from townhall.app import create_app
    from townhall.services.registration import Registered, TicketRequest, _Job

    app = create_app()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    lifespan = app.router.lifespan_context(app)
    loop.run_until_complete(lifespan.__aenter__())
    try:
        token, event_id = loop.run_until_complete(_event(app, creds))
        registration = app.state.registration
        registration._batcher._thread = None  # batches on this thread, so that process time and cProfile see them
        asgi = Asgi(app)
        path = f"/v2/zoom_events/events/{event_id}/tickets"
        headers = ((b"authorization", f"Bearer {token}".encode()), (b"content-type", b"application/json"))
        sent = 0

        async def register_batch() -> None:
            nonlocal sent
            bodies = []
            for _ in range(BATCH):
                sent += 1
                bodies.append(json.dumps({"tickets": [{"email": f"u{sent}@example.com", "first_name": "Bench", "last_name": "User"}]}).encode())
            statuses = await asyncio.gather(*(asgi("POST", path, body, headers) for body in bodies))
            assert set(statuses) == {201}, statuses

        async def healthz() -> None:
            assert await asgi("GET", "/healthz") == 200

        results = {"backend": backend, "rounds": rounds, "batch": BATCH}
        cpu_per(1, healthz, 500, False)  # warm-up
        results["healthz_us"] = round(cpu_per(1, healthz, 20 * rounds, False), 1)
        cpu_per(BATCH, register_batch, 10, False)
        results["registration_us"] = round(cpu_per(BATCH, register_batch, rounds, profile), 1)

        real = registration.register_async

        def answered(requests: list) -> list:  # what a batch answers, without the database
            return [Registered("AAAAAAAAAAAAAAAAAAAAAA", r.email, None, "A" * 32, "AAAAAAAAAAAAAAAAAAAAAA") for r in requests]

        async def instant(event_id: str, requests: list, **_: object) -> list:
            return answered(requests)

        registration.register_async = instant
        results["endpoint_alone_us"] = round(cpu_per(BATCH, register_batch, rounds, False), 1)
        registration.register_async = real

        batcher = registration._batcher
        real_handle = batcher._handle
        batcher._handle = lambda jobs: [answered(job.requests) for job in jobs]
        results["endpoint_batched_us"] = round(cpu_per(BATCH, register_batch, rounds, False), 1)
        batcher._handle = real_handle

        jobs = []
        for _ in range(rounds):
            batch = []
            for _ in range(BATCH):
                sent += 1
                batch.append(_Job(event_id, [TicketRequest(email=f"u{sent}@example.com", answers={"first_name": "Bench", "last_name": "User"})],
                                  "pre_registration", None, "standard", creds["account_id"], False))
            jobs.append(batch)
        walls = []

        async def apply_batch() -> None:
            started = time.perf_counter()
            outcomes = registration._apply(jobs.pop())
            walls.append(time.perf_counter() - started)
            assert not any(isinstance(o, BaseException) for o in outcomes), outcomes

        results["batch_alone_us"] = round(cpu_per(BATCH, apply_batch, rounds, profile), 1)
        results["batch_wall_ms"] = round(sum(walls) / len(walls) * 1e3, 2)

        with app.state.db.engine.connect() as connection:
            tokens = iter([row[0] for row in connection.exec_driver_sql("SELECT join_token FROM registrants")])
        app.state.join._batcher._thread = None

        async def join_batch() -> None:  # 32 personal join links opened at once (303 to the room)
            statuses = await asyncio.gather(*(asgi("GET", f"/j/{next(tokens)}") for _ in range(BATCH)))
            assert set(statuses) == {303}, statuses

        results["join_us"] = round(cpu_per(BATCH, join_batch, rounds, profile), 1)
        return results
    finally:
        loop.run_until_complete(lifespan.__aexit__(None, None, None))


async def _event(app, creds: dict) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000") as client:
        token = (await client.post("/oauth/token", data={"grant_type": "client_credentials"},
                                   auth=(creds["client_id"], creds["client_secret"]))).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        event = (await client.post("/v2/zoom_events/events", headers=headers, json=rush_event(creds["hub_id"]))).json()
        (await client.post(f"/v2/zoom_events/events/{event['event_id']}/event_actions", headers=headers,
                           json={"operation": "publish"})).raise_for_status()
        return token, event["event_id"]


if __name__ == "__main__":
    main()
