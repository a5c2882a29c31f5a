"""The emails townhall sends: one function each, rendered when the worker sends them.

Every email of a kind and event version has the same structure, subject and calendar file; only
the recipient's headers, their two text bodies and their join link differ. So the structure is
built once with the email package (a MIME tree with a marker where each body goes), flattened,
and cut at the markers; each email is then its headers, the pieces, and its own bodies encoded
as the package encodes them (base64, 76-character lines). Building and flattening the tree for
every email cost a worker more than everything else it does for an email together."""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import format_datetime, parseaddr
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Row

from townhall import links
from townhall.config import Settings
from townhall.domain import timefmt
from townhall.mail.ics import event_calendar
from townhall.storage.models import Event, Registrant

# Templates ship with the package and do not change under a running process: without
# auto_reload, Jinja stops asking the file system for each template's mtime on every lookup
# (two an email: 9 -> 3 us each on the benchmark machine).
_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"]), auto_reload=False)
_Slots = tuple[tuple[str, datetime, datetime], ...]  # a RECURRING event's occurrences: (session id, start, end)
_SMTP = Compat32(linesep="\r\n")  # SMTP's line ends, in the pieces and in what is sent


@dataclass(frozen=True, slots=True)
class Email:
    """One email as it goes out: the envelope and the message, with CRLF line ends."""

    message_id: str
    sender: str  # envelope addresses
    recipient: str
    data: bytes


@dataclass(frozen=True)
class _Parts:
    subject: str
    template: str
    context: dict
    calendar: bytes | None = None
    calendar_method: str | None = None


def render(row: Row, event: Event, registrant: Row, settings: Settings, now: datetime, occurrences: list[Row] | None = None) -> Email:
    """`occurrences`: for a RECURRING event, the registrant's occurrences (services/occurrences.py)."""
    build = {"confirmation": confirmation, "reminder": reminder, "cancellation": cancellation}[row.kind]
    parts = build(event, registrant, settings, row.params or {}, tuple((o.id, o.start_time, o.end_time) for o in occurrences or ()))
    pieces = _skeleton(parts.subject, settings.sender, parts.calendar_method)
    bodies = [_env.get_template(f"{parts.template}.txt").render(parts.context),
              _env.get_template(f"{parts.template}.html").render(parts.context)]
    if parts.calendar is not None:
        bodies.append(parts.calendar.decode())
    headers = b"".join(_fold(name, value) for name, value in (
        ("To", registrant.email), ("Message-ID", row.message_id), ("Date", format_datetime(now)),
    ))
    data = [headers, pieces[0]]
    for body, piece in zip(bodies, pieces[1:]):
        data += (_base64_lines(body.encode()), piece)
    return Email(row.message_id, _address(settings.sender), registrant.email, b"".join(data))


def _base64_lines(data: bytes) -> bytes:
    """base64.encodebytes(data) with CRLF line ends (76 characters a line), in one call to binascii
    instead of one per 57 bytes (base64.encodebytes was 7% of a mail worker's time in cProfile)."""
    encoded = binascii.b2a_base64(data, newline=False)
    return b"".join(encoded[i : i + 76] + b"\r\n" for i in range(0, len(encoded), 76))


def _header(value: str) -> str | Header:
    """Plain ASCII as it is; anything else encoded as RFC 2047 requires."""
    return value if value.isascii() else Header(value, "utf-8")


def _fold(name: str, value: str) -> bytes:
    """A header line: as it is when it is one short line of ASCII (which the Header folding
    algorithm would leave alone, at some cost), else folded and encoded by the email package."""
    if value.isascii() and len(name) + len(value) < 76 and "\n" not in value and "\r" not in value:
        return f"{name}: {value}\r\n".encode()
    return _SMTP.fold_binary(name, _header(value))


@lru_cache(maxsize=16)
def _address(sender: str) -> str:
    return parseaddr(sender)[1]


@lru_cache(maxsize=256)
def _skeleton(subject: str, sender: str, calendar_method: str | None) -> tuple[bytes, ...]:
    """The flattened message without its per-recipient headers, cut where the bodies go."""
    markers = [f"townhall-body-{i}-{secrets.token_hex(8)}" for i in range(3 if calendar_method else 2)]
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(markers[0], "plain", "utf-8"))
    body.attach(MIMEText(markers[1], "html", "utf-8"))
    message = MIMEMultipart("mixed")
    message["From"] = _header(sender)
    message["Subject"] = _header(subject)
    message["Auto-Submitted"] = "auto-generated"
    message.attach(body)
    if calendar_method:
        part = MIMEText(markers[2], "calendar", "utf-8")
        part.set_param("method", calendar_method)
        part.add_header("Content-Disposition", "attachment", filename="invite.ics")
        message.attach(part)
    flat = message.as_bytes(policy=_SMTP)
    pieces = []
    for marker in markers:
        encoded = base64.encodebytes(marker.encode()).replace(b"\n", b"\r\n")  # the marker's body, as flattened
        head, flat = flat.split(encoded, 1)
        pieces.append(head)
    return (*pieces, flat)


def _context(event: Event, registrant: Registrant, settings: Settings, occurrences: _Slots = ()) -> dict:
    name = " ".join(p for p in (registrant.first_name, registrant.last_name) if p) or registrant.email
    sessions = [timefmt.slot(start, end, event.timezone) for _, start, end in occurrences]
    return {
        "event": event, "name": name, "sessions": sessions,
        "when": sessions[0] if sessions else timefmt.slot(event.start_time, event.end_time, event.timezone),
        "format": {"WEBINAR": "Webinar", "MEETING": "Meeting"}.get(event.meeting_type or "", "Conference"),
        "join_url": links.join(settings.public_url, registrant.join_token),
        "event_url": links.event_page(settings.public_url, event.id),
    }


def _calendar(event: Event, registrant: Registrant, settings: Settings, cancelled: bool, occurrences: _Slots = ()) -> bytes:
    join_url = links.join(settings.public_url, registrant.join_token)
    template, placeholder = _calendar_template(
        event.id, event.updated_at, cancelled, len(join_url), event.name, event.description or "", event.timezone,
        event.start_time, event.end_time, settings.public_url, settings.public_host, settings.sender, occurrences,
    )
    return template.replace(placeholder, join_url.encode())


@lru_cache(maxsize=256)
def _calendar_template(event_id: str, updated_at: datetime, cancelled: bool, url_length: int, name: str, description: str,
                       tz_name: str, start: datetime, end: datetime, public_url: str, host: str, sender: str,
                       occurrences: _Slots = ()) -> tuple[bytes, bytes]:
    """The event's calendar file with a placeholder as long as the join link, so that replacing it
    keeps iCalendar's line folding intact: built once per event version instead of per email
    (building the VTIMEZONE alone takes milliseconds)."""
    placeholder = (public_url + "/j/").encode() + b"~" * (url_length - len(public_url) - 3)
    ics = event_calendar(
        uid=f"{event_id}@{host}", name=name, description=description, url=placeholder.decode(), tz_name=tz_name,
        start=start, end=end, organizer=_address(sender), stamp=updated_at, cancelled=cancelled,
        sequence=1 if cancelled else 0, occurrences=tuple((f"{sid}@{host}", begins, ends) for sid, begins, ends in occurrences),
    )
    return ics, placeholder


def confirmation(event: Event, registrant: Registrant, settings: Settings, params: dict, occurrences: _Slots = ()) -> _Parts:
    return _Parts(f"You're registered: {event.name}", "confirmation", _context(event, registrant, settings, occurrences),
                  _calendar(event, registrant, settings, False, occurrences), "PUBLISH")


def reminder(event: Event, registrant: Registrant, settings: Settings, params: dict, occurrences: _Slots = ()) -> _Parts:
    minutes = int(params.get("minutes_before", 60))
    starts_in = f"in {minutes // 1440} day{'s' if minutes >= 2880 else ''}" if minutes >= 1440 and minutes % 1440 == 0 else (
        f"in {minutes // 60} hour{'s' if minutes >= 120 else ''}" if minutes % 60 == 0 else f"in {minutes} minutes")
    if params.get("session_id"):  # before one occurrence of a RECURRING event: that one
        occurrences = tuple(o for o in occurrences if o[0] == params["session_id"]) or occurrences
    context = {**_context(event, registrant, settings, occurrences), "starts_in": starts_in}
    return _Parts(f"Reminder: {event.name} starts {starts_in}", "reminder", context)


def cancellation(event: Event, registrant: Registrant, settings: Settings, params: dict, occurrences: _Slots = ()) -> _Parts:
    return _Parts(f"Cancelled: {event.name}", "cancellation", _context(event, registrant, settings, occurrences),
                  _calendar(event, registrant, settings, True, occurrences), "CANCEL")
