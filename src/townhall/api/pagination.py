"""Zoom's pagination: page_size (1..300, default 30) and signed next_page_token that expire in 15 minutes."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Annotated, Any

import jwt
from fastapi import Query

from townhall.clock import Clock
from townhall.domain.errors import InvalidPageToken, ValidationFailed

TOKEN_LIFETIME = timedelta(minutes=15)
MAX_PAGE_SIZE = 300

PageSize = Annotated[int, Query(description="Records per page, at most 300.")]
PageToken = Annotated[str | None, Query(description="Token from the previous page.")]


def check_page_size(page_size: int) -> int:
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationFailed.one("page_size", f"page_size must be between 1 and {MAX_PAGE_SIZE}.")
    return page_size


class PageTokens:
    """Tokens carry the position after the last record shown, bound to the query that made them."""

    def __init__(self, secret_key: str, clock: Clock) -> None:
        self._key, self._clock = secret_key + ":pages", clock

    def encode(self, after: Any, *query: object) -> str:
        if after is None:
            return ""
        exp = self._clock.now() + TOKEN_LIFETIME
        return jwt.encode({"a": after, "q": _fingerprint(query), "exp": int(exp.timestamp())}, self._key, algorithm="HS256")

    def decode(self, token: str | None, *query: object) -> Any:
        if not token:
            return None
        try:
            claims = jwt.decode(token, self._key, algorithms=["HS256"], options={"verify_exp": False})
        except jwt.PyJWTError:
            raise InvalidPageToken() from None
        if claims.get("q") != _fingerprint(query) or claims.get("exp", 0) <= self._clock.now().timestamp():
            raise InvalidPageToken()
        return claims["a"]


def _fingerprint(query: tuple[object, ...]) -> str:
    return hashlib.sha256(repr(query).encode()).hexdigest()[:16]
