"""OAuth: client credentials exchanged for signed, hour-long access tokens, and their verification."""

from __future__ import annotations

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
            "scp": app.scopes, "iat": int(now.timestamp()), "exp": int((now + TOKEN_LIFETIME).timestamp()),
            "jti": secrets.token_urlsafe(8),
        }
        token = jwt.encode(claims, self._key, algorithm=_ALGORITHM)
        return IssuedToken(token, int(TOKEN_LIFETIME.total_seconds()) - 1, app.scopes)

    def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            principal, expires = cached
            if expires <= self._clock.now().timestamp():
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
        principal = Principal(claims["aid"], claims["sub"], claims["cid"], frozenset(claims.get("scp", "").split()))
        if len(self._verified) >= _VERIFIED_CACHE:
            self._verified.clear()
        self._verified[token] = (principal, claims["exp"])
        return principal
