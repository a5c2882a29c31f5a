"""Events: create, read, list, update, delete and the lifecycle actions, within the caller's account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain import coediting, event_fields
from townhall.domain.errors import (
    EventAccessDenied,
    EventNotFound,
    FieldError,
    HubNotPermitted,
    InvalidDuplicateName,
    InvalidDuplicateStart,
    InvalidDuplicateTimezone,
    InvalidEventId,
    ValidationFailed,
)
from townhall.domain.event_fields import EventType
from townhall.domain.ids import is_well_formed, new_id
from townhall.domain.lifecycle import Action, EventStatus, Phase, check_editable, phase, transition
from townhall.domain.principal import Principal
from townhall.domain.schedule import Calendar, Slot, check_lobby, format_utc, parse_calendar, parse_utc, zone
from townhall.services import occurrences, webhooks
from townhall.storage import outbox
from townhall.storage.models import Event, EventCoeditor, Hub, Registrant, SponsorTier, TicketType, User
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database

LOCKED_WHEN_PUBLISHED = ("event_type", "meeting_type")
DEFAULT_REMINDERS = (1440, 60)  # a day and an hour before the start
_COLUMNS = (
    "name", "description", "timezone", "event_type", "meeting_type", "access_level", "attendance_type",
    "hub_id", "categories", "tags", "blocked_countries", "recurrence", "contact_name", "tagline",
    "physical_location", "lobby_start_time", "lobby_end_time", "questions", "reminder_minutes",
)
_TICKET_TYPE_COLUMNS = (
    "is_default", "name", "description", "currency", "free", "price", "quantity", "sessions",
    "bookmarked_sessions", "visibility", "attendance_type", "questions",
)


def calendar_of(event: Event) -> Calendar:
    return Calendar(tuple(Slot(parse_utc(s["start_time"]), parse_utc(s["end_time"])) for s in event.calendar))


def phase_of(event: Event, now: datetime) -> Phase:
    return phase(now, event.lobby_start_time or event.start_time, event.end_time)


class EventService:
    def __init__(self, db: Database, clock: Clock, mail_domain: str) -> None:
        self._db, self._clock, self._domain = db, clock, mail_domain

    def create(self, actor: Principal, fields: dict[str, Any]) -> Event:
        values = event_fields.normalize(fields, creating=True)
        calendar = parse_calendar(_calendar_input(fields))
        check_lobby(values.get("lobby_start_time"), values.get("lobby_end_time"), calendar)
        if values["event_type"] is EventType.CONFERENCE:
            values.pop("meeting_type", None)
        values["recurrence"] = occurrences.checked(values["event_type"], fields.get("recurrence"))
        now = self._clock.now()
        event = Event(
            id=new_id(), account_id=actor.account_id, host_user_id=actor.user_id,
            status=EventStatus.DRAFT.value, description="", categories=[], tags=[], blocked_countries=[],
            registrants_count=0, reminder_minutes=list(DEFAULT_REMINDERS), created_at=now, updated_at=now,
        )
        _apply(event, values, calendar)
        with self._db.write() as session:
            _check_hub(session, actor, event.hub_id)
            session.add(event)
            session.flush()
            if occurrences.is_recurring(event):
                occurrences.sync(session, event, now)
            session.add(default_ticket_type(event.id, now))
            if event.event_type == EventType.CONFERENCE.value:
                session.add_all(default_tiers(event.id))
        return event

    def get(self, actor: Principal, event_id: str) -> Event:
        with self._db.read() as session:
            return owned_event(session, actor, event_id)

    def list(self, actor: Principal, role_type: str, status_type: str, limit: int, after: tuple[str, str] | None) -> Page:
        now = self._clock.now()
        published = Event.status == EventStatus.PUBLISHED.value
        condition = {
            "upcoming": and_(published, Event.end_time > now),
            "past": and_(published, Event.end_time <= now),
            "draft": Event.status == EventStatus.DRAFT.value,
            "cancelled": Event.status == EventStatus.CANCELLED.value,
        }[status_type]
        query = select(Event).where(Event.account_id == actor.account_id, condition)
        with self._db.read() as session:
            if role_type == "attendee":
                # The events the caller holds a ticket for.
                email = session.scalar(select(User.email).where(User.id == actor.user_id)) or ""
                ticketed = select(Registrant.event_id).where(Registrant.email_normalized == email.lower(), Registrant.cancelled_at.is_(None))
                query = query.where(Event.id.in_(ticketed))
            return keyset_page(session, query, Event.start_time, Event.id, limit, after)

    def update(self, actor: Principal, event_id: str, fields: dict[str, Any]) -> None:
        values = event_fields.normalize(fields, creating=False)
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, need=coediting.CONFIGURATION)
            status = EventStatus(event.status)
            check_editable(status, phase_of(event, self._clock.now()))
            if status is EventStatus.PUBLISHED:
                locked = [
                    FieldError(name, f"{name} cannot be changed once the event is published.")
                    for name in LOCKED_WHEN_PUBLISHED
                    if name in values and values[name].value != getattr(event, name)
                ]
                if locked:
                    raise ValidationFailed(locked)
            if "hub_id" in values and values["hub_id"] != event.hub_id:
                _check_hub(session, actor, values["hub_id"])
            has_calendar = "calendar" in fields or "start_time" in fields
            calendar = parse_calendar(_calendar_input(fields)) if has_calendar else calendar_of(event)
            check_lobby(
                values.get("lobby_start_time", event.lobby_start_time),
                values.get("lobby_end_time", event.lobby_end_time),
                calendar,
            )
            new_type = values.get("event_type", EventType(event.event_type))
            if new_type is EventType.SIMPLE_EVENT and not (values.get("meeting_type") or event.meeting_type):
                raise ValidationFailed.one("meeting_type", "meeting_type is required for a SIMPLE_EVENT.")
            was_recurring = occurrences.is_recurring(event)
            if "recurrence" in fields or new_type is not EventType(event.event_type):
                values["recurrence"] = occurrences.checked(new_type, fields.get("recurrence", event.recurrence))
            _apply(event, values, calendar)
            event.updated_at = self._clock.now()
            if was_recurring or occurrences.is_recurring(event):
                occurrences.sync(session, event, event.updated_at)
            webhooks.emit_event(session, event, "zoom_events.event_updated", event.updated_at)

    def delete(self, actor: Principal, event_id: str) -> None:
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, need=coediting.OWNER)
            transition(EventStatus(event.status), Action.DELETE)
            session.delete(event)

    def publish(self, actor: Principal, event_id: str) -> Event:
        return self._move(actor, event_id, Action.PUBLISH)

    def cancel(self, actor: Principal, event_id: str, cancel_message: object) -> Event:
        message = cancel_message.strip() if isinstance(cancel_message, str) else None
        return self._move(actor, event_id, Action.CANCEL, cancel_message=message)

    def duplicate(self, actor: Principal, event_id: str, options: dict[str, Any] | None) -> Event:
        options = options or {}
        name, start, tz = options.get("name"), options.get("start_time"), options.get("timezone")
        if name is not None and (not isinstance(name, str) or not name.strip() or len(name) > 200):
            raise InvalidDuplicateName()
        new_start = None
        if start is not None and (new_start := parse_utc(start)) is None:
            raise InvalidDuplicateStart()
        if tz is not None and zone(tz) is None:
            raise InvalidDuplicateTimezone()
        now = self._clock.now()
        with self._db.write() as session:
            source = _action_target(session, actor, event_id)
            transition(EventStatus(source.status), Action.DUPLICATE)
            calendar = calendar_of(source)
            shifted = calendar.shifted_to(new_start) if new_start else calendar
            delta = shifted.starts_at - calendar.starts_at
            copy = Event(
                id=new_id(), account_id=source.account_id, host_user_id=actor.user_id,
                status=EventStatus.DRAFT.value, registrants_count=0, created_at=now, updated_at=now,
                **{c: getattr(source, c) for c in _COLUMNS},
            )
            copy.name = name.strip() if name else source.name
            copy.timezone = tz or source.timezone
            copy.lobby_start_time = source.lobby_start_time and source.lobby_start_time + delta
            copy.lobby_end_time = source.lobby_end_time and source.lobby_end_time + delta
            _set_calendar(copy, shifted)
            if copy.recurrence and copy.recurrence.get("end_date_time"):  # a series that ends by date moves with it
                copy.recurrence = {**copy.recurrence, "end_date_time": format_utc(parse_utc(copy.recurrence["end_date_time"]) + delta)}
            session.add(copy)
            session.flush()
            if occurrences.is_recurring(copy):
                occurrences.sync(session, copy, now)
            for ticket_type in session.scalars(select(TicketType).where(TicketType.event_id == source.id)):
                session.add(TicketType(
                    **{c: getattr(ticket_type, c) for c in _TICKET_TYPE_COLUMNS},
                    id=new_id(), event_id=copy.id, sold_quantity=0, created_at=now,
                    sale_start=ticket_type.sale_start and ticket_type.sale_start + delta,
                    sale_end=ticket_type.sale_end and ticket_type.sale_end + delta,
                ))
            webhooks.emit_event(session, copy, "zoom_events.event_duplicated", now, source_event_id=source.id)
        return copy

    def _move(self, actor: Principal, event_id: str, action: Action, cancel_message: str | None = None) -> Event:
        now = self._clock.now()
        with self._db.write() as session:
            event = _action_target(session, actor, event_id, lock=True)
            after = transition(EventStatus(event.status), action)
            if action is Action.CANCEL:
                if event.registrants_count > 0 and not cancel_message:
                    raise ValidationFailed.one("cancel_message", "cancel_message is required because the event has registrants.")
                event.cancel_message = cancel_message
                outbox.enqueue_for_registrants(session, kind="cancellation", event_id=event.id, domain=self._domain, now=now)
            event.status = after.value
            event.updated_at = now
            announced = {Action.PUBLISH: "zoom_events.event_published", Action.CANCEL: "zoom_events.event_cancelled"}.get(action)
            if announced:
                webhooks.emit_event(session, event, announced, now)
        return event


def _calendar_input(fields: dict[str, Any]) -> object:
    """The calendar, or one built from the deprecated top-level start_time/end_time."""
    if fields.get("calendar") is None and (fields.get("start_time") or fields.get("end_time")):
        return [{"start_time": fields.get("start_time"), "end_time": fields.get("end_time")}]
    return fields.get("calendar")


def _apply(event: Event, values: dict[str, Any], calendar: Calendar) -> None:
    for name in _COLUMNS:
        if name in values:
            value = values[name]
            setattr(event, name, value.value if hasattr(value, "value") else value)
    _set_calendar(event, calendar)


def _set_calendar(event: Event, calendar: Calendar) -> None:
    event.calendar = calendar.to_wire()
    event.start_time, event.end_time = calendar.starts_at, calendar.ends_at


def _check_hub(session: Session, actor: Principal, hub_id: str) -> None:
    hub = session.get(Hub, hub_id)
    if hub is None or hub.account_id != actor.account_id or not hub.active:
        raise HubNotPermitted()


def owned_event(session: Session, actor: Principal, event_id: str, *, lock: bool = False, need: str | None = None) -> Event:
    """The caller's event, or one they co-edit: a co-editor sees all of it and changes what their
    permission groups allow (`need`; None for looking). Anyone else's event is as unknown as one
    that never existed."""
    event = session.get(Event, event_id, with_for_update=lock) if is_well_formed(event_id) else None
    if event is None:
        raise EventNotFound()
    if event.account_id == actor.account_id:
        return event
    groups = session.scalar(
        select(EventCoeditor.permission_groups).join(User, User.email == EventCoeditor.email_normalized)
        .where(EventCoeditor.event_id == event.id, User.id == actor.user_id)
    )
    if groups is None:
        raise EventNotFound()
    if not coediting.may(groups, need):
        raise EventAccessDenied()
    return event


def _action_target(session: Session, actor: Principal, event_id: str, *, lock: bool = False) -> Event:
    if not is_well_formed(event_id):
        raise InvalidEventId()
    return owned_event(session, actor, event_id, lock=lock, need=coediting.PUBLISH)


# The sponsor tiers a new conference starts with (the levels Zoom Events offers).
DEFAULT_TIERS = (("Platinum", "Platinum sponsors"), ("Gold", "Gold sponsors"), ("Silver", "Silver sponsors"),
                 ("Bronze", "Bronze sponsors"))


def default_tiers(event_id: str) -> list[SponsorTier]:
    return [SponsorTier(id=new_id(), event_id=event_id, name=name, description=description, position=i)
            for i, (name, description) in enumerate(DEFAULT_TIERS)]


def default_ticket_type(event_id: str, now: datetime) -> TicketType:
    """Every event starts with a free ticket type that registration uses when none is named."""
    return TicketType(
        id=new_id(), event_id=event_id, is_default=True, name="General Admission", description="", currency="USD",
        free=True, price="0", quantity=None, sold_quantity=0, sessions=[], bookmarked_sessions=[], visibility={},
        created_at=now,
    )
