"""The post-event survey page, reached from an attendee's join link once the event has ended."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from townhall.domain.errors import ValidationFailed
from townhall.services.surveys import QUESTIONS
from townhall.web.pages import not_found, templates

router = APIRouter(include_in_schema=False)


def _render(request: Request, event, token: str, *, values=None, errors=None, done=False, status=200) -> Response:  # type: ignore[no-untyped-def]
    return templates.TemplateResponse(request, "survey.html", {
        "event": event, "token": token, "questions": QUESTIONS, "values": values or {}, "errors": errors or {}, "done": done,
    }, status_code=status)


@router.get("/event/{event_id}/survey", response_class=HTMLResponse)
async def survey(request: Request, event_id: str, t: str = "") -> Response:
    opened = await run_in_threadpool(request.app.state.surveys.open_for, t)
    if opened is None or opened[0].id != event_id:
        return not_found(request, heading="No survey here", message="The survey opens to people who attended, once the event has ended.")
    return _render(request, opened[0], t, done=opened[2])


@router.post("/event/{event_id}/survey", response_class=HTMLResponse)
async def answer(request: Request, event_id: str) -> Response:
    form = await request.form()
    token = form.get("t") if isinstance(form.get("t"), str) else ""
    opened = await run_in_threadpool(request.app.state.surveys.open_for, token)
    if opened is None or opened[0].id != event_id:
        return not_found(request, heading="No survey here", message="The survey opens to people who attended, once the event has ended.")
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        await run_in_threadpool(request.app.state.surveys.answer, token, values, form.get("anonymous") == "on")
    except ValidationFailed as exc:
        return _render(request, opened[0], token, values=values, errors={e.field: e.message for e in exc.errors}, status=400)
    return _render(request, opened[0], token, done=True)
