"""Who was in a session: .../sessions/{sessionId}/attendees, .../attendee_action (on-site check-in)
and the session attendance report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request

from townhall.api.errors import ApiError
from townhall.api.pagination import PageSize, PageToken, check_page_size
from townhall.api.reports import tickets_of
from townhall.api.security import Caller, EventId
from townhall.domain.errors import EventNotFound
from townhall.domain.schedule import format_utc
from townhall.services.session_attendance import minutes_in

router = APIRouter(prefix="/v2/zoom_events/events/{eventId}", tags=["Sessions"])
SessionId = Annotated[str, Path(alias="sessionId")]


@router.get("/sessions/{sessionId}/attendees", summary="List a session's attendees")
def list_attendees(request: Request, actor: Caller, event_id: EventId, session_id: SessionId,
                   page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    query = ("session_attendees", event_id, session_id)
    pages = request.app.state.pages
    _, _, page, _, _ = request.app.state.session_attendance.attendees(
        actor, event_id, session_id, check_page_size(page_size), pages.decode(next_page_token, *query))
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query),
            "attendees": [{"email": r.email, "authentication_method": "no_auth"} for r in page.items]}


@router.get("/reports/sessions/{sessionId}/attendance", summary="Session attendance report")
def attendance_report(request: Request, actor: Caller, event_id: EventId, session_id: SessionId,
                      page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    query = ("session_attendance", event_id, session_id)
    pages = request.app.state.pages
    event, row, page, seen, names = request.app.state.session_attendance.attendees(
        actor, event_id, session_id, check_page_size(page_size), pages.decode(next_page_token, *query), everyone=True)
    now = request.app.state.clock.now()
    attendees = []
    for r in page.items:
        a = seen.get(r.id)
        came = a is not None and a.first_join_at is not None
        on_site = a is not None and a.checked_in_at is not None
        entry: dict[str, Any] = {
            "session_id": row.id, "first_name": r.first_name, "last_name": r.last_name, "email": r.email,
            "display_name": " ".join(p for p in (r.first_name, r.last_name) if p) or r.email,
            "authentication_method": "no_auth", "marketing_consent_prechecked": -1, "opt_in_marketing": 0,
            "attendance_type": "hybrid" if on_site else "virtual", "session_attendance": "yes" if came else "no",
            "duration_spent_in_session": minutes_in(a, row, now),
            # townhall has no session chat, downloads, recordings or livestream views to count.
            "chat_messages_sent": 0, "material_download": False, "recording_view": False, "live_streaming_view": False,
            "recording_view_duration": 0, "live_streaming_view_duration": 0, "role_name": "attendee",
            "tickets": tickets_of(r, names),
        }
        if came:
            entry.update(start_time=format_utc(a.first_join_at), end_time=format_utc(a.last_seen_at or a.first_join_at),
                         check_in_method="api" if on_site else "virtual")
        attendees.append(entry)
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query), "attendees": attendees}


@router.get("/sessions/{sessionId}/attendee_action", summary="List a session's attendee actions")
def list_actions(request: Request, actor: Caller, event_id: EventId, session_id: SessionId, email: str | None = None,
                 page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    query = ("session_attendee_action", event_id, session_id, email or "")
    pages = request.app.state.pages
    page, seen = request.app.state.session_attendance.check_ins(
        actor, event_id, session_id, email, check_page_size(page_size), pages.decode(next_page_token, *query))
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query), "attendees": [
        {k: v for k, v in {"email": r.email, "source": seen[r.id].check_in_source, "action": "check-in"}.items() if v is not None}
        for r in page.items]}


@router.patch("/sessions/{sessionId}/attendee_action", status_code=201, summary="Check attendees in to a session")
def check_in(request: Request, actor: Caller, event_id: EventId, session_id: SessionId, body: Annotated[dict[str, Any], Body()]) -> dict:
    try:
        refused = request.app.state.session_attendance.check_in(actor, event_id, session_id, body.get("attendees"), body.get("source"))
    except EventNotFound:
        raise ApiError(404, 2003, "Event not found.") from None  # the code Zoom's spec gives here
    return {"errors": [{"email": r.email, "message": r.message} for r in refused]}
