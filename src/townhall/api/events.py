"""/v2/zoom_events/events: events and their lifecycle actions."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from pydantic import BaseModel, ConfigDict

from townhall import links
from townhall.api import style
from townhall.api.pagination import PageSize, PageToken, check_page_size
from townhall.api.security import Caller, EventId
from townhall.config import Settings
from townhall.domain.errors import ValidationFailed
from townhall.domain.schedule import format_utc
from townhall.storage.models import Event

router = APIRouter(prefix="/v2/zoom_events", tags=["Events"])


class EventIn(BaseModel):
    """Event fields. Enum values are accepted in any case; times are UTC (yyyy-MM-ddTHH:mm:ssZ)."""

    model_config = ConfigDict(extra="ignore")
    name: str | None = None
    description: str | None = None
    timezone: str | None = None
    event_type: str | None = None
    recurrence: dict[str, Any] | None = None
    access_level: str | None = None
    meeting_type: str | None = None
    categories: list[str] | None = None
    tags: list[str] | None = None
    calendar: list[dict[str, Any]] | None = None
    hub_id: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    contact_name: str | None = None
    lobby_start_time: str | None = None
    lobby_end_time: str | None = None
    blocked_countries: list[str] | None = None
    attendance_type: str | None = None
    physical_location: str | None = None
    tagline: str | None = None
    reminder_minutes: list[int] | None = None  # townhall: minutes before the start for reminder emails


class DuplicateIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: Any = None
    start_time: Any = None
    timezone: Any = None


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    operation: str
    cancel_message: str | None = None
    duplicate_event: DuplicateIn | None = None


class RoleType(str, Enum):
    host = "host"
    attendee = "attendee"


def event_body(event: Event, settings: Settings, *, with_host: bool = True) -> dict[str, Any]:
    recurrence = dict(event.recurrence) if event.recurrence else None
    if recurrence and isinstance(recurrence.get("weekly_days"), list):
        # The spec takes weekly_days as an array and answers with a comma-separated string.
        recurrence["weekly_days"] = ",".join(str(d) for d in recurrence["weekly_days"])
    body: dict[str, Any] = {
        "event_id": event.id,
        "name": event.name,
        "description": event.description,
        "timezone": event.timezone,
        "event_type": event.event_type,
        "access_level": event.access_level,
        "meeting_type": event.meeting_type,
        "categories": event.categories,
        "tags": event.tags,
        "calendar": event.calendar,
        "status": style.event_status(event.status, settings.status_style),
        "hub_id": event.hub_id,
        "host_id": event.host_user_id,
        "start_time": format_utc(event.start_time),
        "end_time": format_utc(event.end_time),
        "contact_name": event.contact_name,
        "contact_email": event.contact_email,
        "lobby_start_time": format_utc(event.lobby_start_time),
        "lobby_end_time": format_utc(event.lobby_end_time),
        "event_url": links.event_page(settings.public_url, event.id),
        "blocked_countries": event.blocked_countries,
        "attendance_type": style.attendance_type(event.attendance_type, settings.status_style),
        "physical_location": event.physical_location,
        "tagline": event.tagline,
        "reminder_minutes": event.reminder_minutes,
    }
    if recurrence:
        body["recurrence"] = recurrence
    if not with_host:
        del body["host_id"]
    return {k: v for k, v in body.items() if v is not None}


@router.post("/events", status_code=201, summary="Create an event")
def create_event(request: Request, actor: Caller, body: Annotated[EventIn, Body()]) -> dict:
    event = request.app.state.events.create(actor, body.model_dump(exclude_unset=True))
    return event_body(event, request.app.state.settings, with_host=False)


@router.get("/events", summary="List events")
def list_events(
    request: Request,
    actor: Caller,
    role_type: Annotated[RoleType, Query()] = RoleType.attendee,
    event_status_type: Annotated[str, Query(description="upcoming, past, draft or cancelled (any case)")] = "upcoming",
    page_size: PageSize = 30,
    next_page_token: PageToken = None,
) -> dict:
    status_type = event_status_type.strip().lower()
    allowed = ("upcoming", "past") if role_type is RoleType.attendee else ("upcoming", "past", "draft", "cancelled")
    if status_type not in allowed:
        raise ValidationFailed.one("event_status_type", f"For role_type {role_type.value}, event_status_type is one of: {', '.join(allowed)}.")
    pages = request.app.state.pages
    query = ("events", role_type.value, status_type)
    after = pages.decode(next_page_token, *query)
    page = request.app.state.events.list(actor, role_type.value, status_type, check_page_size(page_size), after)
    settings = request.app.state.settings
    return {
        "total_records": page.total,
        "next_page_token": pages.encode(page.next_after, *query),
        "events": [event_body(e, settings, with_host=False) for e in page.items],
    }


@router.get("/events/{eventId}", summary="Get an event")
def get_event(request: Request, actor: Caller, event_id: EventId) -> dict:
    return event_body(request.app.state.events.get(actor, event_id), request.app.state.settings)


@router.patch("/events/{eventId}", status_code=204, summary="Update an event")
def update_event(request: Request, actor: Caller, event_id: EventId, body: Annotated[EventIn, Body()]) -> Response:
    request.app.state.events.update(actor, event_id, body.model_dump(exclude_unset=True))
    return Response(status_code=204)


@router.delete("/events/{eventId}", status_code=204, summary="Delete a draft or cancelled event")
def delete_event(request: Request, actor: Caller, event_id: EventId) -> Response:
    request.app.state.events.delete(actor, event_id)
    return Response(status_code=204)


@router.post("/events/{eventId}/event_actions", status_code=201, summary="Publish, cancel or duplicate an event")
def event_action(request: Request, actor: Caller, event_id: EventId, body: Annotated[ActionIn, Body()]) -> dict:
    operation = body.operation.strip().lower()
    events = request.app.state.events
    if operation == "publish":
        event = events.publish(actor, event_id)
    elif operation == "cancel":
        event = events.cancel(actor, event_id, body.cancel_message)
    elif operation == "duplicate":
        options = body.duplicate_event.model_dump(exclude_none=True) if body.duplicate_event else None
        event = events.duplicate(actor, event_id, options)
    else:
        raise ValidationFailed.one("operation", "Invalid Event operation; expected publish, cancel or duplicate.")
    return {"status": style.action_status(operation), "event_id": event.id}
