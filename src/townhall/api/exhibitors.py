"""/v2/zoom_events/events/{eventId}/exhibitors and .../sponsor_tiers (conferences only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response

from townhall.api.security import Caller, EventId
from townhall.services.exhibitors import TEXT_FIELDS
from townhall.storage.models import Exhibitor

router = APIRouter(prefix="/v2/zoom_events/events/{eventId}", tags=["Exhibitors"])
ExhibitorId = Annotated[str, Path(alias="exhibitorId")]
Fields = Annotated[dict[str, Any], Body()]


def exhibitor_body(exhibitor: Exhibitor) -> dict[str, Any]:
    body = {"exhibitor_id": exhibitor.id, "is_sponsor": exhibitor.is_sponsor, "tier_id": exhibitor.tier_id,
            "associated_sessions": exhibitor.associated_sessions, "contact_email": exhibitor.contact_email,
            **{name: getattr(exhibitor, name) for name in TEXT_FIELDS}}
    return {k: v for k, v in body.items() if v is not None}


@router.get("/sponsor_tiers", summary="List sponsor tiers")
def list_sponsor_tiers(request: Request, actor: Caller, event_id: EventId) -> dict:
    tiers = request.app.state.exhibitors.tiers(actor, event_id)
    return {"total_records": len(tiers), "sponsor_tiers": [
        {k: v for k, v in {"tier_id": t.id, "name": t.name, "description": t.description}.items() if v is not None} for t in tiers]}


@router.get("/exhibitors", summary="List exhibitors")
def list_exhibitors(request: Request, actor: Caller, event_id: EventId) -> dict:
    exhibitors = request.app.state.exhibitors.list(actor, event_id)
    return {"total_records": len(exhibitors), "exhibitors": [exhibitor_body(e) for e in exhibitors]}


@router.post("/exhibitors", status_code=201, summary="Create an exhibitor or sponsor")
def create_exhibitor(request: Request, actor: Caller, event_id: EventId, fields: Fields) -> dict:
    return exhibitor_body(request.app.state.exhibitors.create(actor, event_id, fields))


@router.get("/exhibitors/{exhibitorId}", summary="Get an exhibitor")
def get_exhibitor(request: Request, actor: Caller, event_id: EventId, exhibitor_id: ExhibitorId) -> dict:
    return exhibitor_body(request.app.state.exhibitors.get(actor, event_id, exhibitor_id))


@router.patch("/exhibitors/{exhibitorId}", status_code=204, summary="Update an exhibitor")
def update_exhibitor(request: Request, actor: Caller, event_id: EventId, exhibitor_id: ExhibitorId, fields: Fields) -> Response:
    request.app.state.exhibitors.update(actor, event_id, exhibitor_id, fields)
    return Response(status_code=204)


@router.delete("/exhibitors/{exhibitorId}", status_code=204, summary="Delete an exhibitor")
def delete_exhibitor(request: Request, actor: Caller, event_id: EventId, exhibitor_id: ExhibitorId) -> Response:
    request.app.state.exhibitors.delete(actor, event_id, exhibitor_id)
    return Response(status_code=204)
