"""Zoom's webhooks: the 21 zoom_events.* event types, their envelope, signatures and retry schedule.

As Zoom documents them (reference/zoom-events-api.md, section 5): the body is
`{"event", "event_ts" (epoch milliseconds), "payload": {"account_id", "object"}}`, serialized as
compact JSON (what Node receivers rebuild with JSON.stringify, so the bytes sent are the bytes
signed); `x-zm-signature` is `v0=` + hex HMAC-SHA256 of `v0:{x-zm-request-timestamp}:{body}`
under the subscription's secret token. Pure functions, no I/O."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

from townhall.domain.schedule import format_utc

EVENT_TYPES = tuple(f"zoom_events.{name}" for name in (
    "event_published", "event_updated", "event_cancelled", "event_duplicated",
    "session_created", "session_updated", "session_deleted", "session_ended",
    "speaker_created", "speaker_updated", "speaker_deleted",
    "exhibitor_created", "exhibitor_updated", "exhibitor_deleted",
    "ticket_type_created", "ticket_type_updated", "ticket_type_deleted",
    "ticket_created", "ticket_updated", "ticket_deleted",
    "vod_registration_created",
))
URL_VALIDATION = "endpoint.url_validation"
# Zoom retries a delivery answered with a 5xx or not answered at all three times: 5, 20 and 60
# minutes after the first attempt failed, the second and the third.
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=20), timedelta(minutes=60))
TIMEOUT_SECONDS = 3.0  # Zoom's deadline for an endpoint's answer
USER_AGENT = "Zoom Marketplace/1.0a"


def compact(value: Any) -> str:
    """JSON as JavaScript's JSON.stringify writes it: no spaces, non-ASCII as it is."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def body(event_type: str, account_id: str, obj: dict[str, Any], at: datetime) -> str:
    return compact({"event": event_type, "event_ts": int(at.timestamp() * 1000),
                    "payload": {"account_id": account_id, "object": obj}})


def signature(secret: str, timestamp: int | str, payload: str) -> str:
    message = f"v0:{timestamp}:{payload}".encode()
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def encrypted_token(secret: str, plain_token: str) -> str:
    """What an endpoint answers to the url_validation challenge."""
    return hmac.new(secret.encode(), plain_token.encode(), hashlib.sha256).hexdigest()


def retry_delay(failed_attempts: int) -> timedelta | None:
    """The wait after the n-th failed attempt, or None when Zoom would give up."""
    return RETRY_DELAYS[failed_attempts - 1] if 1 <= failed_attempts <= len(RETRY_DELAYS) else None


def retryable(status: int | None) -> bool:
    """A network error (no status) or a server error is tried again; 3xx and 4xx never are."""
    return status is None or status >= 500


# -- the objects of each event type, from our rows (duck-typed: ORM objects or Core rows) ---------

def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def event_object(event: Any, status: str, source_event_id: str | None = None) -> dict[str, Any]:
    return _drop_none({
        "hub_id": event.hub_id, "event_id": event.id, "source_event_id": source_event_id, "host_id": event.host_user_id,
        "name": event.name, "description": event.description or "", "event_type": event.event_type, "status": status,
        "attendance_type": event.attendance_type, "start_time": format_utc(event.start_time),
        "end_time": format_utc(event.end_time), "timezone": event.timezone,
    })


def session_object(event: Any, session: Any, *, ended: bool = False) -> dict[str, Any]:
    values = {
        "event_id": event.id, "host_id": event.host_user_id, "session_id": session.id, "name": session.name,
        "type": session.type if session.type in (0, 2) else 0, "attendance_type": session.attendance_type or event.attendance_type,
        "start_time": format_utc(session.start_time), "end_time": format_utc(session.end_time), "timezone": session.timezone,
    }
    if ended:
        del values["attendance_type"]  # the session_ended object has none
    return _drop_none(values)


def speaker_object(event: Any, speaker: Any) -> dict[str, Any]:
    return _drop_none({"event_id": event.id, "host_id": event.host_user_id, "speaker_id": speaker.id,
                       "name": speaker.name, "email": speaker.email})


def exhibitor_object(event: Any, exhibitor: Any) -> dict[str, Any]:
    return _drop_none({
        "event_id": event.id, "host_id": event.host_user_id, "exhibitor_id": exhibitor.id, "name": exhibitor.name,
        "description": exhibitor.description, "is_sponsor": bool(exhibitor.is_sponsor), "tier_id": exhibitor.tier_id,
        "contact_name": exhibitor.contact_name, "contact_email": exhibitor.contact_email,
    })


def ticket_type_object(event: Any, ticket_type: Any) -> dict[str, Any]:
    # start_time/end_time: the sale window, or the event's own times when the type has none.
    return _drop_none({
        "event_id": event.id, "host_id": event.host_user_id, "ticket_type_id": ticket_type.id, "name": ticket_type.name,
        "description": ticket_type.description or "", "attendance_type": ticket_type.attendance_type or event.attendance_type,
        "start_time": format_utc(ticket_type.sale_start or event.start_time),
        "end_time": format_utc(ticket_type.sale_end or event.end_time),
    })


def ticket_object(event: Any, ticket: Any, *, updated: bool = False) -> dict[str, Any]:
    """A ticket from a row or a dict (the registration batch's rows are dicts). The spec's
    ticket_updated has no pre_registration role."""
    get = ticket.get if isinstance(ticket, dict) else lambda name: getattr(ticket, name)
    return _drop_none({
        "event_id": event.id, "ticket_id": get("id"), "host_id": event.host_user_id, "ticket_type_id": get("ticket_type_id"),
        "external_ticket_id": get("external_ticket_id"), "email": get("email"),
        "ticket_role_type": "pre_registration" if get("method") == "pre_registration" and not updated else "normal",
        "authentication_method": "no_auth",
    })
