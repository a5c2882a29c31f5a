"""The outbox worker: claims due rows, renders and sends them, records what happened.

Temporary failures are retried with exponential backoff; permanent ones and rows that used up
their attempts are recorded as failed. Rows whose registrant or event is gone are skipped."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, select

from townhall.clock import Clock
from townhall.config import Settings
from townhall.mail.messages import render
from townhall.mail.transports import FileTransport, PermanentFailure, SmtpTransport, TemporaryFailure
from townhall.domain import webhooks as zoom_webhooks
from townhall.services import occurrences, webhooks
from townhall.storage import outbox
from townhall.storage.models import Event, Registrant
from townhall.storage.uow import Database

log = logging.getLogger("townhall.mail")
# What the emails use of a registrant (Core rows: not the answers, whose JSON would be decoded for
# nothing, and no ORM bookkeeping for objects only read).
_MAIL_FIELDS = select(Registrant.id, Registrant.event_id, Registrant.email, Registrant.first_name, Registrant.last_name,
                      Registrant.join_token, Registrant.cancelled_at)
MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


def backoff(attempts: int, first: timedelta = FIRST_RETRY) -> timedelta:
    """30 s, 1 min, 2 min, ... up to an hour between tries (by default)."""
    return min(first * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


@dataclass
class _Outcome:
    row_id: int
    values: dict


class OutboxWorker:
    """Delivers the outbox: emails through the transport, webhooks (kind "webhook") over HTTP."""

    def __init__(self, db: Database, transport: SmtpTransport | FileTransport, settings: Settings, clock: Clock,
                 batch: int | None = None) -> None:
        self._db, self._transport, self._settings, self._clock = db, transport, settings, clock
        self._webhooks = webhooks.WebhookSender(clock)
        self._batch = batch or settings.mail_batch
        self._connections = max(1, settings.mail_connections)
        self.name = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"

    def run_once(self) -> int:
        """Handle one batch of due rows; the number handled (0 when nothing was due)."""
        now = self._clock.now()
        with self._db.write() as session:
            rows = outbox.claim(session, self.name, now, self._batch, timedelta(seconds=self._settings.mail_lease_seconds))
        if not rows:
            return 0
        hooks = [row for row in rows if row.kind == webhooks.KIND]
        mails = [row for row in rows if row.kind != webhooks.KIND] if hooks else rows
        with self._db.read() as session:
            registrants = {r.id: r for r in session.execute(_MAIL_FIELDS.where(Registrant.id.in_({r.registrant_id for r in mails})))} if mails else {}
            events = {e.id: e for e in session.scalars(select(Event).where(Event.id.in_({r.event_id for r in mails})))} if mails else {}
            secrets_by_id = webhooks.secrets_of(session, (row.params.get("subscription_id") for row in hooks))
            sessions = occurrences.of_registrants(session.connection(), events, list(registrants.values()))
        outcomes = self._send(mails, registrants, events, sessions, now) + [self._post(row, secrets_by_id, now) for row in hooks]
        sent = [o.row_id for o in outcomes if o.values.get("status") == "sent"]
        with self._db.write() as session:
            if sent:  # the common case, in one statement
                outbox.settle_sent(session, self.name, sent, now)
            for outcome in outcomes:
                if outcome.values.get("status") != "sent":
                    outbox.settle(session, self.name, outcome.row_id, **outcome.values)
        return len(rows)

    def _send(self, rows: list[Row], registrants: dict, events: dict, sessions: dict, now: datetime) -> list[_Outcome]:
        outcomes: list[_Outcome] = []
        pending = []
        for row in rows:
            registrant, event = registrants.get(row.registrant_id), events.get(row.event_id)
            gone = registrant is None or event is None or (registrant.cancelled_at is not None and row.kind != "cancellation")
            if gone:
                outcomes.append(_Outcome(row.id, {"status": "skipped", "last_error": "registrant or event no longer exists"}))
            else:
                pending.append((row, registrant, event, sessions.get(registrant.id)))
        if not pending:
            return outcomes
        # Several SMTP connections at once: rendering needs the GIL, but each connection spends
        # most of its time waiting for the server's replies.
        shares = [pending[i :: self._connections] for i in range(min(self._connections, len(pending)))]
        with ThreadPoolExecutor(len(shares), thread_name_prefix="townhall-smtp") as pool:
            for share_outcomes in pool.map(lambda share: self._send_share(share, now), shares):
                outcomes.extend(share_outcomes)
        return outcomes

    def _send_share(self, share: list, now: datetime) -> list[_Outcome]:
        outcomes: list[_Outcome] = []
        try:
            with self._transport.connect() as connection:
                emails = [render(row, event, registrant, self._settings, now, occurrences_of)
                          for row, registrant, event, occurrences_of in share]
                for (row, *_), failure in zip(share, connection.send_all(emails)):
                    if isinstance(failure, PermanentFailure):
                        outcomes.append(self._failed(row, str(failure)))
                    elif failure is not None:
                        outcomes.append(self._retry(row, str(failure), now))
                    else:
                        outcomes.append(_Outcome(row.id, {"status": "sent", "sent_at": now, "attempts": row.attempts + 1, "last_error": None}))
        except TemporaryFailure as exc:
            log.warning("mail delivery paused: %s", exc)
            done = {o.row_id for o in outcomes}
            outcomes.extend(self._retry(row, str(exc), now) for row, *_ in share if row.id not in done)
        return outcomes

    def _post(self, row: Row, secrets_by_id: dict[str, str], now: datetime) -> _Outcome:
        """One webhook: posted with a fresh signature; retried as Zoom retries (5, 20, 60 minutes)
        after a server error or no answer, never after a 3xx or 4xx."""
        secret = secrets_by_id.get(row.params.get("subscription_id"))
        if secret is None:
            return _Outcome(row.id, {"status": "skipped", "last_error": "the webhook subscription was removed"})
        delivery = self._webhooks.post(row.recipient, secret, row.params["body"], row.message_id)
        attempts = row.attempts + 1
        if delivery.ok:
            return _Outcome(row.id, {"status": "sent", "sent_at": now, "attempts": attempts, "last_error": None})
        delay = zoom_webhooks.retry_delay(attempts) if delivery.retryable else None
        if delay is None:
            log.warning("webhook %s to %s failed for good: %s", row.params.get("event"), row.recipient, delivery.error)
            return _Outcome(row.id, {"status": "failed", "attempts": attempts, "last_error": delivery.error})
        return _Outcome(row.id, {"status": "pending", "attempts": attempts, "last_error": delivery.error, "next_attempt_at": now + delay})

    def _retry(self, row: Row, error: str, now: datetime) -> _Outcome:
        attempts = row.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            return self._failed(row, error)
        delay = backoff(attempts, timedelta(seconds=self._settings.mail_retry_seconds))
        return _Outcome(row.id, {"status": "pending", "attempts": attempts, "last_error": error[:2000], "next_attempt_at": now + delay})

    def _failed(self, row: Row, error: str) -> _Outcome:
        log.error("mail %s to %s failed for good: %s", row.message_id, row.recipient, error)
        return _Outcome(row.id, {"status": "failed", "attempts": row.attempts + 1, "last_error": error[:2000]})


class Loop:
    """Runs `step` again and again in a daemon thread until stopped; sleeps when there is nothing to do."""

    def __init__(self, name: str, step, poll_seconds: float) -> None:  # type: ignore[no-untyped-def]
        self._step, self._poll = step, poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def run_in_foreground(self) -> None:
        self._run()

    def request_stop(self) -> None:
        """Stop after the step in hand (from a signal handler: it waits for nothing)."""
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self._step()
            except Exception:  # keep the loop alive: a database hiccup must not stop delivery
                log.exception("%s step failed", self._thread.name)
                busy = 0
            if not busy:
                self._stop.wait(self._poll)
