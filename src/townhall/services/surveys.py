"""The post-event survey: attendees who joined answer it once the event has ended (the survey report).

Zoom lets organizers edit the survey in its web app, which the API cannot reach; townhall asks
the questions of Zoom's default post-event survey."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from townhall.clock import Clock
from townhall.domain.errors import FieldError, ValidationFailed
from townhall.domain.ids import new_id
from townhall.domain.lifecycle import Phase
from townhall.domain.principal import Principal
from townhall.services.events import owned_event, phase_of
from townhall.storage.models import Event, Registrant, SurveyResponse
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database

QUESTIONS: tuple[dict[str, Any], ...] = (
    {"key": "rating", "question": "How would you rate this event overall?", "type": "rating", "required": True,
     "options": ["1", "2", "3", "4", "5"]},
    {"key": "liked", "question": "What did you like most?", "type": "text", "required": False},
    {"key": "improve", "question": "What could we do better?", "type": "text", "required": False},
)
MAX_ANSWER = 2000


class SurveyService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def open_for(self, token: str) -> tuple[Event, Registrant, bool] | None:
        """The ended event and the attendee this join link is for, and whether they answered already;
        None when the link is unknown, cancelled, never used to join, or the event has not ended."""
        with self._db.read() as session:
            registrant = session.scalar(select(Registrant).where(Registrant.join_token == token)) if token else None
            if registrant is None or registrant.cancelled_at is not None or registrant.first_join_at is None:
                return None
            event = session.get(Event, registrant.event_id)
            if event is None or event.status != "published" or phase_of(event, self._clock.now()) is not Phase.COMPLETED:
                return None
            answered = session.scalar(select(SurveyResponse.id).where(SurveyResponse.registrant_id == registrant.id)) is not None
            return event, registrant, answered

    def answer(self, token: str, given: dict[str, Any], anonymous: bool = False) -> bool:
        """Record the answers; False when this attendee may not (or did already)."""
        opened = self.open_for(token)
        if opened is None or opened[2]:
            return False
        event, registrant, _ = opened
        problems: list[FieldError] = []
        answers = []
        for q in QUESTIONS:
            value = given.get(q["key"])
            value = value.strip() if isinstance(value, str) else ""
            if q["required"] and not value:
                problems.append(FieldError(q["key"], "Please answer this question."))
            elif q.get("options") and value and value not in q["options"]:
                problems.append(FieldError(q["key"], "Choose one of the options."))
            elif len(value) > MAX_ANSWER:
                problems.append(FieldError(q["key"], f"At most {MAX_ANSWER} characters."))
            elif value:
                answers.append({"question": q["question"], "answer": value})
        if problems:
            raise ValidationFailed(problems)
        try:
            with self._db.write() as session:
                session.add(SurveyResponse(id=new_id(), event_id=event.id, registrant_id=registrant.id,
                                           email=None if anonymous else registrant.email, answers=answers, created_at=self._clock.now()))
        except IntegrityError:
            return False  # answered meanwhile, from another tab
        return True

    def report(self, actor: Principal, event_id: str, limit: int, after: tuple[str, str] | None) -> Page:
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            return keyset_page(session, select(SurveyResponse).where(SurveyResponse.event_id == event.id),
                               SurveyResponse.created_at, SurveyResponse.id, limit, after)
