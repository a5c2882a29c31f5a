"""/v2/zoom_events/events/{eventId}/access_links: an event's extra doors, each with its own rules."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response

from townhall import links
from townhall.api.security import Caller, EventId
from townhall.storage.models import AccessLink

router = APIRouter(prefix="/v2/zoom_events/events/{eventId}/access_links", tags=["Access links"])
LinkId = Annotated[str, Path(alias="accessLinkId")]
Fields = Annotated[dict[str, Any], Body()]


def link_body(link: AccessLink, public_url: str) -> dict[str, Any]:
    body = {
        "access_link_id": link.id, "name": link.name, "type": link.type, "is_default": link.is_default,
        "url": links.access_link(public_url, link.id), "authentication_method": link.authentication_method,
        "idp_name": link.idp_name, "allow_domain_list": link.allow_domain_list, "email_restrict_list": link.email_restrict_list,
        "security_at_join": link.security_at_join or None, "ticket_type_id": link.ticket_type_id,
        "recurring_registration_option": link.recurring_registration_option,
    }
    return {k: v for k, v in body.items() if v is not None}


@router.get("", summary="List access links")
def list_links(request: Request, actor: Caller, event_id: EventId) -> dict:
    found = request.app.state.access_links.list(actor, event_id)
    public_url = request.app.state.settings.public_url
    return {"total_records": len(found), "access_links": [link_body(link, public_url) for link in found]}


@router.post("", status_code=201, summary="Create an access link")
def create_link(request: Request, actor: Caller, event_id: EventId, fields: Fields) -> dict:
    return link_body(request.app.state.access_links.create(actor, event_id, fields), request.app.state.settings.public_url)


@router.get("/{accessLinkId}", summary="Get an access link")
def get_link(request: Request, actor: Caller, event_id: EventId, link_id: LinkId) -> dict:
    return link_body(request.app.state.access_links.get(actor, event_id, link_id), request.app.state.settings.public_url)


@router.patch("/{accessLinkId}", status_code=204, summary="Update an access link")
def update_link(request: Request, actor: Caller, event_id: EventId, link_id: LinkId, fields: Fields) -> Response:
    request.app.state.access_links.update(actor, event_id, link_id, fields)
    return Response(status_code=204)


@router.delete("/{accessLinkId}", status_code=204, summary="Delete an access link")
def delete_link(request: Request, actor: Caller, event_id: EventId, link_id: LinkId) -> Response:
    request.app.state.access_links.delete(actor, event_id, link_id)
    return Response(status_code=204)
