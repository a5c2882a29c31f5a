"""/v2/zoom_events/events/{eventId}/sessions: a conference's agenda, join tokens and reservations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response

from townhall.api.pagination import PageSize, PageToken, check_page_size
from townhall.api.security import Caller, EventId
from townhall.domain.lifecycle import EventStatus
from townhall.domain.schedule import format_utc
from townhall.services.sessions import FLAGS, LABELS
from townhall.storage.models import Event, EventSession

router = APIRouter(prefix="/v2/zoom_events/events/{eventId}/sessions", tags=["Sessions"])
SessionId = Annotated[str, Path(alias="sessionId")]
Fields = Annotated[dict[str, Any], Body()]


def session_body(event: Event, row: EventSession) -> dict[str, Any]:
    body: dict[str, Any] = {
        "session_id": row.id, "name": row.name, "description": row.description, "timezone": row.timezone, "type": row.type,
        "start_time": format_utc(row.start_time), "end_time": format_utc(row.end_time), "session_speakers": row.speakers,
        **{name: row.flags.get(name, default) for name, default in FLAGS.items()},
        **{name: row.labels.get(name, []) for name in LABELS},
        "record_file_id": row.record_file_id, "attendance_type": row.attendance_type, "physical_location": row.physical_location,
        "session_reservation": {"allow_reservations": row.allow_reservations, **({"max_capacity": row.max_capacity} if row.max_capacity else {})},
    }
    if event.status == EventStatus.PUBLISHED.value and row.type in (0, 2):  # Zoom's ids exist once the event is published
        body["meeting_id" if row.type == 0 else "webinar_id"] = row.meeting_number
    return {k: v for k, v in body.items() if v is not None}


@router.get("", summary="List sessions")
def list_sessions(request: Request, actor: Caller, event_id: EventId) -> dict:
    event, rows = request.app.state.sessions.list(actor, event_id)
    return {"total_records": len(rows), "sessions": [session_body(event, r) for r in rows]}


@router.post("", status_code=201, summary="Create a session")
def create_session(request: Request, actor: Caller, event_id: EventId, fields: Fields) -> dict:
    return session_body(*request.app.state.sessions.create(actor, event_id, fields))


@router.get("/{sessionId}", summary="Get a session")
def get_session(request: Request, actor: Caller, event_id: EventId, session_id: SessionId) -> dict:
    return session_body(*request.app.state.sessions.get(actor, event_id, session_id))


@router.patch("/{sessionId}", status_code=204, summary="Update a session")
def update_session(request: Request, actor: Caller, event_id: EventId, session_id: SessionId, fields: Fields) -> Response:
    request.app.state.sessions.update(actor, event_id, session_id, fields)
    return Response(status_code=204)


@router.delete("/{sessionId}", status_code=204, summary="Delete a session")
def delete_session(request: Request, actor: Caller, event_id: EventId, session_id: SessionId) -> Response:
    request.app.state.sessions.delete(actor, event_id, session_id)
    return Response(status_code=204)


@router.get("/{sessionId}/join_token", summary="Get a session join token")
def join_token(request: Request, actor: Caller, event_id: EventId, session_id: SessionId) -> dict:
    return {"code": 0, "error_message": "success", "join_token": request.app.state.sessions.join_token(actor, event_id, session_id)}


@router.get("/{sessionId}/reservations", summary="List session reservations")
def list_reservations(request: Request, actor: Caller, event_id: EventId, session_id: SessionId,
                      page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    query = ("reservations", event_id, session_id)
    pages = request.app.state.pages
    page = request.app.state.sessions.reservations(actor, event_id, session_id, check_page_size(page_size), pages.decode(next_page_token, *query))
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query), "reservations": [
        {"first_name": r.first_name, "last_name": r.last_name, "email": r.email} for r in page.items]}


@router.post("/{sessionId}/reservations", status_code=201, summary="Reserve a seat in a session")
def reserve(request: Request, actor: Caller, event_id: EventId, session_id: SessionId, body: Fields) -> Response:
    request.app.state.sessions.reserve(actor, event_id, session_id, body.get("email"))
    return Response(status_code=201)


@router.delete("/{sessionId}/reservations", status_code=204, summary="Release a reserved seat")
def release(request: Request, actor: Caller, event_id: EventId, session_id: SessionId, body: Fields) -> Response:
    request.app.state.sessions.release(actor, event_id, session_id, body.get("email"))
    return Response(status_code=204)
