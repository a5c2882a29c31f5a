"""Custom reports: an event's registrants with the columns an organizer chose.

Zoom's organizers build a custom report template in its web app and read it through the API;
townhall's are made with `townhall reports custom add` (the CLI) and read the same way. Every
column is computed from what townhall recorded: attendance of the event, its lobby and its
sessions (with minutes), survey answers, tickets and their answers. townhall has no polls to
answer, call-to-action links, recordings or livestream viewers, so those counts are zero and
those lists empty: what really happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from townhall.clock import Clock
from townhall.domain.errors import CustomReportNotFound, EventNotFound, ValidationFailed
from townhall.domain.ids import is_well_formed, new_id
from townhall.domain.principal import Principal
from townhall.domain.schedule import format_utc
from townhall.services.events import owned_event
from townhall.storage.models import CustomReport, Event, EventSession, Registrant, SessionAttendance, SurveyResponse, TicketType
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database

COLUMNS = ("display_name", "first_name", "last_name", "email", "opt_in_marketing", "registration_date", "event_attendance",
           "country", "lobby_attendance", "surveys_count", "polls_count", "resource_link_engagement", "sessions", "tickets")


@dataclass(frozen=True)
class Template:
    id: str
    event_id: str
    name: str
    columns: list[str]
    created_at: datetime


def _template(row: CustomReport) -> Template:
    return Template(row.id, row.event_id, row.name, list(row.columns), row.created_at)


class CustomReportService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    # -- templates (the CLI) ----------------------------------------------------------------------
    def add(self, event_id: str, name: str, columns: list[str]) -> Template:
        unknown = sorted(set(columns) - set(COLUMNS))
        if unknown:
            raise ValidationFailed.one("columns", f"Unknown columns: {', '.join(unknown)}. Known: {', '.join(COLUMNS)}.")
        if not name.strip() or len(name) > 200:
            raise ValidationFailed.one("name", "A report needs a name of 1 to 200 characters.")
        with self._db.write() as session:
            if not is_well_formed(event_id) or session.get(Event, event_id) is None:
                raise EventNotFound()
            row = CustomReport(id=new_id(), event_id=event_id, name=name.strip(),
                               columns=[c for c in COLUMNS if c in columns] if columns else list(COLUMNS), created_at=self._clock.now())
            session.add(row)
        return _template(row)

    def list(self, event_id: str | None = None) -> list[Template]:
        with self._db.read() as session:
            query = select(CustomReport).order_by(CustomReport.created_at, CustomReport.id)
            if event_id:
                query = query.where(CustomReport.event_id == event_id)
            return [_template(row) for row in session.scalars(query)]

    def remove(self, report_id: str) -> bool:
        with self._db.write() as session:
            row = session.get(CustomReport, report_id) if is_well_formed(report_id) else None
            if row is None:
                return False
            session.delete(row)
            return True

    # -- the report (the API) -------------------------------------------------------------------
    def run(self, actor: Principal, event_id: str, report_id: str, limit: int, after: tuple[str, str] | None) -> tuple[Page, list[dict]]:
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            template = session.get(CustomReport, report_id) if is_well_formed(report_id) else None
            if template is None or template.event_id != event.id:
                raise CustomReportNotFound()
            page = keyset_page(session, select(Registrant).where(Registrant.event_id == event.id, Registrant.cancelled_at.is_(None)),
                               Registrant.created_at, Registrant.id, limit, after)
            ids = [r.id for r in page.items]
            sessions = list(session.scalars(select(EventSession).where(EventSession.event_id == event.id)
                                            .order_by(EventSession.start_time, EventSession.id)))
            presence = {(a.registrant_id, a.session_id): a for a in session.scalars(
                select(SessionAttendance).where(SessionAttendance.registrant_id.in_(ids)))} if ids else {}
            surveyed = dict(session.execute(select(SurveyResponse.registrant_id, func.count()).where(
                SurveyResponse.registrant_id.in_(ids)).group_by(SurveyResponse.registrant_id)).all()) if ids else {}
            type_names = dict(session.execute(select(TicketType.id, TicketType.name).where(TicketType.event_id == event.id)).all())
            rows = [self._row(event, r, sessions, presence, surveyed, type_names, template.columns) for r in page.items]
        return page, rows

    @staticmethod
    def _row(event: Event, r: Registrant, sessions: list[EventSession], presence: dict, surveyed: dict, type_names: dict,
             columns: list[str]) -> dict[str, Any]:
        joined = r.first_join_at
        values: dict[str, Any] = {
            "display_name": " ".join(p for p in (r.first_name, r.last_name) if p) or r.email,
            "first_name": r.first_name, "last_name": r.last_name, "email": r.email,
            "opt_in_marketing": 0,  # townhall's form asks for no marketing consent
            "registration_date": format_utc(r.created_at),
            "event_attendance": "attended" if joined else "absent",
            "country": (r.answers or {}).get("country", ""),
            "lobby_attendance": "attended" if joined and joined < event.start_time else "absent",
            "surveys_count": surveyed.get(r.id, 0), "polls_count": 0, "resource_link_engagement": [],
            "sessions": [_session(s, presence.get((r.id, s.id))) for s in sessions],
            "tickets": [{
                "ticket_type_name": type_names.get(r.ticket_type_id, ""), "ticket_type_id": r.ticket_type_id, "ticket_id": r.id,
                "registration_source": r.registration_source or "",
                "registration_method": "pre_registration" if r.method == "pre_registration" else "self-registration",
                "authentication_method": "no_auth",
                "questions": [{"title": k, "answer": v} for k, v in (r.answers or {}).items()] + list(r.custom_answers or []),
            }],
        }
        return {c: values[c] for c in columns}


def _session(s: EventSession, seen: SessionAttendance | None) -> dict[str, Any]:
    attended = seen is not None and (seen.first_join_at is not None or seen.checked_in_at is not None)
    minutes = 0
    if seen is not None and seen.first_join_at is not None:
        last = max(seen.last_seen_at or seen.first_join_at, seen.first_join_at)
        minutes = round((min(last, s.end_time) - seen.first_join_at).total_seconds() / 60)
    return {"session_id": s.id, "session_name": s.name, "session_attendance": "attended" if attended else "absent",
            "duration_in_session": max(minutes, 0), "bookmarked": False, "material_download": [], "in_session_resource_download": [],
            "recording_view": False, "recording_view_duration": 0, "live_streaming_view": False, "live_streaming_view_duration": 0}
