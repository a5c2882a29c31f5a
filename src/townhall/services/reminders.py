"""Reminder emails before an event starts, each sent once across every server process.

A reminder is due at start - minutes_before. The process that first inserts its ReminderRun row
(primary key: event and minutes) queues it, in the same transaction, for everyone registered
before that moment; any other process's insert fails and its transaction rolls back. A RECURRING
event has its reminders before each occurrence instead (OccurrenceReminderRun: occurrence and
minutes), for those registered for that occurrence."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import literal, select
from sqlalchemy.exc import IntegrityError

from townhall.clock import Clock
from townhall.storage import outbox
from townhall.domain.event_fields import EventType
from townhall.storage.models import Event, EventSession, OccurrenceReminderRun, ReminderRun
from townhall.storage.uow import Database

log = logging.getLogger("townhall.reminders")
LONGEST_LEAD = timedelta(days=30)
RECURRING = EventType.RECURRING.value


class ReminderScheduler:
    def __init__(self, db: Database, clock: Clock, mail_domain: str) -> None:
        self._db, self._clock, self._domain = db, clock, mail_domain

    def run_once(self) -> int:
        """Queue every reminder that has come due; the number of reminders queued."""
        now = self._clock.now()
        with self._db.read() as session:
            window = (Event.status == "published", Event.start_time <= now + LONGEST_LEAD)
            upcoming = session.execute(
                select(Event.id, Event.start_time, Event.reminder_minutes, literal(None))
                .where(*window, Event.start_time > now, Event.event_type != RECURRING)
            ).all() + session.execute(
                select(Event.id, EventSession.start_time, Event.reminder_minutes, EventSession.id)
                .join(EventSession, EventSession.event_id == Event.id)
                .where(*window, Event.event_type == RECURRING, EventSession.start_time > now,
                       EventSession.start_time <= now + LONGEST_LEAD)
            ).all()
            done = set(session.execute(
                select(ReminderRun.event_id, ReminderRun.minutes_before).where(ReminderRun.event_id.in_([e[0] for e in upcoming]))
            ).all()) | set(session.execute(
                select(OccurrenceReminderRun.session_id, OccurrenceReminderRun.minutes_before)
                .where(OccurrenceReminderRun.session_id.in_([e[3] for e in upcoming if e[3]]))
            ).all()) if upcoming else set()
        queued = 0
        for event_id, start, minutes_list, occurrence in upcoming:
            for minutes in minutes_list or ():
                due = start - timedelta(minutes=minutes)
                if due <= now and (occurrence or event_id, minutes) not in done and self._queue(event_id, minutes, due, occurrence):
                    queued += 1
        return queued

    def _queue(self, event_id: str, minutes: int, due, occurrence: str | None = None) -> bool:  # type: ignore[no-untyped-def]
        now = self._clock.now()
        run = (OccurrenceReminderRun, (occurrence, minutes)) if occurrence else (ReminderRun, (event_id, minutes))
        try:
            with self._db.write() as session:
                event = session.get(Event, event_id, with_for_update=True)
                if event is None or event.status != "published" or session.get(*run):
                    return False
                params = {"minutes_before": minutes, **({"session_id": occurrence} if occurrence else {})}
                count = outbox.enqueue_for_registrants(
                    session, kind="reminder", event_id=event_id, domain=self._domain, now=now,
                    registered_before=due, params=params, occurrence=occurrence,
                )
                key = {"session_id": occurrence} if occurrence else {"event_id": event_id}
                session.add(run[0](**key, minutes_before=minutes, due_at=due, ran_at=now, recipients=count))
        except IntegrityError:
            return False  # another process queued it first
        log.info("reminder %s min before event %s%s queued for %s registrants", minutes, event_id,
                 f" (occurrence {occurrence})" if occurrence else "", count)
        return True
