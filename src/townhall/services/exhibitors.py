"""A conference's exhibitors and sponsors, and its sponsor tiers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain import coediting
from townhall.domain import webhooks as zoom_webhooks
from townhall.domain.errors import ExhibitorNotFound, FieldError, InvalidExhibitorId, InvalidSessionIds, NotAConference, ValidationFailed
from townhall.domain.event_fields import EventType
from townhall.domain.ids import is_well_formed, new_id
from townhall.domain.principal import Principal
from townhall.domain.registration import normalize_email
from townhall.domain.text_fields import read_flag, read_text
from townhall.services import webhooks
from townhall.services.events import owned_event
from townhall.storage.models import Event, EventSession, Exhibitor, SponsorTier
from townhall.storage.uow import Database

TEXT_FIELDS = {"name": 200, "description": 5000, "contact_name": 200, "website": 500, "privacy_policy": 500,
               "linkedin_url": 500, "twitter_url": 500, "youtube_url": 500, "instagram_url": 500, "facebook_url": 500}
REQUIRED = ("name", "contact_name", "contact_email")


class ExhibitorService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def tiers(self, actor: Principal, event_id: str) -> list[SponsorTier]:
        with self._db.read() as session:
            _conference(session, actor, event_id)
            return _tiers(session, event_id)

    def list(self, actor: Principal, event_id: str) -> list[Exhibitor]:
        with self._db.read() as session:
            _conference(session, actor, event_id)
            return list(session.scalars(select(Exhibitor).where(Exhibitor.event_id == event_id).order_by(Exhibitor.created_at, Exhibitor.id)))

    def get(self, actor: Principal, event_id: str, exhibitor_id: str) -> Exhibitor:
        with self._db.read() as session:
            _conference(session, actor, event_id)
            return _exhibitor(session, event_id, exhibitor_id)

    def create(self, actor: Principal, event_id: str, fields: dict[str, Any]) -> Exhibitor:
        now = self._clock.now()
        with self._db.write() as session:
            event = _conference(session, actor, event_id, coediting.CONTENT)
            values = _checked(fields, _tiers(session, event_id), creating=True)
            _check_sessions(session, event_id, values["associated_sessions"])
            exhibitor = Exhibitor(id=new_id(), event_id=event_id, created_at=now, updated_at=now, **values)
            session.add(exhibitor)
            webhooks.emit(session, event.account_id, "zoom_events.exhibitor_created", zoom_webhooks.exhibitor_object(event, exhibitor), now)
            return exhibitor

    def update(self, actor: Principal, event_id: str, exhibitor_id: str, fields: dict[str, Any]) -> None:
        # PATCH names the tier `sponsor_tier` where POST and GET say `tier_id` (Zoom's spec): both are taken.
        fields = {**fields, "tier_id": fields.get("sponsor_tier", fields.get("tier_id"))} if "sponsor_tier" in fields else fields
        now = self._clock.now()
        with self._db.write() as session:
            event = _conference(session, actor, event_id, coediting.CONTENT)
            exhibitor = _exhibitor(session, event_id, exhibitor_id)
            values = _checked(fields, _tiers(session, event_id), creating=False, current=exhibitor)
            _check_sessions(session, event_id, values.get("associated_sessions", []))
            for name, value in values.items():
                setattr(exhibitor, name, value)
            exhibitor.updated_at = now
            webhooks.emit(session, event.account_id, "zoom_events.exhibitor_updated", zoom_webhooks.exhibitor_object(event, exhibitor), now)

    def delete(self, actor: Principal, event_id: str, exhibitor_id: str) -> None:
        with self._db.write() as session:
            event = _conference(session, actor, event_id, coediting.CONTENT)
            exhibitor = _exhibitor(session, event_id, exhibitor_id)
            session.delete(exhibitor)
            webhooks.emit(session, event.account_id, "zoom_events.exhibitor_deleted", zoom_webhooks.exhibitor_object(event, exhibitor), self._clock.now())


def _conference(session: Session, actor: Principal, event_id: str, need: str | None = None) -> Event:
    event = owned_event(session, actor, event_id, need=need)
    if event.event_type != EventType.CONFERENCE.value:
        raise NotAConference()
    return event


def _tiers(session: Session, event_id: str) -> list[SponsorTier]:
    return list(session.scalars(select(SponsorTier).where(SponsorTier.event_id == event_id).order_by(SponsorTier.position)))


def _check_sessions(session: Session, event_id: str, session_ids: list[str]) -> None:
    """Every associated session must be one of the event's (26402)."""
    if not session_ids:
        return
    known = set(session.scalars(select(EventSession.id).where(EventSession.event_id == event_id, EventSession.id.in_(session_ids))))
    if len(known) != len(session_ids):
        raise InvalidSessionIds()


def _exhibitor(session: Session, event_id: str, exhibitor_id: str) -> Exhibitor:
    if not is_well_formed(exhibitor_id):
        raise InvalidExhibitorId()
    exhibitor = session.get(Exhibitor, exhibitor_id)
    if exhibitor is None or exhibitor.event_id != event_id:
        raise ExhibitorNotFound()
    return exhibitor


def _checked(fields: dict[str, Any], tiers: list[SponsorTier], *, creating: bool, current: Exhibitor | None = None) -> dict[str, Any]:
    problems: list[FieldError] = []
    values: dict[str, Any] = read_text(fields, TEXT_FIELDS, problems)
    if fields.get("contact_email") is not None:
        try:
            values["contact_email"] = normalize_email(fields["contact_email"])[0]
        except ValidationFailed as exc:
            problems.extend(FieldError("contact_email", e.message) for e in exc.errors)
    for name in REQUIRED:
        if any(p.field == name for p in problems):
            continue
        if creating and not values.get(name):
            problems.append(FieldError(name, f"{name} is required."))
        elif not creating and name in fields and not values.get(name):
            problems.append(FieldError(name, f"{name} cannot be empty."))
    sponsor = read_flag(fields, "is_sponsor", problems)
    if sponsor is None:
        sponsor = True if creating else current.is_sponsor  # type: ignore[union-attr]
    values["is_sponsor"] = sponsor
    tier_id = fields.get("tier_id")
    if tier_id is not None:
        if not isinstance(tier_id, str) or tier_id not in {t.id for t in tiers}:
            problems.append(FieldError("tier_id", "tier_id is not one of the event's sponsor tiers."))
        else:
            values["tier_id"] = tier_id
    elif sponsor and (creating or current.tier_id is None):  # type: ignore[union-attr]
        problems.append(FieldError("tier_id", "A sponsor needs a tier_id (GET .../sponsor_tiers lists them)."))
    if not sponsor:
        values["tier_id"] = None
    sessions = fields.get("associated_sessions")
    if sessions is not None:
        if not isinstance(sessions, list) or not all(isinstance(s, str) for s in sessions) or len(sessions) > 200:
            problems.append(FieldError("associated_sessions", "associated_sessions is a list of up to 200 session ids."))
        else:
            values["associated_sessions"] = list(dict.fromkeys(sessions))
    elif creating:
        values["associated_sessions"] = []
    if problems:
        raise ValidationFailed(problems)
    return values
