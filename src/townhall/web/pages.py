"""The public event page at `event_url`: no sign-in, 404 for drafts and unknown events."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from townhall.services.events import calendar_of, phase_of
from townhall.web import timefmt

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter(include_in_schema=False)


def not_found(request: Request, status: int = 404) -> Response:
    heading, message = {
        404: ("Page not found", "There is no event at this address. Check the link you were sent."),
        405: ("Not allowed", "This page cannot be used that way."),
    }.get(status, ("Something went wrong", "Please try again."))
    return templates.TemplateResponse(
        request, "not_found.html", {"heading": heading, "message": message}, status_code=status
    )


@router.get("/event/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> Response:
    event = request.app.state.public.visible_event(event_id)
    if event is None:
        return not_found(request)
    context = {
        "event": event,
        "phase": phase_of(event, request.app.state.clock.now()).value,
        "when": [timefmt.slot(s.start, s.end, event.timezone) for s in calendar_of(event).slots],
        "format": {"WEBINAR": "Webinar", "MEETING": "Meeting"}.get(event.meeting_type or "", "Conference"),
    }
    return templates.TemplateResponse(request, "event.html", context)
