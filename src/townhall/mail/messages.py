"""The emails townhall sends: one function each, rendered when the worker sends them."""

from __future__ import annotations

from datetime import datetime
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from townhall import links
from townhall.config import Settings
from townhall.mail.ics import event_calendar
from townhall.storage.models import Event, OutboxMessage, Registrant
from townhall.domain import timefmt

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"]))


def render(row: OutboxMessage, event: Event, registrant: Registrant, settings: Settings, now: datetime) -> Message:
    build = {"confirmation": confirmation, "reminder": reminder, "cancellation": cancellation}[row.kind]
    message = build(event, registrant, settings, row.params or {})
    message["From"] = _header(settings.sender)
    message["To"] = registrant.email
    message["Message-ID"] = row.message_id
    message["Date"] = format_datetime(now)
    message["Auto-Submitted"] = "auto-generated"
    return message


def _header(value: str) -> str | Header:
    """Plain ASCII as it is; anything else encoded as RFC 2047 requires."""
    return value if value.isascii() else Header(value, "utf-8")


def _context(event: Event, registrant: Registrant, settings: Settings) -> dict:
    name = " ".join(p for p in (registrant.first_name, registrant.last_name) if p) or registrant.email
    return {
        "event": event, "name": name,
        "when": timefmt.slot(event.start_time, event.end_time, event.timezone),
        "format": {"WEBINAR": "Webinar", "MEETING": "Meeting"}.get(event.meeting_type or "", "Conference"),
        "join_url": links.join(settings.public_url, registrant.join_token),
        "event_url": links.event_page(settings.public_url, event.id),
    }


def _message(subject: str, template: str, context: dict) -> MIMEMultipart:
    # The stdlib's classic MIME classes: the modern EmailMessage API parses every header it is
    # given into objects and costs about a millisecond more per email, which a rush of 100,000
    # confirmations notices.
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(_env.get_template(f"{template}.txt").render(context), "plain", "utf-8"))
    body.attach(MIMEText(_env.get_template(f"{template}.html").render(context), "html", "utf-8"))
    message = MIMEMultipart("mixed")
    message["Subject"] = _header(subject)
    message["MIME-Version"] = "1.0"
    message.attach(body)
    return message


def _attach_calendar(message: MIMEMultipart, event: Event, registrant: Registrant, settings: Settings, cancelled: bool) -> None:
    join_url = links.join(settings.public_url, registrant.join_token)
    template, placeholder = _calendar_template(
        event.id, event.updated_at, cancelled, len(join_url), event.name, event.description or "", event.timezone,
        event.start_time, event.end_time, settings.public_url, settings.public_host, settings.sender,
    )
    ics = template.replace(placeholder, join_url.encode())
    part = MIMEText(ics.decode(), "calendar", "utf-8")
    part.set_param("method", "CANCEL" if cancelled else "PUBLISH")
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(part)


@lru_cache(maxsize=256)
def _calendar_template(event_id: str, updated_at: datetime, cancelled: bool, url_length: int, name: str, description: str,
                       tz_name: str, start: datetime, end: datetime, public_url: str, host: str, sender: str) -> tuple[bytes, bytes]:
    """The event's calendar file with a placeholder as long as the join link, so that replacing it
    keeps iCalendar's line folding intact: built once per event version instead of per email
    (building the VTIMEZONE alone takes milliseconds)."""
    placeholder = (public_url + "/j/").encode() + b"~" * (url_length - len(public_url) - 3)
    ics = event_calendar(
        uid=f"{event_id}@{host}", name=name, description=description, url=placeholder.decode(), tz_name=tz_name,
        start=start, end=end, organizer=sender.split("<")[-1].rstrip(">"), stamp=updated_at, cancelled=cancelled,
        sequence=1 if cancelled else 0,
    )
    return ics, placeholder


def confirmation(event: Event, registrant: Registrant, settings: Settings, params: dict) -> MIMEMultipart:
    message = _message(f"You're registered: {event.name}", "confirmation", _context(event, registrant, settings))
    _attach_calendar(message, event, registrant, settings, cancelled=False)
    return message


def reminder(event: Event, registrant: Registrant, settings: Settings, params: dict) -> MIMEMultipart:
    minutes = int(params.get("minutes_before", 60))
    starts_in = f"in {minutes // 1440} day{'s' if minutes >= 2880 else ''}" if minutes >= 1440 and minutes % 1440 == 0 else (
        f"in {minutes // 60} hour{'s' if minutes >= 120 else ''}" if minutes % 60 == 0 else f"in {minutes} minutes")
    context = {**_context(event, registrant, settings), "starts_in": starts_in}
    return _message(f"Reminder: {event.name} starts {starts_in}", "reminder", context)


def cancellation(event: Event, registrant: Registrant, settings: Settings, params: dict) -> MIMEMultipart:
    message = _message(f"Cancelled: {event.name}", "cancellation", _context(event, registrant, settings))
    _attach_calendar(message, event, registrant, settings, cancelled=True)
    return message
