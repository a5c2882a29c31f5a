"""Event lifecycle: the one table of allowed (status, action) transitions, and the clock-derived phase."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from townhall.domain.errors import EventNotEditable, TransitionNotAllowed


class EventStatus(str, Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Action(str, Enum):
    PUBLISH = "publish"
    CANCEL = "cancel"
    DUPLICATE = "duplicate"
    UPDATE = "update"
    DELETE = "delete"


class Phase(str, Enum):
    """Where a published event stands on the calendar; never stored, always derived from the clock."""

    UPCOMING = "upcoming"
    LIVE = "live"
    COMPLETED = "completed"


DELETED = None
D, P, C = EventStatus.DRAFT, EventStatus.PUBLISHED, EventStatus.CANCELLED

# (status, action) -> status of the event afterwards (None: the event is gone).
# A pair that is absent is not allowed. Duplicating leaves the source as it was.
TRANSITIONS: dict[tuple[EventStatus, Action], EventStatus | None] = {
    (D, Action.PUBLISH): P,
    (D, Action.DUPLICATE): D,
    (D, Action.UPDATE): D,
    (D, Action.DELETE): DELETED,
    (P, Action.CANCEL): C,
    (P, Action.DUPLICATE): P,
    (P, Action.UPDATE): P,
    (C, Action.DUPLICATE): C,
    (C, Action.DELETE): DELETED,
}

_REFUSALS: dict[tuple[EventStatus, Action], str] = {
    (D, Action.CANCEL): "Only a published event can be cancelled; delete the draft instead.",
    (P, Action.PUBLISH): "The event is already published.",
    (P, Action.DELETE): "A published event cannot be deleted; cancel it first.",
    (C, Action.PUBLISH): "A cancelled event cannot be published again; duplicate it instead.",
    (C, Action.CANCEL): "The event is already cancelled.",
}


def transition(status: EventStatus, action: Action) -> EventStatus | None:
    """The status after `action`, or the error that forbids it."""
    key = (status, action)
    if key in TRANSITIONS:
        return TRANSITIONS[key]
    if action is Action.UPDATE:
        raise EventNotEditable()
    raise TransitionNotAllowed(_REFUSALS.get(key))


def phase(now: datetime, opens_at: datetime, ends_at: datetime) -> Phase:
    if now < opens_at:
        return Phase.UPCOMING
    if now < ends_at:
        return Phase.LIVE
    return Phase.COMPLETED


def check_editable(status: EventStatus, current_phase: Phase) -> None:
    """Updates: cancelled events never, published ones not once they are over (260210)."""
    transition(status, Action.UPDATE)
    if status is EventStatus.PUBLISHED and current_phase is Phase.COMPLETED:
        raise EventNotEditable()
