"""The emails an event sends, as Zoom lists them: its email types (confirmation, each reminder,
the cancellation) and, for each type, every recipient's delivery status, read from the outbox."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain.errors import EmailTypeNotFound
from townhall.domain.lifecycle import EventStatus, Phase
from townhall.domain.principal import Principal
from townhall.services.events import owned_event, phase_of
from townhall.storage import outbox
from townhall.storage.models import Event, OutboxMessage, Registrant, ReminderRun
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database

# Zoom's send statuses, from the outbox's: a retry that is waiting is still "pending".
SEND_STATUS = {"pending": "pending", "sending": "pending", "sent": "delivered", "failed": "failed", "skipped": "failed"}
_PERMANENT = re.compile(r"(?<!\d)5\d\d(?!\d)")  # a 5xx answer from the SMTP server
OUTBOX_STATUSES = {"pending": ("pending", "sending"), "delivered": ("sent",), "failed": ("failed", "skipped"),
                   "scheduled": (), "missed_schedule": ()}


@dataclass(frozen=True)
class EmailType:
    id: str
    kind: str  # the outbox's kind
    minutes_before: int | None  # reminders only
    name: str
    trigger_overview: str
    trigger_date: datetime | None
    status: str  # scheduled | ongoing | sent | deactivated


@dataclass(frozen=True)
class Delivery:
    name: str | None
    email: str
    status: str
    failure_reason: str | None
    sent_date: datetime | None


class EmailService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def types(self, actor: Principal, event_id: str, status: str | None = None) -> list[EmailType]:
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            found = _types(session, event, self._clock.now())
        return [t for t in found if status is None or t.status == status]

    def deliveries(self, actor: Principal, event_id: str, type_id: str, status: str | None, search: str | None,
                   limit: int, after: tuple[str, str] | None) -> tuple[Page, list[Delivery]]:
        with self._db.write() as session:  # (a write: the event's batches of confirmations are listed one by one)
            event = owned_event(session, actor, event_id)
            outbox.expand(session, event_id=event.id)
            email_type = next((t for t in _types(session, event, self._clock.now()) if t.id == type_id), None)
            if email_type is None:
                raise EmailTypeNotFound()
            query = select(OutboxMessage).where(OutboxMessage.event_id == event.id, OutboxMessage.kind == email_type.kind)
            if email_type.minutes_before is not None:
                query = query.where(OutboxMessage.message_id.like(f"<reminder.{email_type.minutes_before}.%"))
            if status is not None:
                query = query.where(OutboxMessage.status.in_(OUTBOX_STATUSES[status]))
            if search:
                pattern = f"%{search.strip().lower()}%"
                names = select(Registrant.id).where(Registrant.event_id == event.id, func.lower(
                    func.coalesce(Registrant.first_name, "") + " " + func.coalesce(Registrant.last_name, "")).like(pattern))
                query = query.where(or_(func.lower(OutboxMessage.recipient).like(pattern), OutboxMessage.registrant_id.in_(names)))
            page = keyset_page(session, query, OutboxMessage.created_at, OutboxMessage.message_id, limit, after)
            people = _names(session, [row.registrant_id for row in page.items if row.registrant_id])
        return page, [_delivery(row, people.get(row.registrant_id or "")) for row in page.items]


def type_id(event_id: str, kind: str, minutes_before: int | None) -> str:
    """Stable per event and email: 22 characters like Zoom's ids."""
    digest = hashlib.sha256(f"{event_id}:{kind}:{minutes_before}".encode()).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _types(session: Session, event: Event, now: datetime) -> list[EmailType]:
    cancelled = event.status == EventStatus.CANCELLED.value
    draft = event.status == EventStatus.DRAFT.value
    over = phase_of(event, now) is Phase.COMPLETED
    confirmation = "deactivated" if cancelled else "scheduled" if draft else "sent" if over else "ongoing"
    found = [EmailType(type_id(event.id, "confirmation", None), "confirmation", None, "Free ticket confirmation",
                       "Sent when someone registers", None, confirmation)]
    ran = set(session.scalars(select(ReminderRun.minutes_before).where(ReminderRun.event_id == event.id)))
    for minutes in sorted(event.reminder_minutes or [], reverse=True):
        due = event.start_time - timedelta(minutes=minutes)
        status = ("sent" if minutes in ran else "deactivated" if cancelled else "scheduled" if draft or due > now
                  else "ongoing" if not over else "deactivated")
        found.append(EmailType(type_id(event.id, "reminder", minutes), "reminder", minutes, f"Reminder ({_before(minutes)})",
                               f"Sent {_before(minutes)} to everyone registered", due, status))
    if cancelled:
        pending = session.scalar(select(func.count()).where(
            OutboxMessage.event_id == event.id, OutboxMessage.kind == "cancellation", OutboxMessage.status.in_(("pending", "sending"))))
        found.append(EmailType(type_id(event.id, "cancellation", None), "cancellation", None, "Event cancellation",
                               "Sent to everyone registered when the event is cancelled", event.updated_at,
                               "ongoing" if pending else "sent"))
    return found


def _before(minutes: int) -> str:
    if minutes % 1440 == 0:
        days = minutes // 1440
        return f"{days} day{'s' if days > 1 else ''} before"
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours > 1 else ''} before"
    return f"{minutes} minutes before"


def _names(session: Session, ids: list[str]) -> dict[str, str | None]:
    if not ids:
        return {}
    rows = session.execute(select(Registrant.id, Registrant.first_name, Registrant.last_name).where(Registrant.id.in_(ids)))
    return {r.id: " ".join(p for p in (r.first_name, r.last_name) if p) or None for r in rows}


def _delivery(row: OutboxMessage, name: str | None) -> Delivery:
    reason = None
    if row.status == "failed":
        reason = "bounced" if _PERMANENT.search(row.last_error or "") else "system_error"
    elif row.status == "skipped":
        reason = "blocked"  # the registration was cancelled before the email went out
    return Delivery(name, row.recipient, SEND_STATUS.get(row.status, "pending"), reason, row.sent_at)
