"""The emails townhall sends: one function each, rendered when the worker sends them."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from townhall import links
from townhall.config import Settings
from townhall.mail.ics import event_calendar
from townhall.storage.models import Event, OutboxMessage, Registrant
from townhall.domain import timefmt

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"]))


def render(row: OutboxMessage, event: Event, registrant: Registrant, settings: Settings, now: datetime) -> EmailMessage:
    build = {"confirmation": confirmation, "reminder": reminder, "cancellation": cancellation}[row.kind]
    message = build(event, registrant, settings, row.params or {})
    message["From"] = settings.sender
    message["To"] = registrant.email
    message["Message-ID"] = row.message_id
    message["Date"] = format_datetime(now)
    message["Auto-Submitted"] = "auto-generated"
    return message


def _context(event: Event, registrant: Registrant, settings: Settings) -> dict:
    name = " ".join(p for p in (registrant.first_name, registrant.last_name) if p) or registrant.email
    return {
        "event": event, "name": name,
        "when": timefmt.slot(event.start_time, event.end_time, event.timezone),
        "format": {"WEBINAR": "Webinar", "MEETING": "Meeting"}.get(event.meeting_type or "", "Conference"),
        "join_url": links.join(settings.public_url, registrant.join_token),
        "event_url": links.event_page(settings.public_url, event.id),
    }


def _message(subject: str, template: str, context: dict) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message.set_content(_env.get_template(f"{template}.txt").render(context))
    message.add_alternative(_env.get_template(f"{template}.html").render(context), subtype="html")
    return message


def _attach_calendar(message: EmailMessage, event: Event, registrant: Registrant, settings: Settings, cancelled: bool) -> None:
    ics = event_calendar(
        uid=f"{event.id}@{settings.public_host}", name=event.name, description=event.description or "",
        url=links.join(settings.public_url, registrant.join_token), tz_name=event.timezone,
        start=event.start_time, end=event.end_time, organizer=settings.sender.split("<")[-1].rstrip(">"),
        stamp=event.updated_at, cancelled=cancelled, sequence=1 if cancelled else 0,
    )
    method = "CANCEL" if cancelled else "PUBLISH"
    message.add_attachment(ics, maintype="text", subtype="calendar", filename="invite.ics", params={"method": method})


def confirmation(event: Event, registrant: Registrant, settings: Settings, params: dict) -> EmailMessage:
    message = _message(f"You're registered: {event.name}", "confirmation", _context(event, registrant, settings))
    _attach_calendar(message, event, registrant, settings, cancelled=False)
    return message


def reminder(event: Event, registrant: Registrant, settings: Settings, params: dict) -> EmailMessage:
    minutes = int(params.get("minutes_before", 60))
    starts_in = f"in {minutes // 1440} day{'s' if minutes >= 2880 else ''}" if minutes >= 1440 and minutes % 1440 == 0 else (
        f"in {minutes // 60} hour{'s' if minutes >= 120 else ''}" if minutes % 60 == 0 else f"in {minutes} minutes")
    context = {**_context(event, registrant, settings), "starts_in": starts_in}
    return _message(f"Reminder: {event.name} starts {starts_in}", "reminder", context)


def cancellation(event: Event, registrant: Registrant, settings: Settings, params: dict) -> EmailMessage:
    message = _message(f"Cancelled: {event.name}", "cancellation", _context(event, registrant, settings))
    _attach_calendar(message, event, registrant, settings, cancelled=True)
    return message
