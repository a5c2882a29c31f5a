"""The one place where stored values become the status style's wire values (TOWNHALL_STATUS_STYLE)."""

from __future__ import annotations

from townhall.config import StatusStyle

_STATUS = {
    StatusStyle.tutorial: {"draft": "draft", "published": "Published", "cancelled": "Cancelled"},
    StatusStyle.zoom: {"draft": "DRAFT", "published": "PUBLISHED", "cancelled": "CANCELLED"},
}


def event_status(stored: str, style: StatusStyle) -> str:
    return _STATUS[style][stored]


def attendance_type(stored: str, style: StatusStyle) -> str:
    """Stored lowercase as the spec's enum; the tutorial style answers as the tutorial writes it (VIRTUAL)."""
    return stored.upper() if style is StatusStyle.tutorial else stored


def action_status(action: str) -> str:
    """event_actions answers in the spec's lowercase enum in both styles (published, cancelled, duplicated)."""
    return {"publish": "published", "cancel": "cancelled", "duplicate": "duplicated"}[action]
