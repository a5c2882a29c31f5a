"""CSRF protection for the public forms, with no server-side state (works across processes).

A random value lives in a cookie; the form carries an HMAC of it under the server's key. A
cross-site form can neither read the cookie nor compute the HMAC."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

COOKIE = "townhall_csrf"
FIELD = "csrf_token"


class Csrf:
    def __init__(self, secret_key: str) -> None:
        self._key = (secret_key + ":csrf").encode()

    def token(self, request: Request) -> tuple[str, str]:
        """(cookie value, form token): the cookie the browser has, or a new one."""
        cookie = request.cookies.get(COOKIE) or secrets.token_urlsafe(24)
        return cookie, self._sign(cookie)

    def set_cookie(self, response: Response, cookie: str, secure: bool) -> None:
        response.set_cookie(COOKIE, cookie, httponly=True, samesite="lax", secure=secure, max_age=7 * 24 * 3600)

    def valid(self, request: Request, form_token: str | None) -> bool:
        cookie = request.cookies.get(COOKIE)
        return bool(cookie and form_token and _same(self._sign(cookie), form_token))

    def _sign(self, value: str) -> str:
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()

    def sign_ref(self, value: str) -> str:
        """A value with its signature, for links that must not be guessable (the confirmation page)."""
        return f"{value}.{self._sign('ref:' + value)[:32]}"

    def unsign_ref(self, signed: str) -> str | None:
        value, _, signature = signed.rpartition(".")
        return value if value and _same(self._sign("ref:" + value)[:32], signature) else None


def _same(expected: str, given: str) -> bool:
    """In constant time, as bytes: `hmac.compare_digest` refuses strings with non-ASCII characters
    (a TypeError), and what a form or a link carries can be anything."""
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))
