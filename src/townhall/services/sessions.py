"""A conference's sessions (its agenda) and the seats registrants reserve in them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain import coediting
from townhall.domain import webhooks as zoom_webhooks
from townhall.domain.errors import (
    EndBeforeStart,
    FieldError,
    NoSessionAccess,
    NotAConference,
    ReservationNotFound,
    ReservationsDisabled,
    ReservationsFull,
    SessionNotFound,
    ValidationFailed,
)
from townhall.domain.event_fields import SESSION_FLAGS, EventType
from townhall.domain.ids import is_well_formed, meeting_number, new_id
from townhall.domain.lifecycle import EventStatus, check_editable
from townhall.domain.principal import Principal
from townhall.domain.registration import normalize_email
from townhall.domain.schedule import parse_utc, zone
from townhall.domain.text_fields import MAX_COUNT, is_count, read_flag, read_text
from townhall.services import webhooks
from townhall.services.events import owned_event, phase_of
from townhall.storage.models import Event, EventSession, Exhibitor, Registrant, SessionReservation, Speaker
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database

SESSION_TYPES = (0, 2, 4)  # meeting, webinar, neither
FLAGS = SESSION_FLAGS
LABELS = {"track_labels": 200, "audience_labels": 200, "product_labels": 200, "level": 50, "alternative_host": 50, "panelist": 50}
SPEAKER_FLAGS = ("access_to_edit_session", "show_in_session_detail", "has_alternative_host_permission")
ATTENDANCE_TYPES = ("virtual", "in-person", "hybrid")
MAX_SESSIONS = 200


JOIN_TOKEN_LIFETIME = timedelta(hours=2)


class SessionService:
    def __init__(self, db: Database, clock: Clock, secret_key: str) -> None:
        self._db, self._clock, self._secret = db, clock, secret_key

    def join_token(self, actor: Principal, event_id: str, session_id: str) -> str:
        """A signed token that lets its holder into the session's room as its host, for two hours."""
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            row = session_of(session, event.id, session_id)
        claims = {"typ": "session-join", "eid": event.id, "sid": row.id, "sub": actor.user_id,
                  "exp": int((self._clock.now() + JOIN_TOKEN_LIFETIME).timestamp())}
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def admit(self, token: str) -> tuple[Event, EventSession] | None:
        """The event and session a join token opens, or None when it is not a valid, current one."""
        try:
            # Expiry is checked against the service's clock (tests move it), not PyJWT's.
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], options={"require": ["exp"], "verify_exp": False})
        except jwt.PyJWTError:
            return None
        if claims.get("typ") != "session-join" or claims["exp"] < self._clock.now().timestamp():
            return None
        with self._db.read() as session:
            event = session.get(Event, claims.get("eid"))
            row = session.get(EventSession, claims.get("sid"))
        if event is None or row is None or row.event_id != event.id or event.status == EventStatus.CANCELLED.value:
            return None
        return event, row

    def list(self, actor: Principal, event_id: str) -> tuple[Event, list[EventSession]]:
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            return event, agenda(session, event.id, only_visible=False)

    def get(self, actor: Principal, event_id: str, session_id: str) -> tuple[Event, EventSession]:
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            return event, session_of(session, event.id, session_id)

    def create(self, actor: Principal, event_id: str, fields: dict[str, Any]) -> tuple[Event, EventSession]:
        now = self._clock.now()
        with self._db.write() as session:
            event = _multi_session(owned_event(session, actor, event_id, lock=True, need=coediting.CONTENT), now)
            if len(agenda(session, event.id, only_visible=False)) >= MAX_SESSIONS:
                raise ValidationFailed.one("sessions", f"An event has at most {MAX_SESSIONS} sessions.")
            values = _checked(session, event, fields, None)
            row = EventSession(id=new_id(), event_id=event.id, meeting_number=meeting_number(), reservations_count=0,
                               created_at=now, updated_at=now, **values)
            session.add(row)
            webhooks.emit(session, event.account_id, "zoom_events.session_created", zoom_webhooks.session_object(event, row), now)
            return event, row

    def update(self, actor: Principal, event_id: str, session_id: str, fields: dict[str, Any]) -> None:
        now = self._clock.now()
        with self._db.write() as session:
            event = _multi_session(owned_event(session, actor, event_id, lock=True, need=coediting.CONTENT), now)
            row = session_of(session, event.id, session_id)
            for name, value in _checked(session, event, fields, row).items():
                setattr(row, name, value)
            row.updated_at = now
            webhooks.emit(session, event.account_id, "zoom_events.session_updated", zoom_webhooks.session_object(event, row), now)

    def delete(self, actor: Principal, event_id: str, session_id: str) -> None:
        now = self._clock.now()
        with self._db.write() as session:
            event = _multi_session(owned_event(session, actor, event_id, lock=True, need=coediting.CONTENT), now)
            row = session_of(session, event.id, session_id)
            for exhibitor in session.scalars(select(Exhibitor).where(Exhibitor.event_id == event.id)):
                if row.id in exhibitor.associated_sessions:  # exhibitors no longer point at it
                    exhibitor.associated_sessions = [s for s in exhibitor.associated_sessions if s != row.id]
            session.delete(row)
            webhooks.emit(session, event.account_id, "zoom_events.session_deleted", zoom_webhooks.session_object(event, row), now)

    # -- reservations ----------------------------------------------------------------------------
    def reservations(self, actor: Principal, event_id: str, session_id: str, limit: int, after: tuple[str, str] | None) -> Page:
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            row = session_of(session, event.id, session_id)
            query = select(Registrant).join(SessionReservation, SessionReservation.registrant_id == Registrant.id).where(
                SessionReservation.session_id == row.id)
            return keyset_page(session, query, Registrant.created_at, Registrant.id, limit, after)

    def reserve(self, actor: Principal, event_id: str, session_id: str, email: Any) -> None:
        """A seat for a registrant of the event; the session's counter is locked, checked and
        changed in one transaction, so a session never holds more than its max_capacity."""
        _, normalized = normalize_email(email)
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, need=coediting.REGISTRATION)
            row = session_of(session, event.id, session_id, lock=True)
            if not row.allow_reservations:
                raise ReservationsDisabled()
            registrant = _registrant(session, event.id, normalized)
            if session.get(SessionReservation, (row.id, registrant.id)) is not None:
                return  # reserved already: nothing changes
            if row.max_capacity is not None and row.reservations_count >= row.max_capacity:
                raise ReservationsFull()
            row.reservations_count += 1
            session.add(SessionReservation(session_id=row.id, registrant_id=registrant.id, created_at=self._clock.now()))

    def release(self, actor: Principal, event_id: str, session_id: str, email: Any) -> None:
        _, normalized = normalize_email(email)
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, need=coediting.REGISTRATION)
            row = session_of(session, event.id, session_id, lock=True)
            registrant = session.scalar(select(Registrant).where(Registrant.event_id == event.id, Registrant.email_normalized == normalized))
            reservation = session.get(SessionReservation, (row.id, registrant.id)) if registrant else None
            if reservation is None:
                raise ReservationNotFound()
            session.delete(reservation)
            row.reservations_count -= 1


def agenda(session: Session, event_id: str, *, only_visible: bool = True) -> list[EventSession]:
    """The sessions in the order they happen (the event page shows those visible on it)."""
    rows = list(session.scalars(select(EventSession).where(EventSession.event_id == event_id).order_by(EventSession.start_time, EventSession.id)))
    return [r for r in rows if r.flags.get("visible_in_landing_page", True)] if only_visible else rows


def speaker_names(session: Session, event_id: str) -> dict[str, str]:
    return dict(session.execute(select(Speaker.id, Speaker.name).where(Speaker.event_id == event_id)).all())


def _multi_session(event: Event, now: datetime) -> Event:
    if event.event_type == EventType.RECURRING.value:
        raise NotAConference("A recurring event's sessions are its occurrences: change the event's recurrence to change them.")
    if event.event_type != EventType.CONFERENCE.value:
        raise NotAConference("Sessions are for conferences: this operation is not available for a single session event.")
    check_editable(EventStatus(event.status), phase_of(event, now))
    return event


def session_of(session: Session, event_id: str, session_id: str, *, lock: bool = False) -> EventSession:
    """The event's session of that id, or SessionNotFound."""
    row = session.get(EventSession, session_id, with_for_update=lock) if is_well_formed(session_id) else None
    if row is None or row.event_id != event_id:
        raise SessionNotFound()
    return row


def _registrant(session: Session, event_id: str, normalized: str) -> Registrant:
    registrant = session.scalar(select(Registrant).where(
        Registrant.event_id == event_id, Registrant.email_normalized == normalized, Registrant.cancelled_at.is_(None)))
    if registrant is None:
        raise NoSessionAccess()
    return registrant


def _checked(session: Session, event: Event, fields: dict[str, Any], current: EventSession | None) -> dict[str, Any]:
    """The columns to write; every problem of the request reported at once."""
    creating = current is None
    problems: list[FieldError] = []
    values: dict[str, Any] = read_text(fields, {"name": 200, "description": 10000, "physical_location": 500, "record_file_id": 64}, problems)
    if (creating or "name" in fields) and not values.get("name") and not any(p.field == "name" for p in problems):
        problems.append(FieldError("name", "name is required." if creating else "name cannot be empty."))
    times = {}
    for name in ("start_time", "end_time"):
        if name in fields or creating:
            moment = parse_utc(fields.get(name))
            if moment is None:
                problems.append(FieldError(name, f"{name} is required, in UTC: yyyy-MM-ddTHH:mm:ssZ."))
            else:
                times[name] = values[name] = moment
    start = times.get("start_time", current.start_time if current else None)
    end = times.get("end_time", current.end_time if current else None)
    if start and end and times:
        if end <= start:
            raise EndBeforeStart("The session's end_time must be after its start_time.")
        if start < (event.lobby_start_time or event.start_time) or end > event.end_time:
            problems.append(FieldError("start_time", "A session must fall within the event's own start and end."))
    if "timezone" in fields or creating:
        if zone(fields.get("timezone", event.timezone)) is None:
            problems.append(FieldError("timezone", "timezone must be an IANA time zone name."))
        else:
            values["timezone"] = fields.get("timezone", event.timezone)
    if "type" in fields or creating:
        if fields.get("type") not in SESSION_TYPES or isinstance(fields.get("type"), bool):
            problems.append(FieldError("type", "type is 0 (meeting), 2 (webinar) or 4 (neither)."))
        else:
            values["type"] = fields["type"]
    flags = dict(FLAGS) if creating else dict(current.flags)
    for name in FLAGS:
        value = read_flag(fields, name, problems)
        if value is not None:
            flags[name] = value
    values["flags"] = flags
    labels = {} if creating else dict(current.labels)
    for name, most in LABELS.items():
        value = fields.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or len(value) > most or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(FieldError(name, f"{name} is a list of up to {most} strings."))
        elif name in ("alternative_host", "panelist"):
            try:
                labels[name] = [normalize_email(v)[0] for v in value]
            except ValidationFailed as exc:
                problems.extend(FieldError(name, e.message) for e in exc.errors)
        else:
            labels[name] = [v.strip() for v in value]
    values["labels"] = labels
    if fields.get("attendance_type") is not None:
        if str(fields["attendance_type"]).lower() not in ATTENDANCE_TYPES:
            problems.append(FieldError("attendance_type", "attendance_type is virtual, in-person or hybrid."))
        else:
            values["attendance_type"] = str(fields["attendance_type"]).lower()
    if fields.get("session_speakers") is not None:
        values["speakers"] = _speakers(session, event.id, fields["session_speakers"], problems)
    elif creating:
        values["speakers"] = []
    reservation = fields.get("session_reservation")
    if reservation is not None:
        allow, capacity = (reservation.get("allow_reservations"), reservation.get("max_capacity")) if isinstance(reservation, dict) else (None, None)
        if not isinstance(reservation, dict) or (allow is not None and not isinstance(allow, bool)) or (
                capacity is not None and (not isinstance(capacity, int) or not is_count(capacity, 1))):
            problems.append(FieldError("session_reservation", f"session_reservation is {{allow_reservations: bool, max_capacity: 1 to {MAX_COUNT:,}}}."))
        else:
            if allow is not None:
                values["allow_reservations"] = allow
            if capacity is not None:
                if current is not None and capacity < current.reservations_count:
                    problems.append(FieldError("session_reservation.max_capacity",
                                               f"{current.reservations_count} seats are already reserved."))
                values["max_capacity"] = capacity
    if problems:
        raise ValidationFailed(problems)
    return values


def _speakers(session: Session, event_id: str, entries: Any, problems: list[FieldError]) -> list[dict[str, Any]]:
    known = speaker_names(session, event_id)
    if not isinstance(entries, list) or len(entries) > 200:
        problems.append(FieldError("session_speakers", "session_speakers is a list of up to 200 speakers."))
        return []
    speakers = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or entry.get("speaker_id") not in known:
            problems.append(FieldError(f"session_speakers[{i}].speaker_id", "speaker_id must be one of the event's speakers."))
            continue
        speakers.append({"speaker_id": entry["speaker_id"], **{f: bool(entry.get(f, f == "show_in_session_detail")) for f in SPEAKER_FLAGS}})
    return speakers
