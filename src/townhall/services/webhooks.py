"""Webhooks: subscriptions of an account, and deliveries queued in the outbox with the change.

A change that Zoom announces (domain/webhooks.py lists them) calls `emit` inside its own
transaction: one outbox row per subscribed endpoint, holding the body as it will be sent, so a
webhook goes out exactly when its change committed and survives any crash after that. The outbox
worker posts it (`WebhookSender`), signed at sending time, and retries it as Zoom does."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain import webhooks as zoom
from townhall.domain.ids import new_id
from townhall.storage.models import Event, EventSession, OutboxMessage, WebhookSubscription
from townhall.storage.uow import Database

log = logging.getLogger("townhall.webhooks")
REVALIDATE_AFTER = timedelta(hours=72)  # Zoom validates an endpoint again every 72 hours
MAX_VALIDATION_FAILURES = 6  # consecutive failures that disable a subscription
KIND = "webhook"


class WebhookError(Exception):
    """A subscription that cannot be made: a bad URL, event type or secret, or a failed validation."""


# -- queueing: called by the services, inside the transaction of the change ----------------------

def subscribers(session: Session | Connection, account_ids: Iterable[str], event_type: str) -> dict[str, list[tuple[str, str]]]:
    """(subscription id, url) of each account's live subscriptions to this event type: one query."""
    found: dict[str, list[tuple[str, str]]] = {}
    ids = list(set(account_ids))
    if not ids:
        return found
    rows = session.execute(select(WebhookSubscription.id, WebhookSubscription.account_id, WebhookSubscription.url,
                                  WebhookSubscription.events)
                           .where(WebhookSubscription.account_id.in_(ids), WebhookSubscription.disabled_at.is_(None)))
    for sub_id, account_id, url, events in rows:
        if event_type in events:
            found.setdefault(account_id, []).append((sub_id, url))
    return found


def rows_for(endpoints: list[tuple[str, str]], event_type: str, account_id: str, obj: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """Outbox rows (as for a bulk insert) delivering one event to each endpoint."""
    payload = zoom.body(event_type, account_id, obj, now)
    return [{
        "kind": KIND, "event_id": obj.get("event_id") or obj.get("channel_id") or "", "registrant_id": obj.get("ticket_id"),
        "recipient": url, "message_id": str(uuid.uuid4()),
        "params": {"subscription_id": sub_id, "event": event_type, "body": payload},
        "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now,
    } for sub_id, url in endpoints]


def emit(session: Session, account_id: str, event_type: str, obj: dict[str, Any], now: datetime) -> int:
    """Queue `event_type` with this object for every endpoint of the account that wants it."""
    rows = rows_for(subscribers(session, [account_id], event_type).get(account_id, []), event_type, account_id, obj, now)
    if rows:
        session.execute(OutboxMessage.__table__.insert(), rows)
    return len(rows)


def emit_event(session: Session, event: Event, event_type: str, now: datetime, *, source_event_id: str | None = None) -> int:
    return emit(session, event.account_id, event_type, zoom.event_object(event, event.status.upper(), source_event_id), now)


# -- delivering: used by the outbox worker --------------------------------------------------------

@dataclass
class Delivery:
    ok: bool
    status: int | None
    error: str | None = None

    @property
    def retryable(self) -> bool:
        return not self.ok and zoom.retryable(self.status)


class WebhookSender:
    """Posts signed webhook bodies; one HTTP client (connection pool) per worker."""

    def __init__(self, clock: Clock, timeout: float = zoom.TIMEOUT_SECONDS) -> None:
        self._clock = clock
        self._client = httpx.Client(timeout=timeout, follow_redirects=False)

    def post(self, url: str, secret: str, body: str, request_id: str) -> Delivery:
        return self._post(url, secret, body, request_id)[0]

    def validate(self, url: str, secret: str) -> str | None:
        """Zoom's endpoint.url_validation challenge; None when answered right, else what went wrong."""
        plain = secrets.token_urlsafe(16)
        body = zoom.compact({"payload": {"plainToken": plain}, "event_ts": int(self._clock.now().timestamp() * 1000),
                             "event": zoom.URL_VALIDATION})
        delivery, response = self._post(url, secret, body, str(uuid.uuid4()))
        if not delivery.ok or response is None:
            return f"the endpoint did not accept the validation request ({delivery.error})"
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if (isinstance(answer, dict) and answer.get("plainToken") == plain
                and answer.get("encryptedToken") == zoom.encrypted_token(secret, plain)):
            return None
        return "the endpoint's answer to the validation request was wrong (plainToken and encryptedToken expected)"

    def close(self) -> None:
        self._client.close()

    def _post(self, url: str, secret: str, body: str, request_id: str) -> tuple[Delivery, httpx.Response | None]:
        timestamp = int(self._clock.now().timestamp())
        headers = {
            "content-type": "application/json; charset=utf-8", "user-agent": zoom.USER_AGENT,
            "x-zm-request-timestamp": str(timestamp), "x-zm-signature": zoom.signature(secret, timestamp, body),
            "x-zm-request-id": request_id, "x-zm-trackingid": f"v=2.0;clid=townhall;rid={request_id}",
        }
        try:
            response = self._client.post(url, content=body.encode(), headers=headers)
        except httpx.HTTPError as exc:
            return Delivery(False, None, f"{type(exc).__name__}: {exc}"), None
        if 200 <= response.status_code < 300:
            return Delivery(True, response.status_code), response
        return Delivery(False, response.status_code, f"HTTP {response.status_code}"), response


# -- subscriptions (the CLI) ------------------------------------------------------------------------

@dataclass(frozen=True)
class Subscription:
    id: str
    account_id: str
    url: str
    events: list[str]
    created_at: datetime
    validated_at: datetime | None
    disabled_at: datetime | None


def _public(row: WebhookSubscription) -> Subscription:
    return Subscription(row.id, row.account_id, row.url, list(row.events), row.created_at, row.validated_at, row.disabled_at)


def check_request(url: str, events: list[str], secret: str) -> list[str]:
    """The event types asked for (all 21 when none), or raise why the subscription cannot be made."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(f"The endpoint must be an http(s) URL, not {url!r}.")
    unknown = sorted(set(events) - set(zoom.EVENT_TYPES))
    if unknown:
        raise WebhookError(f"Unknown event types: {', '.join(unknown)}. Known: {', '.join(zoom.EVENT_TYPES)}.")
    if not secret or len(secret) > 200:
        raise WebhookError("The secret token must be 1 to 200 characters.")
    return [e for e in zoom.EVENT_TYPES if e in events] if events else list(zoom.EVENT_TYPES)


def add(db: Database, clock: Clock, sender: WebhookSender, account_id: str, url: str, events: list[str], secret: str,
        *, validate: bool = True) -> Subscription:
    """Subscribe the endpoint, after it answered Zoom's url_validation challenge (unless told not to)."""
    wanted = check_request(url, events, secret)
    if validate and (problem := sender.validate(url, secret)):
        raise WebhookError(f"{url}: {problem}.")
    now = clock.now()
    row = WebhookSubscription(id=new_id(), account_id=account_id, url=url, secret=secret, events=wanted, created_at=now,
                              validated_at=now if validate else None, validation_failures=0)
    with db.write() as session:
        session.add(row)
    return _public(row)


def list_all(db: Database, account_id: str | None = None) -> list[Subscription]:
    with db.read() as session:
        query = select(WebhookSubscription).order_by(WebhookSubscription.created_at, WebhookSubscription.id)
        if account_id:
            query = query.where(WebhookSubscription.account_id == account_id)
        return [_public(row) for row in session.scalars(query)]


def remove(db: Database, subscription_id: str) -> bool:
    """Remove a subscription; its deliveries still queued are dropped by the worker."""
    with db.write() as session:
        row = session.get(WebhookSubscription, subscription_id)
        if row is None:
            return False
        session.delete(row)
        return True


def secrets_of(session: Session, subscription_ids: Iterable[str]) -> dict[str, str]:
    ids = list(set(subscription_ids))
    if not ids:
        return {}
    return dict(session.execute(select(WebhookSubscription.id, WebhookSubscription.secret).where(WebhookSubscription.id.in_(ids))).all())


# -- scheduled: run by the worker loops, once across the fleet ------------------------------------

class WebhookScheduler:
    """Sessions that have ended announce it (zoom_events.session_ended), and endpoints are
    validated again every 72 hours (six failures in a row disable a subscription), as Zoom does."""

    def __init__(self, db: Database, clock: Clock, sender: WebhookSender | None = None) -> None:
        self._db, self._clock = db, clock
        self._sender = sender or WebhookSender(clock)

    def run_once(self) -> int:
        return self.sessions_ended() + self.revalidate()

    def sessions_ended(self) -> int:
        now = self._clock.now()
        with self._db.write() as session:
            query = (select(EventSession, Event).join(Event, Event.id == EventSession.event_id)
                     .where(EventSession.ended_notified_at.is_(None), EventSession.end_time <= now,
                            EventSession.end_time > now - timedelta(days=1), Event.status == "published")
                     .limit(500))
            if session.bind.dialect.name == "postgresql":
                query = query.with_for_update(of=EventSession, skip_locked=True)
            ended = session.execute(query).all()
            for event_session, event in ended:
                event_session.ended_notified_at = now
                emit(session, event.account_id, "zoom_events.session_ended", zoom.session_object(event, event_session, ended=True), now)
        return len(ended)

    def revalidate(self) -> int:
        now = self._clock.now()
        with self._db.read() as session:
            due = session.execute(select(WebhookSubscription.id, WebhookSubscription.url, WebhookSubscription.secret).where(
                WebhookSubscription.disabled_at.is_(None), WebhookSubscription.validated_at.is_not(None),
                WebhookSubscription.validated_at <= now - REVALIDATE_AFTER)).all()
        for sub_id, url, secret in due:
            problem = self._sender.validate(url, secret)
            with self._db.write() as session:
                row = session.get(WebhookSubscription, sub_id, with_for_update=True)
                if row is None or row.validated_at is None or row.validated_at > now - REVALIDATE_AFTER:
                    continue  # removed, or another process did it meanwhile
                if problem is None:
                    row.validated_at, row.validation_failures = now, 0
                    continue
                row.validation_failures += 1
                # Try again in an hour; the sixth failure in a row disables the subscription.
                row.validated_at = now - REVALIDATE_AFTER + timedelta(hours=1)
                if row.validation_failures >= MAX_VALIDATION_FAILURES:
                    row.disabled_at = now
                    log.warning("webhook subscription %s (%s) disabled: %s", sub_id, url, problem)
        return len(due)
