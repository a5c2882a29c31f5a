"""Email through the outbox to a real SMTP server: content, calendar file, retries, failures, reminders."""

import socket
import threading
from datetime import datetime, timedelta, timezone

import icalendar
import pytest
from sqlalchemy import select

from townhall.mail.messages import Email
from townhall.mail.transports import FileTransport, PermanentFailure, SmtpTransport, TemporaryFailure
from townhall.mail.worker import OutboxWorker
from townhall.services.reminders import ReminderScheduler
from townhall.storage.models import OutboxMessage
from tests.factories import event_fields


def _publish(tenant, **overrides):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, **overrides))
    tenant.sdk.publish_event(event["event_id"])
    return event["event_id"]


def _register(tenant, event_id, *emails, **fields):
    body = {"tickets": [{"email": e, "first_name": "Ada", "last_name": "Lovelace", **fields} for e in emails]}
    return tenant.sdk.request("POST", f"/zoom_events/events/{event_id}/tickets", json=body)["tickets"]


def _outbox(db, event_id):
    with db.read() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.event_id == event_id).order_by(OutboxMessage.id)))


def test_confirmation_has_text_html_join_link_and_a_calendar_that_imports(tenant, smtp, mail_worker):
    # New York, a date in summer time (EDT, UTC-4).
    event_id = _publish(tenant, name="Summer Town Hall", calendar=[{"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T16:30:00Z"}])
    (ticket,) = _register(tenant, event_id, "ada@example.com")
    assert mail_worker.deliver() == 1
    (message,) = smtp.to("ada@example.com")
    assert message["Subject"] == "You're registered: Summer Town Hall"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Wednesday, July 1, 2026, 11:00 AM – 12:30 PM EDT" in text and "America/New_York" in text
    assert ticket["event_join_link"] in text and f'href="{ticket["event_join_link"]}"' in html
    (attachment,) = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    (vevent,) = calendar.walk("VEVENT")
    start = vevent.decoded("dtstart")
    assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=-4)
    assert start.astimezone(timezone.utc) == datetime(2026, 7, 1, 15, tzinfo=timezone.utc)
    assert vevent["dtstart"].params["TZID"] == "America/New_York"
    assert calendar.walk("VTIMEZONE") and calendar.walk("VTIMEZONE")[0]["TZID"] == "America/New_York"
    assert ticket["event_join_link"] in str(vevent["url"])


def test_winter_event_is_in_standard_time(tenant, smtp, mail_worker):
    event_id = _publish(tenant, calendar=[{"start_time": "2026-12-15T19:00:00Z", "end_time": "2026-12-15T20:30:00Z"}])
    _register(tenant, event_id, "bob@example.com")
    mail_worker.deliver()
    (message,) = smtp.to("bob@example.com")
    assert "2:00 PM – 3:30 PM EST" in message.get_body(("plain",)).get_content()
    ics = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar").get_content()
    start = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0].decoded("dtstart")
    assert start.utcoffset() == timedelta(hours=-5)


def test_a_batchs_confirmations_are_one_row_until_a_worker_takes_them(tenant, smtp, db, settings, clock):
    """A registration batch queues its people's confirmations as one outbox row; a worker turns it
    into one row each, with the Message-IDs they would have had, and each person gets one email.
    Turning it into rows again (the same batch queued twice) adds none."""
    from townhall.storage import outbox

    event_id = _publish(tenant)
    tickets = _register(tenant, event_id, "a@example.com", "b@example.com", "c@example.com")
    (queued,) = _outbox(db, event_id)
    assert queued.kind == outbox.CONFIRMATIONS and queued.params["registrants"] == [t["ticket_id"] for t in tickets]
    with db.write() as session:
        assert outbox.expand(session) == 3
        session.execute(OutboxMessage.__table__.insert(), [{**outbox.confirmations_row(
            event_id=event_id, registrant_ids=queued.params["registrants"], domain=queued.params["domain"], now=clock.now()),
            "message_id": "<confirmations.again@x>"}])
    with db.write() as session:
        assert outbox.expand(session) == 3  # listed again, written once
    rows = _outbox(db, event_id)
    assert sorted(r.message_id for r in rows) == sorted(f"<confirmation.{t['ticket_id']}@{queued.params['domain']}>" for t in tickets)
    worker = OutboxWorker(db, SmtpTransport(smtp.url), settings, clock)
    assert worker.run_once() == 3 and worker.run_once() == 0
    assert all(len(smtp.to(f"{name}@example.com")) == 1 for name in "abc")


def test_a_worker_takes_batches_of_confirmations_a_share_at_a_time(tenant, smtp, db, settings, clock):
    """A claim of one row expands one batch, not all of them, and never sends a batch's row as an
    email: the other batches wait, and are delivered by the next claims."""
    from townhall.storage import outbox

    event_id = _publish(tenant)
    for n in range(3):
        _register(tenant, event_id, f"p{n}@example.com", f"q{n}@example.com")
    worker = OutboxWorker(db, SmtpTransport(smtp.url), settings, clock, batch=1)
    assert worker.run_once() == 1
    kinds = [r.kind for r in _outbox(db, event_id)]
    assert kinds.count(outbox.CONFIRMATIONS) == 2 and kinds.count("confirmation") == 2
    while worker.run_once():
        pass
    assert sorted(m["To"] for m in smtp.messages) == sorted(f"{p}{n}@example.com" for n in range(3) for p in "pq")
    assert {r.status for r in _outbox(db, event_id)} == {"sent"}


def test_no_notification_when_asked_not_to(tenant, smtp, mail_worker):
    event_id = _publish(tenant)
    _register(tenant, event_id, "quiet@example.com", send_notification=False)
    assert mail_worker.deliver() == 0 and smtp.messages == []


def test_smtp_that_refuses_then_accepts_delivers_once(tenant, smtp, mail_worker, clock, db):
    event_id = _publish(tenant)
    _register(tenant, event_id, "retry@example.com")
    smtp.refuse = 2
    assert mail_worker.deliver() == 1
    assert smtp.messages == [] and smtp.refused == 1
    (row,) = _outbox(db, event_id)
    assert (row.status, row.attempts) == ("pending", 1) and "451" in row.last_error
    assert mail_worker.deliver() == 0  # backing off: not due yet
    clock.advance(seconds=31)
    mail_worker.deliver()
    assert smtp.refused == 2 and smtp.messages == []
    clock.advance(minutes=2)
    mail_worker.deliver()
    clock.advance(hours=2)
    mail_worker.deliver()
    assert len(smtp.to("retry@example.com")) == 1
    (row,) = _outbox(db, event_id)
    assert (row.status, row.attempts) == ("sent", 3)


def test_smtp_down_then_up_delivers_once(tenant, db, settings, clock):
    from tests.smtp import smtp_server
    from tests.server import free_port

    event_id = _publish(tenant)
    _register(tenant, event_id, "outage@example.com")
    down = OutboxWorker(db, SmtpTransport(f"smtp://127.0.0.1:{free_port()}"), settings, clock)
    assert down.run_once() == 1
    (row,) = _outbox(db, event_id)
    assert row.status == "pending" and row.attempts == 1
    with smtp_server() as (inbox, url):
        up = OutboxWorker(db, SmtpTransport(url), settings, clock)
        clock.advance(minutes=1)
        assert up.run_once() == 1
        assert up.run_once() == 0
        assert len(inbox.to("outage@example.com")) == 1


def test_unknown_mailbox_is_a_permanent_failure(tenant, smtp, mail_worker, db):
    event_id = _publish(tenant)
    smtp.unknown_mailboxes.add("ghost@example.com")
    _register(tenant, event_id, "ghost@example.com", "real@example.com")
    mail_worker.deliver()
    rows = {r.recipient: r for r in _outbox(db, event_id)}
    assert rows["ghost@example.com"].status == "failed" and "550" in rows["ghost@example.com"].last_error
    assert rows["real@example.com"].status == "sent"
    assert len(smtp.messages) == 1


def test_a_crashed_workers_rows_are_taken_over_after_the_lease(tenant, db, settings, clock, smtp):
    event_id = _publish(tenant)
    _register(tenant, event_id, "lease@example.com")
    with db.write() as session:  # a worker claims the row and dies before sending
        from townhall.storage import outbox

        assert len(outbox.claim(session, "dead-worker", clock.now(), 10)) == 1
    alive = OutboxWorker(db, SmtpTransport(smtp.url), settings, clock)
    assert alive.run_once() == 0  # still leased to the dead worker
    clock.advance(minutes=6)
    assert alive.run_once() == 1
    assert len(smtp.to("lease@example.com")) == 1


def test_concurrent_workers_never_send_a_row_twice(tenant, db, settings, clock, smtp):
    event_id = _publish(tenant)
    emails = [f"p{i}@example.com" for i in range(60)]
    for start in range(0, 60, 30):
        _register(tenant, event_id, *emails[start:start + 30])
    workers = [OutboxWorker(db, SmtpTransport(smtp.url), settings, clock, batch=7) for _ in range(4)]

    def drain(worker):
        while worker.run_once():
            pass

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = smtp.message_ids()
    assert len(ids) == 60 and len(set(ids)) == 60


def test_cancelling_the_event_emails_every_registrant(tenant, smtp, mail_worker):
    event_id = _publish(tenant)
    _register(tenant, event_id, "a@example.com", "b@example.com")
    mail_worker.deliver()
    tenant.sdk.cancel_event(event_id, "The venue flooded; we will be back in the autumn.")
    assert mail_worker.deliver() == 2
    for address in ("a@example.com", "b@example.com"):
        cancellation = [m for m in smtp.to(address) if m["Subject"].startswith("Cancelled:")]
        assert len(cancellation) == 1
        assert "The venue flooded" in cancellation[0].get_body(("plain",)).get_content()
        ics = next(p for p in cancellation[0].iter_attachments()).get_content()
        assert icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_reminders_go_out_once_a_day_and_an_hour_before(tenant, smtp, mail_worker, db, clock):
    event_id = _publish(tenant)  # starts 2026-07-01 15:00 UTC
    _register(tenant, event_id, "early@example.com")
    scheduler = ReminderScheduler(db, clock, "testserver")
    clock.set(datetime(2026, 6, 30, 14, 59, tzinfo=timezone.utc))
    assert scheduler.run_once() == 0
    clock.set(datetime(2026, 6, 30, 15, 0, 1, tzinfo=timezone.utc))
    assert scheduler.run_once() == 1
    assert scheduler.run_once() == 0  # once
    _register(tenant, event_id, "late@example.com")  # after the day-before reminder's time
    mail_worker.deliver()
    # Several SMTP connections at once: arrival order is not sending order.
    subjects = lambda address: sorted(m["Subject"] for m in smtp.to(address))  # noqa: E731
    assert subjects("early@example.com") == ["Reminder: Q3 All Hands starts in 1 day", "You're registered: Q3 All Hands"]
    assert subjects("late@example.com") == ["You're registered: Q3 All Hands"]
    clock.set(datetime(2026, 7, 1, 14, 0, 30, tzinfo=timezone.utc))
    assert scheduler.run_once() == 1
    mail_worker.deliver()
    assert "Reminder: Q3 All Hands starts in 1 hour" in subjects("late@example.com")
    assert "Reminder: Q3 All Hands starts in 1 hour" in subjects("early@example.com")


def test_reminders_are_configurable_per_event(tenant, db, clock, smtp, mail_worker):
    event_id = _publish(tenant, reminder_minutes=[30])
    _register(tenant, event_id, "a@example.com")
    assert tenant.sdk.get_event(event_id)["reminder_minutes"] == [30]
    scheduler = ReminderScheduler(db, clock, "testserver")
    clock.set(datetime(2026, 7, 1, 14, 0, 30, tzinfo=timezone.utc))
    assert scheduler.run_once() == 0
    clock.set(datetime(2026, 7, 1, 14, 30, 30, tzinfo=timezone.utc))
    assert scheduler.run_once() == 1


def test_concurrent_schedulers_send_each_reminder_once(tenant, db, clock, smtp, mail_worker):
    event_id = _publish(tenant)
    _register(tenant, event_id, *[f"p{i}@example.com" for i in range(5)])
    mail_worker.deliver()
    clock.set(datetime(2026, 7, 1, 14, 0, 30, tzinfo=timezone.utc))  # both reminders are due
    schedulers = [ReminderScheduler(db, clock, "testserver") for _ in range(4)]
    results = []
    threads = [threading.Thread(target=lambda s=s: results.append(s.run_once())) for s in schedulers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 2
    mail_worker.deliver()
    reminders = [m for m in smtp.messages if m["Subject"].startswith("Reminder")]
    assert len(reminders) == 10 and len({m["Message-ID"] for m in reminders}) == 10


def test_without_smtp_messages_become_eml_files(tenant, db, settings, clock, tmp_path, caplog):
    event_id = _publish(tenant)
    _register(tenant, event_id, "files@example.com")
    worker = OutboxWorker(db, FileTransport(str(tmp_path / "mail")), settings, clock)
    with caplog.at_level("INFO", logger="townhall.mail"):
        assert worker.run_once() == 1
    (path,) = (tmp_path / "mail").glob("*.eml")
    assert "files@example.com" in path.read_text() and str(path) in caplog.text


@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelined", "one-command-at-a-time"])
def test_a_connection_reports_each_emails_fate_and_keeps_going(pipelining):
    """With PIPELINING one round trip per email; without it, one per command: the same outcomes.
    A refused recipient, a refused message and a line starting with a dot in between."""
    from tests.smtp import smtp_server

    def email(n, to, body="Hello.\r\n"):
        data = f"To: {to}\r\nMessage-ID: <m{n}@test>\r\nSubject: n{n}\r\n\r\n{body}".encode()
        return Email(f"<m{n}@test>", "sender@example.com", to, data)

    with smtp_server(pipelining) as (inbox, url):
        inbox.unknown_mailboxes.add("ghost@example.com")
        with SmtpTransport(url).connect() as connection:
            first = connection.send_all([email(1, "a@example.com", ".hidden dot line\r\n..two\r\n"), email(2, "ghost@example.com"),
                                         email(3, "b@example.com")])
            assert connection._client.has_extn("pipelining") is pipelining
            inbox.refuse = 1
            second = connection.send_all([email(4, "c@example.com"), email(5, "d@example.com")])
    assert first[0] is None and isinstance(first[1], PermanentFailure) and "550" in str(first[1]) and first[2] is None
    assert isinstance(second[0], TemporaryFailure) and "451" in str(second[0]) and second[1] is None
    assert [m["Subject"] for m in inbox.messages] == ["n1", "n3", "n5"]
    assert inbox.messages[0].get_content().replace("\r\n", "\n") == ".hidden dot line\n..two\n"


def test_a_dropped_connection_leaves_the_unanswered_emails_to_retry():
    from tests.smtp import smtp_server

    with smtp_server() as (inbox, url):
        with SmtpTransport(url).connect() as connection:
            connection._client.sock.shutdown(socket.SHUT_RDWR)  # the connection is gone before anything is sent
            results = connection.send_all([Email("<x@test>", "s@example.com", "x@example.com", b"Subject: x\r\n\r\nx\r\n")])
    assert isinstance(results[0], TemporaryFailure) and inbox.messages == []
