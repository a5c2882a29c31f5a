"""/v2/zoom_events/events/{eventId}/email_types and their per-recipient send status."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from townhall.api.pagination import PageSize, PageToken, check_page_size
from townhall.api.security import Caller, EventId
from townhall.domain.schedule import format_utc

router = APIRouter(prefix="/v2/zoom_events/events/{eventId}", tags=["Email"])


class TypeStatus(str, Enum):
    scheduled = "scheduled"
    ongoing = "ongoing"
    sent = "sent"
    deactivated = "deactivated"


class SendStatus(str, Enum):
    scheduled = "scheduled"
    pending = "pending"
    delivered = "delivered"
    failed = "failed"
    missed_schedule = "missed_schedule"


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (format_utc(v) if isinstance(v, datetime) else v) for k, v in values.items() if v is not None}


@router.get("/email_types", summary="List an event's email types")
def list_email_types(request: Request, actor: Caller, event_id: EventId, status: TypeStatus | None = None,
                     page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    # An event has a handful of email types: one page holds them all, whatever page_size says.
    check_page_size(page_size)
    types = request.app.state.emails.types(actor, event_id, status.value if status else None)
    return {"total_records": len(types), "next_page_token": "", "email_types": [_present({
        "email_type": t.name, "email_type_id": t.id, "trigger_overview": t.trigger_overview,
        "trigger_date": t.trigger_date, "status": t.status}) for t in types]}


@router.get("/email_types/{emailTypeId}/send_status", summary="List the delivery status of an email type")
def list_send_status(request: Request, actor: Caller, event_id: EventId, type_id: Annotated[str, Path(alias="emailTypeId")],
                     status: SendStatus | None = None, search_text: str | None = None,
                     page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    query = ("send_status", event_id, type_id, status.value if status else None, search_text or "")
    pages = request.app.state.pages
    page, deliveries = request.app.state.emails.deliveries(
        actor, event_id, type_id, status.value if status else None, search_text, check_page_size(page_size),
        pages.decode(next_page_token, *query))
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query), "emails": [_present({
        "name": d.name, "email": d.email, "status": d.status, "failure_reason": d.failure_reason, "sent_date": d.sent_date,
    }) for d in deliveries]}
