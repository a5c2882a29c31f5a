"""Registering people for events, from the page and the API alike, with exact seat counts.

Checks that need no lock run first; then one write transaction locks the event row (SELECT ...
FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite), re-checks the event, counts seats from the
counter rows, inserts the registrants with their confirmation emails in the outbox, and commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain import registration as rules
from townhall.domain.errors import (
    AlreadyRegistered,
    DomainError,
    EventNotFound,
    FieldError,
    InvalidAnswers,
    MissingRequiredFields,
    NonconfiguredFields,
    TicketNotFound,
    TicketTypeNotFound,
    ValidationFailed,
)
from townhall.domain.ids import is_well_formed, new_id
from townhall.domain.principal import Principal
from townhall.services.events import owned_event, phase_of
from townhall.storage import outbox
from townhall.storage.models import Event, Registrant, TicketType
from townhall.storage.uow import Database


@dataclass
class TicketRequest:
    email: Any
    answers: dict[str, Any] = field(default_factory=dict)  # first_name, last_name, other standard fields
    custom: list[dict[str, Any]] = field(default_factory=list)
    ticket_type_id: str | None = None
    external_ticket_id: str | None = None
    send_notification: bool = True


@dataclass
class Refusal:
    email: str
    error: DomainError


@dataclass
class _Checked:
    request: TicketRequest
    email: str
    email_normalized: str
    answers: rules.Answers
    ticket_type_id: str


class RegistrationService:
    def __init__(self, db: Database, clock: Clock, mail_domain: str) -> None:
        self._db, self._clock, self._domain = db, clock, mail_domain

    def register(
        self, event_id: str, requests: list[TicketRequest], *, method: str, source: str | None = None,
        level: str = "standard", actor: Principal | None = None, form: bool = False,
    ) -> list[Registrant | Refusal]:
        """One outcome per request, in order. Errors about the whole event or request are raised."""
        with self._db.read() as session:
            event, types = _event_and_types(session, event_id, actor)
        rules.check_open(event.status, phase_of(event, self._clock.now()))
        outcomes: list[Any] = []
        for request in requests:
            try:
                outcomes.append(self._check(event, types, request, level, form))
            except DomainError as error:
                if form or isinstance(error, (NonconfiguredFields, MissingRequiredFields)):
                    raise
                outcomes.append(Refusal(request.email if isinstance(request.email, str) else "", error))
        checked = [o for o in outcomes if isinstance(o, _Checked)]
        if checked:
            created = self._insert(event_id, checked, method, source)
            outcomes = [created[id(o)] if isinstance(o, _Checked) else o for o in outcomes]
        if form and isinstance(outcomes[0], Refusal):
            raise outcomes[0].error
        return outcomes

    def _check(self, event: Event, types: dict[str, TicketType], request: TicketRequest, level: str, form: bool) -> _Checked:
        """Every check that needs no lock. Problems with the person's own answers are reported together."""
        type_id = request.ticket_type_id or next((t.id for t in types.values() if t.is_default), None)
        ticket_type = types.get(type_id or "")
        if ticket_type is None:
            raise TicketTypeNotFound("A ticket type is required: the event has no default ticket type." if not type_id else None)
        rules.check_sale_window(self._clock.now(), ticket_type.sale_start, ticket_type.sale_end)
        problems: list[FieldError] = []
        email = normalized = ""
        try:
            email, normalized = rules.normalize_email(request.email)
        except ValidationFailed as exc:
            problems.extend(exc.errors)
        config = ticket_type.questions if ticket_type.questions is not None else event.questions
        try:
            answers = rules.check_answers(config, request.answers, request.custom, level, form=form)
        except InvalidAnswers as exc:
            problems.extend(exc.errors)
        if problems:
            raise (InvalidAnswers if form or len(problems) > 1 or problems[0].field != "email" else ValidationFailed)(problems)
        country = request.answers.get("country")
        rules.AccessRules.of(event.access_level, ticket_type.visibility, event.blocked_countries).check(
            normalized, country if isinstance(country, str) else None
        )
        return _Checked(request, email, normalized, answers, ticket_type.id)

    def _insert(self, event_id: str, checked: list[_Checked], method: str, source: str | None) -> dict[int, Registrant | Refusal]:
        now = self._clock.now()
        results: dict[int, Registrant | Refusal] = {}
        try:
            with self._db.write() as session:
                event = session.get(Event, event_id, with_for_update=True)
                if event is None:
                    raise EventNotFound()
                rules.check_open(event.status, phase_of(event, now))
                types = {t.id: t for t in session.scalars(select(TicketType).where(TicketType.event_id == event_id))}
                taken = set(session.scalars(select(Registrant.email_normalized).where(
                    Registrant.event_id == event_id, Registrant.cancelled_at.is_(None),
                    Registrant.email_normalized.in_([c.email_normalized for c in checked]),
                )))
                seats = rules.capacity(event.meeting_type)
                for item in checked:
                    ticket_type = types.get(item.ticket_type_id)
                    try:
                        if item.email_normalized in taken:
                            raise AlreadyRegistered()
                        if ticket_type is None:
                            raise TicketTypeNotFound()
                        rules.check_seats(event.registrants_count, seats, ticket_type.sold_quantity, ticket_type.quantity)
                    except DomainError as error:
                        results[id(item)] = Refusal(item.email, error)
                        continue
                    registrant = _new_registrant(item, event_id, method, source, now)
                    session.add(registrant)
                    taken.add(item.email_normalized)
                    event.registrants_count += 1
                    ticket_type.sold_quantity += 1
                    if registrant.send_notification:
                        outbox.enqueue(session, kind="confirmation", event_id=event_id, registrant_id=registrant.id,
                                       recipient=registrant.email, domain=self._domain, now=now)
                    results[id(item)] = registrant
        except IntegrityError:
            # Only the unique (event, email) index can fail here, and only when a concurrent
            # request slipped past the lock (it cannot on either database); nothing was kept.
            return {id(item): Refusal(item.email, AlreadyRegistered()) for item in checked}
        return results

    def cancel_ticket(self, actor: Principal, event_id: str, ticket_id: str) -> None:
        """A cancelled ticket frees its seat and its join link stops working."""
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, lock=True)
            registrant = session.get(Registrant, ticket_id) if is_well_formed(ticket_id) else None
            if registrant is None or registrant.event_id != event.id or registrant.cancelled_at is not None:
                raise TicketNotFound()
            registrant.cancelled_at = self._clock.now()
            event.registrants_count -= 1
            ticket_type = session.get(TicketType, registrant.ticket_type_id)
            if ticket_type is not None:
                ticket_type.sold_quantity -= 1

    def resend_confirmation(self, event_id: str, email: Any) -> bool:
        """Queue the confirmation again for a live registration; at most once every 10 minutes."""
        try:
            _, normalized = rules.normalize_email(email)
        except DomainError:
            return False
        now = self._clock.now()
        with self._db.write() as session:
            registrant = session.scalars(select(Registrant).where(
                Registrant.event_id == event_id, Registrant.email_normalized == normalized, Registrant.cancelled_at.is_(None),
            )).first()
            if registrant is None:
                return False
            if registrant.last_resent_at is not None and (now - registrant.last_resent_at).total_seconds() < 600:
                return True
            registrant.last_resent_at = now
            outbox.enqueue(session, kind="confirmation", event_id=event_id, registrant_id=registrant.id,
                           recipient=registrant.email, domain=self._domain, now=now, unique=True)
            return True


def _new_registrant(item: _Checked, event_id: str, method: str, source: str | None, now: Any) -> Registrant:
    return Registrant(
        id=new_id(), event_id=event_id, ticket_type_id=item.ticket_type_id, email=item.email,
        email_normalized=item.email_normalized, first_name=item.answers.first_name, last_name=item.answers.last_name,
        answers=item.answers.standard, custom_answers=item.answers.custom,
        external_ticket_id=item.request.external_ticket_id, registration_source=source, method=method,
        send_notification=item.request.send_notification, join_token=secrets.token_urlsafe(24),
        created_at=now, join_count=0,
    )


def _event_and_types(session: Session, event_id: str, actor: Principal | None) -> tuple[Event, dict[str, TicketType]]:
    event = owned_event(session, actor, event_id) if actor else (session.get(Event, event_id) if is_well_formed(event_id) else None)
    if event is None:
        raise EventNotFound()
    types = {t.id: t for t in session.scalars(select(TicketType).where(TicketType.event_id == event.id))}
    return event, types

