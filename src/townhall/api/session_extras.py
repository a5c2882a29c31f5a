"""A session's polls, interpreters and incoming livestream: .../sessions/{sessionId}/..."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response

from townhall.api.security import Caller, EventId
from townhall.domain.schedule import format_utc
from townhall.services.session_extras import interpreter_body

router = APIRouter(prefix="/v2/zoom_events/events/{eventId}/sessions/{sessionId}", tags=["Sessions"])
SessionId = Annotated[str, Path(alias="sessionId")]
Fields = Annotated[dict[str, Any], Body()]


@router.get("/polls", summary="List a session's polls")
def list_polls(request: Request, actor: Caller, event_id: EventId, session_id: SessionId) -> dict:
    polls = request.app.state.session_extras.get(actor, event_id, session_id).polls or []
    return {"total_records": len(polls), "polls": polls}


@router.put("/polls", status_code=204, summary="Replace a session's polls")
def replace_polls(request: Request, actor: Caller, event_id: EventId, session_id: SessionId, body: Fields) -> Response:
    request.app.state.session_extras.replace(actor, event_id, session_id, "polls", body)
    return Response(status_code=204)


@router.get("/interpreters", summary="List a session's interpreters")
def list_interpreters(request: Request, actor: Caller, event_id: EventId, session_id: SessionId) -> dict:
    found = request.app.state.session_extras.get(actor, event_id, session_id).interpreters or []
    return {"total_records": len(found), "interpreters": [interpreter_body(i) for i in found]}


@router.put("/interpreters", status_code=204, summary="Replace a session's interpreters")
def replace_interpreters(request: Request, actor: Caller, event_id: EventId, session_id: SessionId, body: Fields) -> Response:
    request.app.state.session_extras.replace(actor, event_id, session_id, "interpreters", body)
    return Response(status_code=204)


@router.get("/livestream", summary="Get a session's incoming livestream configuration")
def get_livestream(request: Request, actor: Caller, event_id: EventId, session_id: SessionId) -> dict:
    extras = request.app.state.session_extras
    body = extras.livestream(extras.get(actor, event_id, session_id))
    if "incoming_config" in body:
        body["incoming_config"] = {k: format_utc(v) if isinstance(v, datetime) else v for k, v in body["incoming_config"].items()}
    return body


@router.patch("/livestream", status_code=204, summary="Configure a session's incoming livestream")
def set_livestream(request: Request, actor: Caller, event_id: EventId, session_id: SessionId, body: Fields) -> Response:
    request.app.state.session_extras.set_livestream(actor, event_id, session_id, body)
    return Response(status_code=204)
