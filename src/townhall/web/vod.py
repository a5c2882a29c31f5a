"""The viewer's side of VOD channels: a channel's page (register), the personal player page a join
link opens (it reports how long each video was watched), and the page embedded channels show in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from townhall import links
from townhall.domain.errors import DomainError, ValidationFailed
from townhall.domain.registration import ALWAYS_ASKED, default_questions
from townhall.web.csrf import FIELD
from townhall.web.forms import ticket_request
from townhall.web.pages import not_found, templates

router = APIRouter(include_in_schema=False)


def _render_channel(request: Request, channel: Any, videos: list, *, values: dict | None = None, errors: dict | None = None,
                    notice: str | None = None, status: int = 200) -> Response:
    config = channel.questions or default_questions()
    questions = {"questions": [q for q in config.get("questions", []) if q["field_name"] not in ALWAYS_ASKED],
                 "custom_questions": config.get("custom_questions", [])}
    cookie, token = request.app.state.csrf.token(request)
    response = templates.TemplateResponse(request, "vod_channel.html", {
        "channel": channel, "videos": videos, "questions": questions, "values": values or {}, "errors": errors or {},
        "notice": notice, "csrf_field": FIELD, "csrf_token": token,
    }, status_code=status)
    request.app.state.csrf.set_cookie(response, cookie, request.url.scheme == "https")
    return response


@router.get("/vod/{channel_id}", response_class=HTMLResponse)
def channel_page(request: Request, channel_id: str) -> Response:
    found = request.app.state.vod.public_channel(channel_id)
    if found is None or found[0].type != "VIDEO_LIST_HUB":
        return not_found(request, heading="Channel not found", message="There is no video channel at this address.")
    return _render_channel(request, *found)


@router.post("/vod/{channel_id}", response_class=HTMLResponse)
async def register(request: Request, channel_id: str) -> Response:
    state = request.app.state
    found = state.vod.public_channel(channel_id)
    if found is None or found[0].type != "VIDEO_LIST_HUB":
        return not_found(request, heading="Channel not found", message="There is no video channel at this address.")
    channel, videos = found
    form = await request.form()
    values = {k: v for k, v in form.multi_items() if isinstance(v, str) and k != FIELD}
    token = form.get(FIELD)
    if not state.csrf.valid(request, token if isinstance(token, str) else None):
        return _render_channel(request, channel, videos, values=values, status=400,
                               notice="Your session expired before you sent the form. Please send it again.")
    config = channel.questions or default_questions()
    # The form reads as the event page's does (web/forms.py); the channel takes it as an API body.
    ticket = ticket_request(form, {"questions": config.get("questions", []), "custom_questions": config.get("custom_questions", [])})
    person: dict[str, Any] = {"email": ticket.email, **ticket.answers, "custom_questions": ticket.custom}
    try:
        (done,) = state.vod.register(None, channel.id, [person], form=True)
    except ValidationFailed as exc:
        return _render_channel(request, channel, videos, values=values, status=400, errors={e.field: e.message for e in exc.errors})
    except DomainError as exc:
        return _render_channel(request, channel, videos, values=values, status=400, notice=exc.message)
    return RedirectResponse(f"/vod/j/{done.registration.join_token}", status_code=303)


@router.get("/vod/j/{token}", response_class=HTMLResponse)
def watch(request: Request, token: str) -> Response:
    found = request.app.state.vod.viewer(token)
    if found is None:
        return not_found(request, heading="Link not valid", message="This video link is not valid, or its channel is not published.")
    channel, registration, videos = found
    public_url = request.app.state.settings.public_url
    return templates.TemplateResponse(request, "vod_watch.html", {
        "channel": channel, "registration": registration, "token": token,
        "videos": [{"id": v.id, "name": v.name, "src": links.file(public_url, v.id), "type": v.content_type} for v in videos],
    })


@router.post("/vod/j/{token}/watched")
async def watched(request: Request, token: str) -> Response:
    """The player's progress report: {"video_id", "seconds"} watched so far."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not request.app.state.vod.record_watch(token, body.get("video_id"), body.get("seconds")):
        return JSONResponse({"code": 300, "message": "Unknown link or video, or seconds not a number."}, status_code=400)
    return Response(status_code=204)


@router.get("/vod/{channel_id}/embed", response_class=HTMLResponse)
def embedded(request: Request, channel_id: str) -> Response:
    found = request.app.state.vod.public_channel(channel_id)
    if found is None or found[0].type == "VIDEO_LIST_HUB":
        return not_found(request, heading="Channel not found", message="There is no video channel at this address.")
    channel, videos = found
    public_url = request.app.state.settings.public_url
    return templates.TemplateResponse(request, "vod_watch.html", {
        "channel": channel, "registration": None, "token": None, "embedded": True,
        "videos": [{"id": v.id, "name": v.name, "src": links.file(public_url, v.id), "type": v.content_type} for v in videos],
    })
