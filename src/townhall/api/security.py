"""Bearer tokens on the API: who calls (401 code 124) and whether the token holds the route's scope (4711)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from townhall import spec
from townhall.api.errors import ApiError
from townhall.domain.principal import Principal
from townhall.services.auth import InvalidToken
from townhall.services.rate_limits import RateLimited


async def caller(request: Request) -> Principal:
    """FastAPI dependency for every /v2 route: the verified token, holding one of the route's scopes."""
    return authorize(request, request.scope["route"].path)


def authorize(request: Request, path: str) -> Principal:
    scheme, _, token = _header(request, b"authorization").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, 124, "Invalid access token.")
    state = request.app.state
    try:
        principal = state.tokens.verify(token.strip())
    except InvalidToken as exc:
        raise ApiError(401, 124, exc.message) from None
    method = request.scope["method"]
    if principal.scopes.isdisjoint(spec.operation_scopes()[(method, path)]):
        needed = spec.granular_scope(method, path)
        raise ApiError(400, 4711, f"Invalid access token, does not contain scopes:[{needed}].")
    limiter = state.rate_limiter
    if limiter is not None:
        try:
            limiter.check(principal.account_id, method, path)
        except RateLimited as exc:
            raise ApiError(429, 429, exc.message, exc.headers) from None
    return principal


def _header(request: Request, name: bytes) -> str:
    """One header, read straight from the ASGI scope (names come lower-cased) without building
    Starlette's Headers for the whole request: every API call reads its token here."""
    for key, value in request.scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return ""


# The parameters every /v2 router takes: the caller, and the event in the path.
Caller = Annotated[Principal, Depends(caller)]
EventId = Annotated[str, Path(alias="eventId")]
