"""Identifiers: 22-character URL-safe base64 of 16 bytes, as Zoom's look, and unguessable tokens.

Both start with the time in milliseconds (6 bytes) and end in random bytes (10 for ids: 80
bits; 18 for tokens: 144 bits). Ids made close in time share a prefix, so a registration rush
appends to a few places of each index instead of touching pages all over the file."""

from __future__ import annotations

import binascii
import re
import secrets
import time

_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


def _timed(random: bytes, prefix: bytes | None = None) -> str:
    """URL-safe base64 without padding (binascii's, then made URL-safe: base64's wrappers cost more
    than the encoding) of the time in milliseconds, or `prefix`, and the random bytes."""
    if prefix is None:
        prefix = int(time.time() * 1000).to_bytes(6, "big")
    return binascii.b2a_base64(prefix + random, newline=False).rstrip(b"=").translate(_URL_SAFE).decode("ascii")


_URL_SAFE = bytes.maketrans(b"+/", b"-_")


def new_id() -> str:
    return _timed(secrets.token_bytes(10))


def new_token() -> str:
    """32 characters for personal links (join links): 144 random bits."""
    return _timed(secrets.token_bytes(18))


class Mint:
    """Ids and tokens made by the dozen, as a registration batch makes them: the same form as
    new_id() and new_token(), their random bytes read from the OS a few kilobytes at a time
    instead of one system call each (two per registration cost as much as checking it).
    For one thread: each batch has its own."""

    def __init__(self) -> None:
        self._random, self._used = b"", 0
        # A batch takes a few milliseconds: its ids all carry the time it started.
        self._prefix = int(time.time() * 1000).to_bytes(6, "big")

    def _take(self, count: int) -> bytes:
        if self._used + count > len(self._random):
            self._random, self._used = secrets.token_bytes(max(4096, count)), 0
        taken = self._random[self._used : self._used + count]
        self._used += count
        return taken

    def id(self) -> str:
        return _timed(self._take(10), self._prefix)

    def token(self) -> str:
        return _timed(self._take(18), self._prefix)


def is_well_formed(value: str) -> bool:
    return bool(_ID.match(value))


def meeting_number() -> int:
    """An 11-digit number, as Zoom's meeting and webinar ids are (a session's room)."""
    return 10_000_000_000 + secrets.randbelow(90_000_000_000)
