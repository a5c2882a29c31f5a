"""/v2/zoom_events/events/{eventId}/attendee_action: on-site check-in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from townhall.api.errors import ApiError
from townhall.api.pagination import PageSize, PageToken, check_page_size
from townhall.api.security import Caller, EventId
from townhall.domain.errors import EventNotFound

router = APIRouter(prefix="/v2/zoom_events/events/{eventId}", tags=["Attendee actions"])


@router.get("/attendee_action", summary="List attendee actions")
def list_actions(request: Request, actor: Caller, event_id: EventId, email: str | None = None,
                 page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    query = ("attendee_action", event_id, email or "")
    pages = request.app.state.pages
    page = request.app.state.checkins.list(actor, event_id, email, check_page_size(page_size), pages.decode(next_page_token, *query))
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query), "attendees": [
        {k: v for k, v in {"email": r.email, "source": r.check_in_source, "action": "check-in"}.items() if v is not None}
        for r in page.items]}


@router.patch("/attendee_action", status_code=201, summary="Check attendees in")
def check_in(request: Request, actor: Caller, event_id: EventId, body: Annotated[dict[str, Any], Body()]) -> dict:
    try:
        refused = request.app.state.checkins.check_in(actor, event_id, body.get("attendees"), body.get("source"))
    except EventNotFound:
        # Zoom's spec answers an unknown event here with code 2003 (elsewhere 2002).
        raise ApiError(404, 2003, "Event Not found.") from None
    return {"errors": [{"email": r.email, "message": r.message} for r in refused]}
