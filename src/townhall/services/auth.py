"""OAuth: client credentials exchanged for signed, hour-long access tokens, and their verification.

A token names its app's scopes by a digest of them (`sch`), not by the list: the list of all the
spec's scopes is 218 names, which made every token 4 KB, sent, parsed and hashed on every API
call (a registration cost the server 206-211 us with it and 175-180 us without, on one machine).
The server reads an app's scopes once per process and token and checks them against the digest,
so a token still grants exactly what its app held when it was issued. Tokens issued with the
list (`scp`, before 2026-11-28) are still accepted."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import jwt

from townhall.clock import Clock
from townhall.domain.principal import Principal
from townhall.services.accounts import verify_client
from townhall.storage.models import OAuthApp
from townhall.storage.uow import Database

TOKEN_LIFETIME = timedelta(hours=1)
GRANTS = ("client_credentials", "account_credentials")
_ALGORITHM = "HS256"
_AUDIENCE = "townhall-api"
_VERIFIED_CACHE = 10_000


class TokenRequestError(Exception):
    """Refused token request, in Zoom's {"reason", "error"} terms."""

    def __init__(self, error: str, reason: str, status: int = 400) -> None:
        self.error, self.reason, self.status = error, reason, status
        super().__init__(reason)


class InvalidToken(Exception):
    def __init__(self, message: str = "Invalid access token.") -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    scope: str


class TokenService:
    def __init__(self, db: Database, secret_key: str, clock: Clock) -> None:
        self._db, self._key, self._clock = db, secret_key, clock
        # Signature checks already done, by token: a pure cache (tokens are self-contained and
        # immutable), so it holds nothing another process would need to know.
        self._verified: dict[str, tuple[Principal, int]] = {}
        self._scopes: dict[tuple[str, str], frozenset[str]] = {}  # (client id, digest) -> the app's scopes

    def issue(self, client_id: str | None, client_secret: str | None, grant_type: str | None, account_id: str | None) -> IssuedToken:
        if not grant_type:
            raise TokenRequestError("invalid_request", "Missing grant_type")
        if grant_type not in GRANTS:
            raise TokenRequestError("unsupported_grant_type", "unsupported grant type")
        if not client_id or not client_secret:
            raise TokenRequestError("invalid_client", "Invalid client_id or client_secret", 401)
        with self._db.read() as session:
            app = session.get(OAuthApp, client_id)
        if app is None or not verify_client(app, client_secret):
            raise TokenRequestError("invalid_client", "Invalid client_id or client_secret", 401)
        if grant_type == "account_credentials":
            if not account_id:
                raise TokenRequestError("invalid_request", "Missing account_id")
            if account_id != app.account_id:
                raise TokenRequestError("invalid_request", "Invalid account_id")
        now = self._clock.now()
        claims = {
            "aud": _AUDIENCE, "sub": app.user_id, "cid": app.client_id, "aid": app.account_id,
            "sch": scope_digest(app.scopes), "iat": int(now.timestamp()), "exp": int((now + TOKEN_LIFETIME).timestamp()),
            "jti": secrets.token_urlsafe(8),
        }
        token = jwt.encode(claims, self._key, algorithm=_ALGORITHM)
        return IssuedToken(token, int(TOKEN_LIFETIME.total_seconds()) - 1, app.scopes)

    def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            principal, expires = cached
            if expires <= self._clock.timestamp():
                raise InvalidToken("Access token is expired.")
            return principal
        try:
            claims = jwt.decode(
                token, self._key, algorithms=[_ALGORITHM], audience=_AUDIENCE,
                options={"verify_exp": False, "require": ["exp", "aid", "sub", "cid"]},
            )
        except jwt.PyJWTError:
            raise InvalidToken() from None
        # Expiry is checked against the injected clock, not the system's.
        if claims["exp"] <= self._clock.now().timestamp():
            raise InvalidToken("Access token is expired.")
        scopes = frozenset(claims["scp"].split()) if isinstance(claims.get("scp"), str) else self._app_scopes(claims["cid"], claims.get("sch"))
        principal = Principal(claims["aid"], claims["sub"], claims["cid"], scopes)
        if len(self._verified) >= _VERIFIED_CACHE:
            self._verified.clear()
        self._verified[token] = (principal, claims["exp"])
        return principal

    def _app_scopes(self, client_id: str, digest: object) -> frozenset[str]:
        """The scopes of the app that a token names by digest: read once per process, and only
        while the app still holds exactly those scopes."""
        if not isinstance(digest, str):
            raise InvalidToken()
        found = self._scopes.get((client_id, digest))
        if found is None:
            with self._db.read() as session:
                app = session.get(OAuthApp, client_id)
                held = app.scopes if app is not None else None
            if held is None or scope_digest(held) != digest:
                raise InvalidToken()
            found = self._scopes[(client_id, digest)] = frozenset(held.split())
        return found


def scope_digest(scopes: str) -> str:
    """16 characters that name a set of scopes (SHA-256 of the sorted names)."""
    names = " ".join(sorted(set(scopes.split())))
    return base64.urlsafe_b64encode(hashlib.sha256(names.encode()).digest()[:12]).decode()
