"""Identifiers: 22-character URL-safe base64 of 16 random bytes, as Zoom's look."""

from __future__ import annotations

import base64
import re
import secrets

_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


def new_id() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode("ascii")


def is_well_formed(value: str) -> bool:
    return bool(_ID.match(value))
