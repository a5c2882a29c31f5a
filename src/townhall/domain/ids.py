"""Identifiers: 22-character URL-safe base64 of 16 bytes, as Zoom's look, and unguessable tokens.

Both start with the time in milliseconds (6 bytes) and end in random bytes (10 for ids: 80
bits; 18 for tokens: 144 bits). Ids made close in time share a prefix, so a registration rush
appends to a few places of each index instead of touching pages all over the file."""

from __future__ import annotations

import base64
import re
import secrets
import time

_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


def _timed(random_bytes: int) -> str:
    prefix = int(time.time() * 1000).to_bytes(6, "big")
    return base64.urlsafe_b64encode(prefix + secrets.token_bytes(random_bytes)).rstrip(b"=").decode("ascii")


def new_id() -> str:
    return _timed(10)


def new_token() -> str:
    """32 characters for personal links (join links): 144 random bits."""
    return _timed(18)


def is_well_formed(value: str) -> bool:
    return bool(_ID.match(value))


def meeting_number() -> int:
    """An 11-digit number, as Zoom's meeting and webinar ids are (a session's room)."""
    return 10_000_000_000 + secrets.randbelow(90_000_000_000)
