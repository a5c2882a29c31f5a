"""Zoom's API rate limits, emulated per account (TOWNHALL_RATE_LIMITS=pro|business; off by default).

Each operation has a label in Zoom's spec (LIGHT, MEDIUM, HEAVY; spec.rate_labels). Per account
and label, Zoom allows so many requests a second, and HEAVY and RESOURCE-INTENSIVE ones share a
daily allowance too (reference/zoom-events-api.md, 1.3). The counters are rows in the database,
incremented in one upsert per request, so every server process of a fleet counts together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from townhall import spec
from townhall.clock import Clock
from townhall.storage.models import RateCounter
from townhall.storage.uow import Database

# Requests a second per label, and the daily allowance shared by HEAVY and RESOURCE-INTENSIVE.
PLANS: dict[str, dict[str, int]] = {
    "pro": {"LIGHT": 30, "MEDIUM": 20, "HEAVY": 10, "RESOURCE-INTENSIVE": 10, "daily": 30_000},
    "business": {"LIGHT": 80, "MEDIUM": 60, "HEAVY": 40, "RESOURCE-INTENSIVE": 20, "daily": 60_000},
}
PER_SECOND_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_MESSAGE = ("You have reached the maximum daily rate limit for this API. Refer to the response header for "
                 "details on when you can make another request.")


@dataclass
class RateLimited(Exception):
    """429, with the headers Zoom sends (X-RateLimit-*, Retry-After)."""

    message: str
    headers: dict[str, str]


class RateLimiter:
    def __init__(self, db: Database, clock: Clock, plan: str) -> None:
        self._db, self._clock, self._limits = db, clock, PLANS[plan]
        self._insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
        self._calls = 0

    def check(self, account_id: str, method: str, path: str) -> None:
        """Count this request; raise RateLimited when it is one too many."""
        label = spec.rate_labels().get((method, path), "LIGHT")
        category = label.title()
        now = self._clock.now()
        second = int(now.timestamp())
        limit = self._limits[label]
        if self._count(account_id, label, f"s:{second}", now + timedelta(seconds=2)) > limit:
            raise RateLimited(PER_SECOND_MESSAGE, {
                "X-RateLimit-Category": category, "X-RateLimit-Type": "QPS", "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": "0", "Retry-After": "1",
            })
        if label in ("HEAVY", "RESOURCE-INTENSIVE"):
            day = now.astimezone(timezone.utc).date()
            tomorrow = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=timezone.utc)
            used = self._count(account_id, "daily", f"d:{day.isoformat()}", tomorrow + timedelta(hours=1))
            daily = self._limits["daily"]
            if used > daily:
                raise RateLimited(DAILY_MESSAGE, {
                    "X-RateLimit-Category": category, "X-RateLimit-Type": "Daily-limit", "X-RateLimit-Limit": str(daily),
                    "X-RateLimit-Remaining": "0", "Retry-After": tomorrow.strftime("%Y-%m-%dT%H:%M:%SZ"),
                })

    def _count(self, account_id: str, category: str, period: str, expires_at: datetime) -> int:
        statement = self._insert(RateCounter).values(account_id=account_id, category=category, period=period, count=1,
                                                     expires_at=expires_at)
        statement = statement.on_conflict_do_update(
            index_elements=["account_id", "category", "period"], set_={"count": RateCounter.count + 1},
        ).returning(RateCounter.count)
        with self._db.write() as session:
            count = session.execute(statement).scalar_one()
            self._calls += 1
            if self._calls % 1000 == 0:  # now and then, forget the windows that are over
                session.execute(delete(RateCounter).where(RateCounter.expires_at < self._clock.now()))
        return count
