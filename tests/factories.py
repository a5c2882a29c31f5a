"""Callable factories with defaults for test data: override only what a test is about."""

from __future__ import annotations

from typing import Any


def event_fields(hub: str, **overrides: Any) -> dict[str, Any]:
    """A valid SIMPLE_EVENT a month after NOW; override any field."""
    fields: dict[str, Any] = {
        "hub_id": hub,
        "name": "Q3 All Hands",
        "description": "Quarterly update.",
        "timezone": "America/New_York",
        "event_type": "SIMPLE_EVENT",
        "access_level": "PRIVATE_UNRESTRICTED",
        "meeting_type": "WEBINAR",
        "attendance_type": "virtual",
        "calendar": [{"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T16:30:00Z"}],
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}
