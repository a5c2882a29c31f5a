"""Requests that carry a NUL character are refused before anything is stored.

PostgreSQL cannot store NUL in text (psycopg refuses such a value, and the server refuses
`\\u0000` in a JSON document), so a name with one in it failed the request with a 500 there,
while SQLite stored it and handed it on to emails and pages. Nothing a person types contains
one, so both databases refuse it alike, wherever it comes: the path, the query string, a JSON
body (`\\u0000`, JSON's only way to write it) or a form (`%00`). The API answers Zoom's code 300;
a page, a readable 400 page. File uploads (multipart bodies) are left alone: their bytes are
files, not text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from townhall.domain.errors import NulInRequest

_JSON_NUL, _FORM_NUL = b"\\u0000", b"%00"
_MARKERS = (_JSON_NUL, _FORM_NUL)
_TAIL = max(len(m) for m in _MARKERS) - 1  # what a marker split between two body chunks leaves in the first


class NulGuard:
    """ASGI middleware: answers a path or query string with a NUL itself (no route is reached),
    and checks a body as the app reads it, raising NulInRequest from `receive` for the app's
    exception handler to answer (`refusal`, for both)."""

    def __init__(self, app: Any, refusal: Callable[[Request, NulInRequest], Awaitable[Response]]) -> None:
        self.app, self._refusal = app, refusal

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = "path" if b"%00" in scope.get("raw_path", b"") or "\x00" in scope["path"] else (
            "query" if b"%00" in scope["query_string"] else None)
        if where is not None:
            response = await self._refusal(Request(scope, receive), NulInRequest(where))
            await response(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS") or _is_multipart(scope):
            await self.app(scope, receive, send)
            return
        await self.app(scope, _checking(receive), send)


def _checking(receive: Any) -> Any:
    tail = b""

    async def checked() -> dict:
        nonlocal tail
        message = await receive()
        body = message.get("body")
        if body:
            seen = tail + body if tail else body
            if _JSON_NUL in seen or _FORM_NUL in seen:  # (not any() over a generator: on every body)
                raise NulInRequest("body")
            tail = seen[-_TAIL:]
        return message

    return checked


def _is_multipart(scope: dict) -> bool:
    for key, value in scope["headers"]:
        if key == b"content-type":
            return value[:19].lower() == b"multipart/form-data"
    return False
