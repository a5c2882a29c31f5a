"""The public event page at `event_url`, with its registration form; 404 for drafts and unknown events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from townhall import links
from townhall.domain import timefmt
from townhall.domain.errors import AlreadyRegistered, DomainError, ValidationFailed
from townhall.domain.lifecycle import Phase
from townhall.domain.registration import capacity
from townhall.services.access_links import rules_of
from townhall.services.events import calendar_of, phase_of
from townhall.services.occurrences import is_recurring
from townhall.web.csrf import FIELD
from townhall.web.forms import field_kind, form_questions, ticket_request

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.auto_reload = False  # packaged templates: no mtime check on every page (see mail/messages.py)
templates.env.globals["field_kind"] = field_kind
router = APIRouter(include_in_schema=False)


def not_found(request: Request, status: int = 404, heading: str | None = None, message: str | None = None) -> Response:
    default_heading, default_message = {
        404: ("Page not found", "There is no event at this address. Check the link you were sent."),
        405: ("Not allowed", "This page cannot be used that way."),
    }.get(status, ("Something went wrong", "Please try again."))
    context = {"heading": heading or default_heading, "message": message or default_message}
    return templates.TemplateResponse(request, "not_found.html", context, status_code=status)


def event_format(event: Any) -> str:
    return {"WEBINAR": "Webinar", "MEETING": "Meeting"}.get(event.meeting_type or "", "Conference")


def _render_event(request: Request, event: Any, *, values: dict | None = None, errors: dict | None = None,
                  notice: str | None = None, duplicate_email: str | None = None, status: int = 200, link: Any = None) -> Response:
    state = request.app.state
    now = state.clock.now()
    phase = phase_of(event, now)
    types = state.public.ticket_types(event.id)
    on_sale = [t for t in types if (t.sale_start is None or t.sale_start <= now) and (t.sale_end is None or now <= t.sale_end)]
    full = event.registrants_count >= capacity(event.meeting_type)
    open_types = [t for t in on_sale if t.quantity is None or t.sold_quantity < t.quantity]
    cookie, token = state.csrf.token(request)
    context = {
        "event": event, "phase": phase.value, "format": event_format(event),
        "when": _when(event), "speakers": state.public.speakers(event.id),
        "agenda": [(timefmt.slot(row.start_time, row.end_time, event.timezone), row, names) for row, names in state.public.agenda(event.id)],
        "registration_open": event.status == "published" and phase is not Phase.COMPLETED and not full and bool(open_types),
        "sold_out": event.status == "published" and phase is not Phase.COMPLETED and (full or not open_types),
        "ticket_types": open_types if len(open_types) > 1 else [],
        "questions": form_questions(event, open_types), "values": values or {}, "errors": errors or {},
        "notice": notice, "duplicate_email": duplicate_email, "csrf_field": FIELD, "csrf_token": token,
        "form_action": f"/ev/{link.id}" if link is not None else f"/event/{event.id}", "link": link,
        "recurring": is_recurring(event), "choose_sessions": _session_choice(event, link),
    }
    response = templates.TemplateResponse(request, "event.html", context, status_code=status)
    state.csrf.set_cookie(response, cookie, request.url.scheme == "https")
    return response


@router.get("/event/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> Response:
    event = request.app.state.public.visible_event(event_id)
    if event is None:
        return not_found(request)
    return _render_event(request, event)


@router.post("/event/{event_id}", response_class=HTMLResponse)
async def register(request: Request, event_id: str) -> Response:
    event = request.app.state.public.visible_event(event_id)
    if event is None:
        return not_found(request)
    return await _register(request, event, None)


@router.get("/ev/{link_id}", response_class=HTMLResponse)
def access_link_page(request: Request, link_id: str) -> Response:
    """An access link: the event's page, with the link's rules on its registration form."""
    door = request.app.state.access_links.door(link_id)
    if door is None:
        return not_found(request, heading="Link not found", message="This event link is not valid.")
    return _render_event(request, door[0], link=door[1])


@router.post("/ev/{link_id}", response_class=HTMLResponse)
async def register_through_link(request: Request, link_id: str) -> Response:
    door = request.app.state.access_links.door(link_id)
    if door is None:
        return not_found(request, heading="Link not found", message="This event link is not valid.")
    return await _register(request, *door)


async def _register(request: Request, event: Any, link: Any) -> Response:
    """The form sent: through the event's page, or through an access link with its rules (and, for
    a group-join link, its ticket type and straight in: to the join link once registered)."""
    state = request.app.state
    form = await request.form()
    values: dict[str, Any] = {}
    for key, value in form.multi_items():
        if isinstance(value, str) and key != FIELD:
            values[key] = [*values[key], value] if isinstance(values.get(key), list) else ([values[key], value] if key in values else value)
    if not _csrf_ok(request, form):
        return _render_event(request, event, values=values, status=400, link=link,
                             notice="Your session expired before you sent the form. Please check your answers and send it again.")
    questions = form_questions(event, state.public.ticket_types(event.id))
    try:
        ticket = ticket_request(form, questions)
        ticket.session_ids = _chosen_sessions(event, link, form.getlist("session_ids"))
        if link is not None and link.ticket_type_id:
            ticket.ticket_type_id = link.ticket_type_id
        (registrant,) = await state.registration.register_async(
            event.id, [ticket], method="self-registration", form=True, link=rules_of(link) if link is not None else None)
    except AlreadyRegistered:
        return _render_event(request, event, values=values, status=409, duplicate_email=values.get("email", ""), link=link,
                             errors={"email": "This email address is already registered for this event."})
    except ValidationFailed as exc:
        return _render_event(request, event, values=values, status=400, link=link, errors={e.field: e.message for e in exc.errors})
    except DomainError as exc:
        return _render_event(request, state.public.visible_event(event.id) or event, values=values, status=400, link=link, notice=exc.message)
    if link is not None and link.type == "group-join":
        return RedirectResponse(f"/j/{registrant.join_token}", status_code=303)
    ref = state.csrf.sign_ref(registrant.id)
    return RedirectResponse(f"/event/{event.id}/registered?r={ref}", status_code=303)


@router.get("/event/{event_id}/registered", response_class=HTMLResponse)
def registered(request: Request, event_id: str, r: str = "") -> Response:
    state = request.app.state
    registrant_id = state.csrf.unsign_ref(r)
    found = state.public.registration(event_id, registrant_id) if registrant_id else None
    if found is None:
        return not_found(request, heading="Registration not found", message="This confirmation link is not valid.")
    event, registrant = found
    context = {
        "event": event, "registrant": registrant, "format": event_format(event),
        "when": _when(event),
        "event_url": links.event_page(state.settings.public_url, event.id),
    }
    return templates.TemplateResponse(request, "registered.html", context)


@router.post("/event/{event_id}/resend", response_class=HTMLResponse)
async def resend(request: Request, event_id: str) -> Response:
    state = request.app.state
    event = state.public.visible_event(event_id)
    if event is None:
        return not_found(request)
    form = await request.form()
    if not _csrf_ok(request, form):
        return _render_event(request, event, status=400, notice="Your session expired. Please try again.")
    await run_in_threadpool(state.registration.resend_confirmation, event.id, form.get("email"))
    return templates.TemplateResponse(request, "resent.html", {"event": event, "email": form.get("email", "")})


def _when(event: Any) -> list[str]:
    """Each calendar slot as people read it, in the event's own time zone (a series: its span)."""
    if is_recurring(event):
        return [f"A series from {timefmt.moment(event.start_time, event.timezone)} to {timefmt.moment(event.end_time, event.timezone)}"]
    return [timefmt.slot(s.start, s.end, event.timezone) for s in calendar_of(event).slots]


def _session_choice(event: Any, link: Any) -> str | None:
    """How a person coming through this link registers for a series: for every occurrence (None),
    or choosing one ("single_session") or some ("multiple_sessions"), as the access link says."""
    option = getattr(link, "recurring_registration_option", None)
    return option if is_recurring(event) and option in ("single_session", "multiple_sessions") else None


def _chosen_sessions(event: Any, link: Any, chosen: list[Any]) -> list[str] | None:
    choice = _session_choice(event, link)
    if choice is None:
        return None
    picked = [c for c in chosen if isinstance(c, str) and c]
    if not picked:
        raise ValidationFailed.one("session_ids", "Choose the session you will attend." if choice == "single_session"
                                   else "Choose at least one session.")
    if choice == "single_session" and len(picked) > 1:
        raise ValidationFailed.one("session_ids", "Choose one session.")
    return picked


def _csrf_ok(request: Request, form: Any) -> bool:
    token = form.get(FIELD)
    return request.app.state.csrf.valid(request, token if isinstance(token, str) else None)
