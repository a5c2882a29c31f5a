"""An event's co-editors: chosen by its own account, at most three, each with permission groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain import coediting
from townhall.domain.errors import FieldError, ValidationFailed
from townhall.domain.principal import Principal
from townhall.domain.registration import normalize_email
from townhall.services.events import owned_event
from townhall.storage.models import Event, EventCoeditor, User
from townhall.storage.uow import Database

OPERATIONS = ("add", "update", "delete")


@dataclass(frozen=True)
class Refused:
    email: str
    message: str


class CoeditorService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def list(self, actor: Principal, event_id: str) -> list[EventCoeditor]:
        with self._db.read() as session:
            owned_event(session, actor, event_id)
            return _coeditors(session, event_id)

    def act(self, actor: Principal, event_id: str, operation: Any, entries: Any) -> list[Refused]:
        """Apply the operation to each person; those it cannot apply to come back with the reason."""
        wanted = _checked(operation, entries)
        refused: list[Refused] = []
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, lock=True, need=coediting.OWNER)
            current = {c.email_normalized: c for c in _coeditors(session, event_id)}
            for email, normalized, groups in wanted:
                existing = current.get(normalized)
                if operation == "add":
                    problem = ("Already a co-editor of this event." if existing else
                               "User not eligible for co-editor: they belong to the event's own account." if _in_account(session, event, normalized) else
                               f"An event has at most {coediting.MAX_COEDITORS} co-editors." if len(current) >= coediting.MAX_COEDITORS else None)
                    if problem is None:
                        current[normalized] = EventCoeditor(event_id=event.id, email_normalized=normalized, email=email,
                                                            permission_groups=groups, created_at=self._clock.now())
                        session.add(current[normalized])
                elif existing is None:
                    problem = "Not a co-editor of this event."
                elif operation == "update":
                    existing.permission_groups, problem = groups, None
                else:
                    session.delete(current.pop(normalized))
                    problem = None
                if problem:
                    refused.append(Refused(email, problem))
        return refused


def _coeditors(session: Session, event_id: str) -> list[EventCoeditor]:
    return list(session.scalars(select(EventCoeditor).where(EventCoeditor.event_id == event_id).order_by(EventCoeditor.created_at)))


def _in_account(session: Session, event: Event, normalized: str) -> bool:
    return session.scalar(select(User.id).where(User.account_id == event.account_id, User.email == normalized)) is not None


def _checked(operation: Any, entries: Any) -> list[tuple[str, str, list[str]]]:
    problems: list[FieldError] = []
    if operation not in OPERATIONS:
        problems.append(FieldError("operation", "operation is add, update or delete."))
    if not isinstance(entries, list) or not 1 <= len(entries) <= coediting.MAX_COEDITORS:
        raise ValidationFailed(problems + [FieldError("coeditors", f"coeditors is a list of 1 to {coediting.MAX_COEDITORS} people.")])
    wanted = []
    for i, entry in enumerate(entries):
        entry = entry if isinstance(entry, dict) else {}
        try:
            email, normalized = normalize_email(entry.get("email"))
        except ValidationFailed as exc:
            problems.extend(FieldError(f"coeditors[{i}].email", e.message) for e in exc.errors)
            continue
        groups = entry.get("permission_groups", [])
        if operation != "delete":
            if not isinstance(groups, list) or not all(g in coediting.PERMISSION_GROUPS for g in groups):
                problems.append(FieldError(f"coeditors[{i}].permission_groups",
                                           f"permission_groups is a list of: {', '.join(coediting.PERMISSION_GROUPS)}."))
                continue
            groups = list(dict.fromkeys(groups))
        wanted.append((email, normalized, groups if operation != "delete" else []))
    if problems:
        raise ValidationFailed(problems)
    return wanted
