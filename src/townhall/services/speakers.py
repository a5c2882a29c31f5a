"""An event's speakers: created, changed and removed by its organizers, shown on its page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain import coediting
from townhall.domain import webhooks as zoom_webhooks
from townhall.domain.errors import FieldError, SpeakerEmailTaken, SpeakerNotFound, TooManySpeakers, ValidationFailed
from townhall.domain.ids import is_well_formed, new_id
from townhall.domain.principal import Principal
from townhall.domain.registration import normalize_email
from townhall.domain.text_fields import read_flag, read_text
from townhall.services import webhooks
from townhall.services.events import owned_event
from townhall.storage.models import Speaker
from townhall.storage.uow import Database

MAX_SPEAKERS = 500  # per event; Zoom documents a limit (error 3002) without its number
TEXT_FIELDS = {"name": 200, "job_title": 200, "biography": 5000, "company_name": 200, "company_website": 500,
               "linkedin_url": 500, "twitter_url": 500, "youtube_url": 500}
FLAGS = ("featured_in_event_detail_page", "visible_in_event_detail_page", "featured_in_lobby", "visible_in_lobby")


class SpeakerService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def list(self, actor: Principal, event_id: str) -> list[Speaker]:
        with self._db.read() as session:
            owned_event(session, actor, event_id)
            return public_speakers(session, event_id, only_visible=False)

    def get(self, actor: Principal, event_id: str, speaker_id: str) -> Speaker:
        with self._db.read() as session:
            owned_event(session, actor, event_id)
            return _speaker(session, event_id, speaker_id)

    def create(self, actor: Principal, event_id: str, fields: dict[str, Any]) -> Speaker:
        values = _checked(fields, creating=True)
        now = self._clock.now()
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, lock=True, need=coediting.CONTENT)  # one writer per event: the count and the email check hold
            if (session.scalar(select(func.count()).where(Speaker.event_id == event_id)) or 0) >= MAX_SPEAKERS:
                raise TooManySpeakers()
            _check_email_free(session, event_id, values.get("email_normalized"), None)
            defaults = {flag: flag.startswith("visible") for flag in FLAGS}  # visible, not featured
            speaker = Speaker(id=new_id(), event_id=event_id, created_at=now, updated_at=now, **{**defaults, **values})
            session.add(speaker)
            webhooks.emit(session, event.account_id, "zoom_events.speaker_created", zoom_webhooks.speaker_object(event, speaker), now)
            return speaker

    def update(self, actor: Principal, event_id: str, speaker_id: str, fields: dict[str, Any]) -> None:
        values = _checked(fields, creating=False)
        now = self._clock.now()
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, lock=True, need=coediting.CONTENT)
            speaker = _speaker(session, event_id, speaker_id)
            if "email_normalized" in values:
                _check_email_free(session, event_id, values["email_normalized"], speaker.id)
            for name, value in values.items():
                setattr(speaker, name, value)
            speaker.updated_at = now
            webhooks.emit(session, event.account_id, "zoom_events.speaker_updated", zoom_webhooks.speaker_object(event, speaker), now)

    def delete(self, actor: Principal, event_id: str, speaker_id: str) -> None:
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, lock=True, need=coediting.CONTENT)
            speaker = _speaker(session, event_id, speaker_id)
            session.delete(speaker)
            webhooks.emit(session, event.account_id, "zoom_events.speaker_deleted", zoom_webhooks.speaker_object(event, speaker), self._clock.now())


def public_speakers(session: Session, event_id: str, *, only_visible: bool = True) -> list[Speaker]:
    """Featured first, then in the order they were added."""
    query = select(Speaker).where(Speaker.event_id == event_id)
    if only_visible:
        query = query.where(Speaker.visible_in_event_detail_page.is_(True))
    return list(session.scalars(query.order_by(Speaker.featured_in_event_detail_page.desc(), Speaker.created_at, Speaker.id)))


def _speaker(session: Session, event_id: str, speaker_id: str) -> Speaker:
    speaker = session.get(Speaker, speaker_id) if is_well_formed(speaker_id) else None
    if speaker is None or speaker.event_id != event_id:
        raise SpeakerNotFound()
    return speaker


def _check_email_free(session: Session, event_id: str, normalized: str | None, speaker_id: str | None) -> None:
    if normalized is None:
        return
    other = session.scalar(select(Speaker.id).where(Speaker.event_id == event_id, Speaker.email_normalized == normalized))
    if other is not None and other != speaker_id:
        raise SpeakerEmailTaken()


def _checked(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """The columns to write, from the request's fields; every problem reported at once."""
    problems: list[FieldError] = []
    values: dict[str, Any] = read_text(fields, TEXT_FIELDS, problems)
    if creating and not values.get("name") and not any(p.field == "name" for p in problems):
        problems.append(FieldError("name", "name is required."))
    elif not creating and "name" in values and not values["name"]:
        problems.append(FieldError("name", "name cannot be empty."))
    if fields.get("email") not in (None, ""):
        try:
            values["email"], values["email_normalized"] = normalize_email(fields["email"])
        except ValidationFailed as exc:
            problems.extend(exc.errors)
    elif "email" in fields and not creating:
        values["email"] = values["email_normalized"] = None
    for flag in FLAGS:
        value = read_flag(fields, flag, problems)
        if value is not None:
            values[flag] = value
    if problems:
        raise ValidationFailed(problems)
    return values
