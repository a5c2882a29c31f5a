"""/v2/zoom_events/hubs: hubs and hub hosts."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel

from townhall.api.pagination import PageSize, PageToken, check_page_size
from townhall.api.security import Caller

router = APIRouter(prefix="/v2/zoom_events", tags=["Hubs"])
HubId = Annotated[str, Path(alias="hubId")]


class RoleType(str, Enum):
    host = "host"
    attendee = "attendee"


class HostIn(BaseModel):
    email: str | None = None


@router.get("/hubs", summary="List hubs")
def list_hubs(request: Request, actor: Caller, role_type: Annotated[RoleType, Query()]) -> dict:
    hubs = request.app.state.hubs.list_hubs(actor, role_type.value)
    public_url = request.app.state.settings.public_url
    return {
        "total_records": len(hubs),
        "hubs": [
            {
                "hub_id": h.id, "access_level": h.access_level, "name": h.name, "description": h.description,
                "public_url": f"{public_url}/hub/{h.id}", "hidden_hub": h.hidden, "hub_active": h.active,
                "auto_list_events": h.auto_list_events, "landing_hub": h.landing,
            }
            for h in hubs
        ],
    }


@router.get("/hubs/{hubId}/hosts", summary="List hub hosts")
def list_hosts(request: Request, actor: Caller, hub_id: HubId, page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    pages = request.app.state.pages
    after = pages.decode(next_page_token, "hosts", hub_id)
    page = request.app.state.hubs.list_hosts(actor, hub_id, check_page_size(page_size), after)
    return {
        "total_records": page.total,
        "next_page_token": pages.encode(page.next_after, "hosts", hub_id),
        "hosts": [{"host_user_id": user_id, "email": email} for user_id, email in page.hosts],
    }


@router.post("/hubs/{hubId}/hosts", status_code=201, summary="Add a hub host")
def add_host(request: Request, actor: Caller, hub_id: HubId, body: HostIn) -> dict:
    return {"host_user_id": request.app.state.hubs.add_host(actor, hub_id, body.email)}


@router.delete("/hubs/{hubId}/hosts/{hostUserId}", status_code=204, summary="Remove a hub host")
def remove_host(request: Request, actor: Caller, hub_id: HubId, host_user_id: Annotated[str, Path(alias="hostUserId")]) -> Response:
    request.app.state.hubs.remove_host(actor, hub_id, host_user_id)
    return Response(status_code=204)
