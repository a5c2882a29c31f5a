"""Ticket types, registration questions, and reading and editing tickets and registrants."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain import registration as rules
from townhall.domain.errors import FieldError, SaleClosed, TicketNotFound, TicketTypeNotFound, ValidationFailed
from townhall.domain.event_fields import AttendanceType, parse_enum
from townhall.domain.ids import is_well_formed, new_id
from townhall.domain.principal import Principal
from townhall.domain.schedule import parse_utc
from townhall.domain.text_fields import MAX_COUNT, is_count
from townhall.domain import coediting
from townhall.domain import webhooks as zoom_webhooks
from townhall.services import webhooks
from townhall.services.events import owned_event
from townhall.storage.models import Event, EventSession, Registrant, SessionReservation, TicketType
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database


class TicketService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    # -- ticket types ---------------------------------------------------------------------
    def list_types(self, actor: Principal, event_id: str) -> list[TicketType]:
        with self._db.read() as session:
            owned_event(session, actor, event_id)
            return list(session.scalars(select(TicketType).where(TicketType.event_id == event_id).order_by(TicketType.created_at, TicketType.id)))

    def create_type(self, actor: Principal, event_id: str, fields: dict[str, Any]) -> TicketType:
        values = _type_values(fields, creating=True)
        now = self._clock.now()
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, need=coediting.REGISTRATION)
            ticket_type = TicketType(id=new_id(), event_id=event_id, is_default=False, sold_quantity=0, created_at=now, **values)
            session.add(ticket_type)
            webhooks.emit(session, event.account_id, "zoom_events.ticket_type_created", zoom_webhooks.ticket_type_object(event, ticket_type), now)
        return ticket_type

    def update_type(self, actor: Principal, event_id: str, type_id: str, fields: dict[str, Any]) -> None:
        values = _type_values(fields, creating=False)
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, lock=True, need=coediting.REGISTRATION)
            ticket_type = _type(session, event_id, type_id)
            start, end = values.get("sale_start", ticket_type.sale_start), values.get("sale_end", ticket_type.sale_end)
            if start and end and end <= start:
                raise SaleClosed()
            if values.get("quantity") is not None and values["quantity"] < ticket_type.sold_quantity:
                raise ValidationFailed.one("quantity", f"quantity cannot be less than the {ticket_type.sold_quantity} tickets already taken.")
            for name, value in values.items():
                setattr(ticket_type, name, value)
            webhooks.emit(session, event.account_id, "zoom_events.ticket_type_updated", zoom_webhooks.ticket_type_object(event, ticket_type), self._clock.now())

    def delete_type(self, actor: Principal, event_id: str, type_id: str) -> None:
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, lock=True, need=coediting.REGISTRATION)
            ticket_type = _type(session, event_id, type_id)
            if ticket_type.sold_quantity > 0:
                raise ValidationFailed.one("ticket_type_id", "This ticket type has registrants; cancel their tickets first.")
            session.delete(ticket_type)
            webhooks.emit(session, event.account_id, "zoom_events.ticket_type_deleted", zoom_webhooks.ticket_type_object(event, ticket_type), self._clock.now())

    # -- registration questions -----------------------------------------------------------
    def questions(self, actor: Principal, event_id: str, type_id: str | None = None) -> dict[str, list]:
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            if type_id is None:
                return event.questions or rules.default_questions()
            ticket_type = _type(session, event_id, type_id)
            return ticket_type.questions or event.questions or rules.default_questions()

    def set_questions(self, actor: Principal, event_id: str, config: Any, type_id: str | None = None) -> None:
        clean = rules.check_question_config(config)
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, need=coediting.REGISTRATION)
            target: Event | TicketType = event if type_id is None else _type(session, event_id, type_id)
            target.questions = clean

    # -- tickets and registrants ----------------------------------------------------------
    def list_tickets(self, actor: Principal, event_id: str, filters: dict[str, str | None], limit: int, after: tuple[str, str] | None) -> Page:
        with self._db.read() as session:
            owned_event(session, actor, event_id)
            query = select(Registrant).where(Registrant.event_id == event_id, Registrant.cancelled_at.is_(None))
            if filters.get("email"):
                query = query.where(Registrant.email_normalized == filters["email"].strip().lower())
            if filters.get("external_ticket_id"):
                query = query.where(Registrant.external_ticket_id == filters["external_ticket_id"])
            if filters.get("ticket_type_id"):
                query = query.where(Registrant.ticket_type_id == filters["ticket_type_id"])
            return keyset_page(session, query, Registrant.created_at, Registrant.id, limit, after)

    def get_ticket(self, actor: Principal, event_id: str, ticket_id: str) -> Registrant:
        with self._db.read() as session:
            owned_event(session, actor, event_id)
            return _ticket(session, event_id, ticket_id)

    def chosen_sessions(self, registrant_ids: list[str]) -> dict[str, str]:
        """For a RECURRING event's tickets: the first occurrence each registered for, when they
        chose some (a ticket answers one `session_id`; none means every occurrence)."""
        if not registrant_ids:
            return {}
        with self._db.read() as session:
            rows = session.execute(
                select(SessionReservation.registrant_id, SessionReservation.session_id)
                .join(EventSession, EventSession.id == SessionReservation.session_id)
                .where(SessionReservation.registrant_id.in_(registrant_ids)).order_by(EventSession.start_time.desc())
            )
            return dict(rows.all())  # the earliest comes last and wins

    def update_ticket(self, actor: Principal, event_id: str, ticket_id: str, fields: dict[str, Any]) -> None:
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, need=coediting.REGISTRATION)
            ticket = _ticket(session, event_id, ticket_id)
            answers = rules.check_answers(None, fields, fields.get("custom_questions") or [], "none")
            for name in ("first_name", "last_name"):
                if name in fields:
                    setattr(ticket, name, getattr(answers, name))
            ticket.answers = {**ticket.answers, **{k: v for k, v in answers.standard.items()}}
            if fields.get("custom_questions") is not None:
                merged = {a["title"]: a["answer"] for a in ticket.custom_answers}
                merged.update({a["title"]: a["answer"] for a in answers.custom})
                ticket.custom_answers = [{"title": t, "answer": a} for t, a in merged.items()]
            if "external_ticket_id" in fields:
                ticket.external_ticket_id = fields["external_ticket_id"]
            webhooks.emit(session, event.account_id, "zoom_events.ticket_updated", zoom_webhooks.ticket_object(event, ticket, updated=True), self._clock.now())

    def type_names(self, event_id: str) -> dict[str, str]:
        with self._db.read() as session:
            return dict(session.execute(select(TicketType.id, TicketType.name).where(TicketType.event_id == event_id)).all())


def _type(session: Session, event_id: str, type_id: str) -> TicketType:
    ticket_type = session.get(TicketType, type_id) if is_well_formed(type_id) else None
    if ticket_type is None or ticket_type.event_id != event_id:
        raise TicketTypeNotFound()
    return ticket_type


def _ticket(session: Session, event_id: str, ticket_id: str) -> Registrant:
    ticket = session.get(Registrant, ticket_id) if is_well_formed(ticket_id) else None
    if ticket is None or ticket.event_id != event_id or ticket.cancelled_at is not None:
        raise TicketNotFound()
    return ticket


def _type_values(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    errors: list[FieldError] = []
    out: dict[str, Any] = {}
    if creating:
        for name in ("name", "currency", "start_time", "end_time"):
            if fields.get(name) in (None, ""):
                errors.append(FieldError(name, f"{name} is required."))
    if "name" in fields and fields["name"] is not None:
        if not str(fields["name"]).strip() or len(fields["name"]) > 200:
            errors.append(FieldError("name", "name must be 1 to 200 characters."))
        out["name"] = str(fields["name"]).strip()
    if fields.get("currency") is not None:
        if len(fields["currency"]) != 3 or not fields["currency"].isalpha():
            errors.append(FieldError("currency", "currency is a three-letter ISO 4217 code such as USD."))
        out["currency"] = fields["currency"].upper()
    for name in ("description",):
        if fields.get(name) is not None:
            out[name] = fields[name]
    if fields.get("free") is not None:
        out["free"] = bool(fields["free"])
    if fields.get("price") is not None:
        try:
            if not 0 <= float(fields["price"]) < math.inf:  # (not NaN, not infinite)
                raise ValueError
        except (TypeError, ValueError):
            errors.append(FieldError("price", "price is a non-negative amount written as a string, such as \"0\" or \"25.00\"."))
        out["price"] = str(fields["price"])
    if "quantity" in fields:
        quantity = fields["quantity"]
        if quantity is not None and (not is_count(quantity) or int(quantity) != quantity):
            errors.append(FieldError("quantity", f"quantity is a whole number of tickets, from 0 to {MAX_COUNT:,}."))
        else:
            out["quantity"] = None if quantity is None else int(quantity)
    for name in ("sessions", "bookmarked_sessions"):
        if fields.get(name) is not None:
            out[name] = list(fields[name])
    rules_in = fields.get("private_visibility_rules")
    if rules_in is not None:
        out["visibility"] = {
            "account_restrict": bool(rules_in.get("account_restrict", False)),
            "allow_domain_list": [d.strip().lower() for d in rules_in.get("allow_domain_list") or [] if d.strip()],
            "email_restrict_list": [e.strip().lower() for e in rules_in.get("email_restrict_list") or [] if e.strip()],
        }
    attendance = fields.get("attendance_type") or (rules_in or {}).get("attendance_type")
    if attendance is not None:
        member = parse_enum(AttendanceType, attendance)
        if member is None:
            errors.append(FieldError("attendance_type", "attendance_type is virtual, in-person or hybrid."))
        else:
            out["attendance_type"] = member.value
    if errors:
        raise ValidationFailed(errors)
    if creating and out.get("free") is None:
        out["free"] = float(out.get("price", "0") or 0) == 0
    for wire, column in (("start_time", "sale_start"), ("end_time", "sale_end")):
        if fields.get(wire) is not None:
            moment = parse_utc(fields[wire])
            if moment is None:
                raise SaleClosed(f"The ticket sale dates are invalid: {wire} must be a UTC time (yyyy-MM-ddTHH:mm:ssZ).")
            out[column] = moment
    if out.get("sale_start") and out.get("sale_end") and out["sale_end"] <= out["sale_start"]:
        raise SaleClosed()
    return out

