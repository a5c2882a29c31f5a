"""Zoom's per-account rate limits, emulated with TOWNHALL_RATE_LIMITS=pro|business, across processes."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.factories import event_fields
from tests.server import running_server
from townhall import spec
from townhall.app import create_app
from townhall.client import ZoomEvents
from townhall.config import RateLimits
from townhall.services import accounts
from townhall.services.rate_limits import DAILY_MESSAGE, PER_SECOND_MESSAGE
from townhall.storage.models import RateCounter


@pytest.fixture
def limited(settings, clock, db):
    app = create_app(settings.model_copy(update={"rate_limits": RateLimits.pro}), clock=clock, db=db)
    with TestClient(app) as client:
        yield client


def _login(db, clock, client, name):
    creds = accounts.create_account(db, clock, name, spec.all_scopes())
    sdk = ZoomEvents("http://testserver", creds.client_id, creds.client_secret, http=client)
    return creds, {"Authorization": f"Bearer {sdk.authenticate()['access_token']}"}


def test_light_operations_allow_30_a_second_per_account(limited, db, clock):
    creds, headers = _login(db, clock, limited, "Acme")
    _, others = _login(db, clock, limited, "Globex")
    answers = [limited.get("/v2/zoom_events/hubs?role_type=host", headers=headers) for _ in range(31)]
    assert [a.status_code for a in answers[:30]] == [200] * 30
    refused = answers[30]
    assert refused.status_code == 429 and refused.json() == {"code": 429, "message": PER_SECOND_MESSAGE}
    assert {k: refused.headers[k] for k in ("x-ratelimit-category", "x-ratelimit-type", "x-ratelimit-limit", "x-ratelimit-remaining", "retry-after")} == {
        "x-ratelimit-category": "Light", "x-ratelimit-type": "QPS", "x-ratelimit-limit": "30", "x-ratelimit-remaining": "0", "retry-after": "1"}
    assert limited.get("/v2/zoom_events/hubs?role_type=host", headers=others).status_code == 200  # another account has its own allowance
    clock.advance(seconds=1)
    assert limited.get("/v2/zoom_events/hubs?role_type=host", headers=headers).status_code == 200


def test_heavy_reports_allow_10_a_second_and_a_daily_allowance(limited, db, clock):
    creds, headers = _login(db, clock, limited, "Acme")
    event = limited.post("/v2/zoom_events/events", headers=headers, json=event_fields(creds.hub_id)).json()["event_id"]
    report = f"/v2/zoom_events/events/{event}/reports/ticket_registration"
    statuses = [limited.get(report, headers=headers).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    # Spend the day's heavy allowance (30,000 on Pro), then one more: refused until midnight UTC.
    clock.advance(seconds=1)
    with db.write() as session:
        counter = session.get(RateCounter, (creds.account_id, "daily", f"d:{clock.now().date().isoformat()}"))
        counter.count = 30_000
    refused = limited.get(report, headers=headers)
    assert refused.status_code == 429 and refused.json()["message"] == DAILY_MESSAGE
    assert refused.headers["x-ratelimit-type"] == "Daily-limit" and refused.headers["x-ratelimit-category"] == "Heavy"
    assert refused.headers["retry-after"] == (clock.now().date() + timedelta(days=1)).strftime("%Y-%m-%dT00:00:00Z")
    assert limited.get("/v2/zoom_events/hubs?role_type=host", headers=headers).status_code == 200  # light operations go on


def test_off_by_default(http, tenant):
    for _ in range(40):
        tenant.sdk.list_hubs()


def test_server_processes_count_together(fresh_database_url):
    """Two server processes, one allowance: a per-process counter would let 60 through in a second."""
    with running_server(fresh_database_url, "--workers", "2", TOWNHALL_RATE_LIMITS="pro") as server:
        creds = server.credentials
        token = httpx.post(f"{server.base_url}/oauth/token", data={"grant_type": "client_credentials"},
                           auth=(creds["client_id"], creds["client_secret"])).json()["access_token"]

        async def burst() -> tuple[list[int], float, float]:
            limits = httpx.Limits(max_connections=16)
            async with httpx.AsyncClient(base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, limits=limits) as client:
                await client.get("/v2/zoom_events/hubs?role_type=host")  # connections warm
                await asyncio.sleep(1.02 - time.time() % 1)  # start at the top of a second
                started = time.time()
                answers = await asyncio.gather(*(client.get("/v2/zoom_events/hubs?role_type=host") for _ in range(90)))
                return [a.status_code for a in answers], started, time.time()

        statuses, started, ended = asyncio.run(burst())
        seconds = int(ended) - int(started) + 1
        assert statuses.count(200) <= 30 * seconds and statuses.count(429) >= 90 - 30 * seconds
        assert set(statuses) == {200, 429}
