"""/v2/zoom_events/events/{eventId}/coeditors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from townhall.api.security import Caller, EventId

router = APIRouter(prefix="/v2/zoom_events/events/{eventId}", tags=["Co-editors"])


@router.get("/coeditors", summary="List co-editors")
def list_coeditors(request: Request, actor: Caller, event_id: EventId) -> dict:
    found = request.app.state.coeditors.list(actor, event_id)
    return {"total_records": len(found), "coeditors": [{"email": c.email, "permission_groups": c.permission_groups} for c in found]}


@router.patch("/coeditors", status_code=201, summary="Add, update or remove co-editors")
def change_coeditors(request: Request, actor: Caller, event_id: EventId, body: Annotated[dict[str, Any], Body()]) -> dict:
    refused = request.app.state.coeditors.act(actor, event_id, body.get("operation"), body.get("coeditors"))
    return {"errors": [{"email": r.email, "message": r.message} for r in refused]}
