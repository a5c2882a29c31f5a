"""Reminder emails before an event starts, each sent once across every server process.

A reminder is due at start - minutes_before. The process that first inserts its ReminderRun row
(primary key: event and minutes) queues it, in the same transaction, for everyone registered
before that moment; any other process's insert fails and its transaction rolls back."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from townhall.clock import Clock
from townhall.storage import outbox
from townhall.storage.models import Event, ReminderRun
from townhall.storage.uow import Database

log = logging.getLogger("townhall.reminders")
LONGEST_LEAD = timedelta(days=30)


class ReminderScheduler:
    def __init__(self, db: Database, clock: Clock, mail_domain: str) -> None:
        self._db, self._clock, self._domain = db, clock, mail_domain

    def run_once(self) -> int:
        """Queue every reminder that has come due; the number of reminders queued."""
        now = self._clock.now()
        with self._db.read() as session:
            upcoming = session.execute(
                select(Event.id, Event.start_time, Event.reminder_minutes)
                .where(Event.status == "published", Event.start_time > now, Event.start_time <= now + LONGEST_LEAD)
            ).all()
            done = set(session.execute(
                select(ReminderRun.event_id, ReminderRun.minutes_before).where(ReminderRun.event_id.in_([e.id for e in upcoming]))
            ).all()) if upcoming else set()
        queued = 0
        for event_id, start, minutes_list in upcoming:
            for minutes in minutes_list or ():
                due = start - timedelta(minutes=minutes)
                if due <= now and (event_id, minutes) not in done and self._queue(event_id, minutes, due):
                    queued += 1
        return queued

    def _queue(self, event_id: str, minutes: int, due) -> bool:  # type: ignore[no-untyped-def]
        now = self._clock.now()
        try:
            with self._db.write() as session:
                event = session.get(Event, event_id, with_for_update=True)
                if event is None or event.status != "published" or session.get(ReminderRun, (event_id, minutes)):
                    return False
                count = outbox.enqueue_for_registrants(
                    session, kind="reminder", event_id=event_id, domain=self._domain, now=now,
                    registered_before=due, params={"minutes_before": minutes},
                )
                session.add(ReminderRun(event_id=event_id, minutes_before=minutes, due_at=due, ran_at=now, recipients=count))
        except IntegrityError:
            return False  # another process queued it first
        log.info("reminder %s min before event %s queued for %s registrants", minutes, event_id, count)
        return True
