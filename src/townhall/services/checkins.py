"""On-site check-in: the host's app marks registrants with an on-site ticket as arrived, which
also records their attendance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from townhall.clock import Clock
from townhall.domain import coediting
from townhall.domain.errors import EventNotPublished, FieldError, ValidationFailed
from townhall.domain.lifecycle import EventStatus
from townhall.domain.principal import Principal
from townhall.domain.registration import normalize_email
from townhall.services.events import owned_event
from townhall.storage.models import Registrant, TicketType
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database

MAX_ATTENDEES = 300
ON_SITE = ("in-person", "hybrid")


@dataclass(frozen=True)
class Refused:
    email: str
    message: str


class CheckInService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def check_in(self, actor: Principal, event_id: str, attendees: Any, source: Any) -> list[Refused]:
        wanted = checked_attendees(attendees, source)
        now = self._clock.now()
        refused: list[Refused] = []
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, need=coediting.REGISTRATION)
            if event.status != EventStatus.PUBLISHED.value:
                raise EventNotPublished("Attendees can be checked in to a published event only.")
            found = {r.email_normalized: r for r in session.scalars(select(Registrant).where(
                Registrant.event_id == event.id, Registrant.cancelled_at.is_(None),
                Registrant.email_normalized.in_([normalized for _, normalized in wanted])))}
            types = {t.id: t.attendance_type for t in session.scalars(select(TicketType).where(TicketType.event_id == event.id))}
            for email, normalized in wanted:
                registrant = found.get(normalized)
                if registrant is None:
                    refused.append(Refused(email, "No registration for this email address."))
                elif (types.get(registrant.ticket_type_id) or event.attendance_type) not in ON_SITE:
                    refused.append(Refused(email, "User doesn't have an on-site ticket"))
                elif registrant.checked_in_at is None:
                    registrant.checked_in_at, registrant.check_in_source = now, source
                    registrant.first_join_at = registrant.first_join_at or now  # arriving on site is attending
        return refused

    def list(self, actor: Principal, event_id: str, email: str | None, limit: int, after: tuple[str, str] | None) -> Page:
        with self._db.read() as session:
            owned_event(session, actor, event_id)
            query = select(Registrant).where(Registrant.event_id == event_id, Registrant.checked_in_at.is_not(None))
            if email:
                query = query.where(Registrant.email_normalized == email.strip().lower())
            return keyset_page(session, query, Registrant.checked_in_at, Registrant.id, limit, after)


def checked_attendees(attendees: Any, source: Any) -> list[tuple[str, str]]:
    """(email, normalized email) of each attendee of a check-in request; bad ones all reported."""
    problems: list[FieldError] = []
    if source is not None and (not isinstance(source, str) or len(source) > 100):
        problems.append(FieldError("source", "source is a string of up to 100 characters."))
    if not isinstance(attendees, list) or not 1 <= len(attendees) <= MAX_ATTENDEES:
        raise ValidationFailed(problems + [FieldError("attendees", f"attendees is a list of 1 to {MAX_ATTENDEES} people.")])
    wanted = []
    for i, entry in enumerate(attendees):
        entry = entry if isinstance(entry, dict) else {}
        if str(entry.get("action", "")).lower() != "check-in":
            problems.append(FieldError(f"attendees[{i}].action", "action is check-in."))
        try:
            wanted.append(normalize_email(entry.get("email")))
        except ValidationFailed as exc:
            problems.extend(FieldError(f"attendees[{i}].email", e.message) for e in exc.errors)
    if problems:
        raise ValidationFailed(problems)
    return wanted
