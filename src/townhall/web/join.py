"""Personal join links: wait, come in (attendance recorded, then on to the room), or a clear refusal."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from townhall import links
from townhall.api.responses import SeeOther
from townhall.domain import timefmt
from townhall.domain.errors import ValidationFailed
from townhall.services.join import JoinState
from townhall.services.session_attendance import DOORS_OPEN
from townhall.web.pages import event_format, templates

router = APIRouter(include_in_schema=False)


def _page(request: Request, state: JoinState, heading: str, lines: list[str], event=None, status: int = 200,  # type: ignore[no-untyped-def]
          survey_url: str | None = None) -> Response:
    context = {"state": state.value, "heading": heading, "lines": lines, "event": event, "survey_url": survey_url}
    return templates.TemplateResponse(request, "join.html", context, status_code=status)


@router.get("/j/{token}", response_class=HTMLResponse)
async def join(request: Request) -> Response:
    """The join rush's hot path: like the tickets endpoint, it takes only the Request."""
    token = request.path_params["token"]
    app = request.app.state
    result = await app.join.join_async(token)
    event = result.event
    if result.state is JoinState.ADMITTED:
        template = app.settings.room_url_template
        target = template.format(event_id=event.id) if template else f"{links.room('', event.id)}?t={token}"
        return SeeOther(target)
    if result.state is JoinState.EARLY:
        starts, opens = event.start_time, event.lobby_start_time or event.start_time
        if result.occurrence is not None:  # a RECURRING event: the registrant's next occurrence
            starts, opens = result.occurrence.start_time, result.occurrence.start_time - DOORS_OPEN
        return _page(request, result.state, f"{event.name} has not started yet", [
            f"{'The next session' if result.occurrence is not None else 'It'} starts {timefmt.moment(starts, event.timezone)}.",
            f"Come back to this link from {timefmt.moment(opens, event.timezone)} to join.",
        ], event)
    if result.state is JoinState.ENDED:
        survey = await run_in_threadpool(app.surveys.open_for, token)  # attendees may say how it went
        return _page(request, result.state, f"{event.name} has ended", [
            f"It ended {timefmt.moment(event.end_time, event.timezone)}. Thank you for your interest."], event,
            survey_url=f"/event/{event.id}/survey?t={token}" if survey is not None and not survey[2] else None)
    if result.state is JoinState.CANCELLED:
        lines = ["The organizer cancelled this event."] + ([event.cancel_message] if event.cancel_message else [])
        return _page(request, result.state, f"{event.name} was cancelled", lines, event)
    if result.state is JoinState.REVOKED:
        return _page(request, result.state, "This registration was cancelled",
                     ["This join link no longer admits anyone. Register again on the event page if you still want to attend."], event, status=410)
    return _page(request, result.state, "This join link is not valid",
                 ["Check that you opened the whole link from your confirmation email."], status=404)


@router.get("/event/{event_id}/room", response_class=HTMLResponse)
async def room(request: Request, event_id: str, t: str = "") -> Response:
    app = request.app.state
    result = await run_in_threadpool(lambda: app.join.join(t, record=False))
    if result.state is not JoinState.ADMITTED or result.event.id != event_id:
        return RedirectResponse(f"/j/{t}", status_code=303) if t else _page(
            request, JoinState.UNKNOWN, "This join link is not valid", ["Open the link from your confirmation email."], status=404)
    event, registrant = result.event, result.registrant
    agenda = await run_in_threadpool(app.public.agenda, event.id)
    context = {
        "event": event, "token": t, "format": event_format(event),
        "name": " ".join(p for p in (registrant.first_name, registrant.last_name) if p) or registrant.email,
        "ends": timefmt.moment(event.end_time, event.timezone),
        "sessions": [(timefmt.slot(row.start_time, row.end_time, event.timezone), row) for row, _ in agenda],
        "messages": await run_in_threadpool(app.chat.latest, event.id, None), "chat_session": None,
    }
    return templates.TemplateResponse(request, "room.html", context)


@router.get("/event/{event_id}/room/session/{session_id}", response_class=HTMLResponse)
async def enter_session(request: Request, event_id: str, session_id: str, t: str = "") -> Response:
    """A registrant in the live event's room opens one of its sessions: attendance recorded."""
    app = request.app.state
    result = await run_in_threadpool(lambda: app.join.join(t, record=False))
    if result.state is not JoinState.ADMITTED or result.event.id != event_id:
        return RedirectResponse(f"/j/{t}", status_code=303) if t else _page(
            request, JoinState.UNKNOWN, "This join link is not valid", ["Open the link from your confirmation email."], status=404)
    entry = await run_in_threadpool(app.session_attendance.enter, result.event, result.registrant, session_id)
    event = result.event
    if entry is None:
        return _page(request, JoinState.UNKNOWN, "There is no such session", ["Go back to the event's room for its agenda."], event, status=404)
    when = timefmt.slot(entry.session.start_time, entry.session.end_time, event.timezone)
    if entry.state != "in":
        heading = f"{entry.session.name} has not started yet" if entry.state == "early" else f"{entry.session.name} has ended"
        return _page(request, JoinState.EARLY if entry.state == "early" else JoinState.ENDED, heading, [f"It runs {when}."], event)
    context = {"event": event, "session": entry.session, "when": when, "token": t, "host": False,
               "format": {0: "Meeting", 2: "Webinar"}.get(entry.session.type, "Session"),
               "messages": await run_in_threadpool(app.chat.latest, event.id, entry.session.id), "chat_session": entry.session.id}
    return templates.TemplateResponse(request, "session_room.html", context)


@router.get("/event/{event_id}/session/{session_id}", response_class=HTMLResponse)
async def session_room(request: Request, event_id: str, session_id: str, jt: str = "") -> Response:
    """Where a session's join token (GET .../sessions/{id}/join_token) lets its holder in, as host."""
    admitted = await run_in_threadpool(request.app.state.sessions.admit, jt)
    if admitted is None or admitted[0].id != event_id or admitted[1].id != session_id:
        return _page(request, JoinState.UNKNOWN, "This session link is not valid",
                     ["Session join tokens last two hours: ask the organizer's app for a new one."], status=404)
    event, row = admitted
    context = {"event": event, "session": row, "when": timefmt.slot(row.start_time, row.end_time, event.timezone), "host": True,
               "format": {0: "Meeting", 2: "Webinar"}.get(row.type, "Session")}
    return templates.TemplateResponse(request, "session_room.html", context)


async def _admitted(request: Request, event_id: str, token: str):  # type: ignore[no-untyped-def]
    """The live event and the registrant a join link admits, or None."""
    result = await run_in_threadpool(lambda: request.app.state.join.join(token, record=False))
    if result.state is not JoinState.ADMITTED or result.event.id != event_id:
        return None
    return result


def _message(m) -> dict:  # type: ignore[no-untyped-def]
    return {"id": m.id, "sender": m.sender, "message": m.message, "at": m.at.strftime("%Y-%m-%dT%H:%M:%SZ")}


@router.get("/event/{event_id}/room/chat")
async def chat_messages(request: Request, event_id: str, t: str = "", session_id: str | None = None, after: str | None = None) -> Response:
    """The room's (or a session's) latest messages, for the page to poll."""
    if await _admitted(request, event_id, t) is None:
        return JSONResponse({"code": 124, "message": "This join link does not admit anyone to this event now."}, status_code=403)
    messages = await run_in_threadpool(request.app.state.chat.latest, event_id, session_id or None, after)
    return JSONResponse({"messages": [_message(m) for m in messages]})


@router.post("/event/{event_id}/room/chat")
async def chat_post(request: Request, event_id: str) -> Response:
    """Say something: JSON from the page's script, or the form without it (then back to the room)."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            data = None
        data = data if isinstance(data, dict) else {}
    else:
        data = dict((await request.form()).items())
    token, session_id = str(data.get("t") or ""), (str(data.get("session_id")) if data.get("session_id") else None)
    admitted = await _admitted(request, event_id, token)
    if admitted is None:
        return JSONResponse({"code": 124, "message": "This join link does not admit anyone to this event now."}, status_code=403)
    try:
        message = await run_in_threadpool(request.app.state.chat.post, admitted.event, admitted.registrant, session_id, data.get("message"))
    except ValidationFailed as exc:
        return JSONResponse({"code": 300, "message": exc.errors[0].message}, status_code=400)
    if request.headers.get("content-type", "").startswith("application/json"):
        return JSONResponse(_message(message), status_code=201)
    back = f"/event/{event_id}/room/session/{session_id}?t={token}" if session_id else f"/event/{event_id}/room?t={token}"
    return RedirectResponse(back, status_code=303)


@router.post("/event/{event_id}/room/seen")
async def seen(request: Request, event_id: str) -> Response:
    form = await request.form()
    token = form.get("t")
    ok = isinstance(token, str) and await run_in_threadpool(request.app.state.join.seen, token)
    return Response(status_code=204 if ok else 404)
