"""/v2/zoom_events/events/{eventId}/reports: event attendance, ticket registration and chat transcripts."""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from townhall.api.pagination import PageSize, PageToken, check_page_size
from townhall.api.security import Caller, EventId
from townhall.domain.errors import ValidationFailed
from townhall.domain.principal import Principal
from townhall.domain.schedule import format_utc, parse_utc
from townhall.storage.models import Event, Registrant

router = APIRouter(prefix="/v2/zoom_events/events/{eventId}/reports", tags=["Reports"])
From = Annotated[str | None, Query(alias="from", description="Registered at or after (UTC, or yyyy-MM-dd).")]
To = Annotated[str | None, Query(alias="to", description="Registered at or before (UTC, or yyyy-MM-dd).")]


class RoleType(str, Enum):
    all = "all"
    attendee = "attendee"


def _moment(value: str | None, field: str, end_of_day: bool = False) -> datetime | None:
    if not value:
        return None
    moment = parse_utc(value)
    if moment is None:
        try:
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=timezone.utc)
        except ValueError:
            raise ValidationFailed.one(field, f"{field} is a UTC time (yyyy-MM-ddTHH:mm:ssZ) or a date (yyyy-MM-dd).") from None
        moment = day.replace(hour=23, minute=59, second=59) if end_of_day else day
    return moment


def tickets_of(r: Registrant, type_names: dict[str, str]) -> list[dict[str, Any]]:
    questions = [{"title": k, "answer": v} for k, v in r.answers.items()] + list(r.custom_answers)
    ticket = {"ticket_type_name": type_names.get(r.ticket_type_id, ""), "ticket_type_id": r.ticket_type_id,
              "ticket_id": r.id, "authentication_method": "no_auth", "questions": questions}
    if r.external_ticket_id:
        ticket["external_ticket_id"] = r.external_ticket_id
    return [ticket]


def _person(r: Registrant, event: Event) -> dict[str, Any]:
    return {
        "display_name": " ".join(p for p in (r.first_name, r.last_name) if p) or r.email,
        "first_name": r.first_name, "last_name": r.last_name, "email": r.email,
        "event_attendance": "attended" if r.first_join_at else "absent",
        "attendance_type": [event.attendance_type.replace("-", "_")],
    }


def _report(request: Request, actor: Principal, event_id: str, kind: str, since: str | None, until: str | None,
            page_size: int, token: str | None) -> tuple[Event, dict[str, str], Any, str]:
    pages = request.app.state.pages
    query = (kind, event_id, since, until)
    event, names, page = request.app.state.reports.registrations(
        actor, event_id, _moment(since, "from"), _moment(until, "to", end_of_day=True),
        check_page_size(page_size), pages.decode(token, *query),
    )
    return event, names, page, pages.encode(page.next_after, *query)


@router.get("/event_attendance", summary="Event attendance report")
def event_attendance(request: Request, actor: Caller, event_id: EventId, since: From = None, until: To = None,
                     role_type: Annotated[RoleType, Query()] = RoleType.all,
                     page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    event, names, page, token = _report(request, actor, event_id, "attendance", since, until, page_size, next_page_token)
    attendees = []
    for r in page.items:
        attended = r.first_join_at is not None
        duration = int((r.last_seen_at - r.first_join_at).total_seconds()) if attended and r.last_seen_at else 0
        attendees.append({
            **_person(r, event),
            "lobby_attendance": "attended" if attended else "absent",
            "total_sessions_joined": 1 if attended else 0, "number_of_tickets": 1, "role": "attendee",
            "tickets": tickets_of(r, names),
            "session_attendance": [{
                "session_id": event.id, "session_name": event.name,
                "session_attendance": "attended" if attended else "absent",
                "duration_spent_in_session": duration,
                **({"session_join_time": format_utc(r.first_join_at), "session_exit_time": format_utc(r.last_seen_at)} if attended else {}),
            }],
            "last_modified_date": format_utc(r.last_seen_at or r.created_at),
        })
    return {"total_records": page.total, "next_page_token": token, "attendees": attendees}


@router.get("/ticket_registration", summary="Ticket registration report")
def ticket_registration(request: Request, actor: Caller, event_id: EventId, since: From = None, until: To = None,
                        page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    event, names, page, token = _report(request, actor, event_id, "registration", since, until, page_size, next_page_token)
    return {
        "total_records": page.total, "next_page_token": token,
        "registrations": [
            {**_person(r, event), "register_date": format_utc(r.created_at),
             "registration_method": "self-registration" if r.method == "self-registration" else "pre_registration",
             "registration_source": r.registration_source or "", "tickets": tickets_of(r, names)}
            for r in page.items
        ],
    }


@router.get("/chat_transcripts", summary="Chat transcripts report")
def chat_transcripts(request: Request, actor: Caller, event_id: EventId, page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    """Every message said in the live event's room (Lobby Chat) and its sessions (In-meeting/webinar Chat)."""
    pages, query = request.app.state.pages, ("chat_transcripts", event_id)
    event, session_names, page = request.app.state.chat.transcripts(actor, event_id, check_page_size(page_size),
                                                                    pages.decode(next_page_token, *query))
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query), "chat_transcripts": [{
        "chat_type": "In-meeting/webinar Chat" if m.session_id else "Lobby Chat",
        "chat_name": session_names.get(m.session_id, "Session") if m.session_id else event.name,
        "chat_channel_id": m.session_id or event.id, "message_id": m.id,
        "sender": m.sender_name, "sender_email": m.sender_email, "message_time": format_utc(m.created_at), "message": m.message,
    } for m in page.items]}


@router.get("/survey", summary="Event survey report")
def survey(request: Request, actor: Caller, event_id: EventId, page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    """Attendees' answers to the post-event survey (no email when they answered anonymously)."""
    pages, query = request.app.state.pages, ("survey", event_id)
    page = request.app.state.surveys.report(actor, event_id, check_page_size(page_size), pages.decode(next_page_token, *query))
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query), "surveys": [
        {**({"email": r.email} if r.email else {}), "question_and_answers": r.answers} for r in page.items]}


@router.get("/custom_reports/{customReportId}", summary="Custom report")
def custom_report(request: Request, actor: Caller, event_id: EventId, report_id: Annotated[str, Path(alias="customReportId")],
                  page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    """The registrants, with the columns of a template made with `townhall reports custom add`."""
    pages, query = request.app.state.pages, ("custom_report", event_id, report_id)
    page, rows = request.app.state.custom_reports.run(actor, event_id, report_id, check_page_size(page_size),
                                                      pages.decode(next_page_token, *query))
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query), "registrants": rows}
