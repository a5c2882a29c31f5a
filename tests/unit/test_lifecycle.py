"""The event lifecycle table, over every (status, action) pair, and the clock-derived phases."""

from datetime import datetime, timedelta, timezone

import pytest

from townhall.domain.errors import EventNotEditable, TransitionNotAllowed
from townhall.domain.lifecycle import Action, EventStatus, Phase, check_editable, phase, transition

D, P, C = EventStatus.DRAFT, EventStatus.PUBLISHED, EventStatus.CANCELLED
GONE = "deleted"

# Written out independently of the implementation's table: what each pair must do.
EXPECTED = {
    (D, Action.PUBLISH): P,
    (D, Action.CANCEL): TransitionNotAllowed,
    (D, Action.DUPLICATE): D,
    (D, Action.UPDATE): D,
    (D, Action.DELETE): GONE,
    (P, Action.PUBLISH): TransitionNotAllowed,
    (P, Action.CANCEL): C,
    (P, Action.DUPLICATE): P,
    (P, Action.UPDATE): P,
    (P, Action.DELETE): TransitionNotAllowed,
    (C, Action.PUBLISH): TransitionNotAllowed,
    (C, Action.CANCEL): TransitionNotAllowed,
    (C, Action.DUPLICATE): C,
    (C, Action.UPDATE): EventNotEditable,
    (C, Action.DELETE): GONE,
}


def test_expectations_cover_every_pair():
    assert set(EXPECTED) == {(s, a) for s in EventStatus for a in Action}


@pytest.mark.parametrize(("status", "action"), list(EXPECTED), ids=lambda v: v.value)
def test_transition(status, action):
    expected = EXPECTED[(status, action)]
    if isinstance(expected, type):
        with pytest.raises(expected) as info:
            transition(status, action)
        assert info.value.message
    else:
        assert transition(status, action) == (None if expected == GONE else expected)


START = datetime(2025, 12, 15, 19, 0, tzinfo=timezone.utc)
END = START + timedelta(minutes=90)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (START - timedelta(seconds=1), Phase.UPCOMING),
        (START, Phase.LIVE),
        (END - timedelta(seconds=1), Phase.LIVE),
        (END, Phase.COMPLETED),
    ],
)
def test_phase_follows_the_clock(now, expected):
    assert phase(now, START, END) is expected


def test_lobby_opens_the_live_phase_early():
    lobby = START - timedelta(minutes=15)
    assert phase(START - timedelta(minutes=10), lobby, END) is Phase.LIVE


def test_published_event_is_not_editable_once_over():
    check_editable(P, Phase.LIVE)
    check_editable(D, Phase.COMPLETED)  # a draft dated in the past can still be fixed
    with pytest.raises(EventNotEditable):
        check_editable(P, Phase.COMPLETED)
