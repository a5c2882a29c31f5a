"""POST /oauth/token: client credentials (HTTP Basic) for an access token, in Zoom's shapes."""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from townhall.services.auth import TokenRequestError

router = APIRouter(tags=["OAuth"])


@router.post("/oauth/token", summary="Exchange client credentials for an access token")
async def token(request: Request) -> JSONResponse:
    params = dict(request.query_params)
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        params.update({k: v for k, v in (await request.form()).items() if isinstance(v, str)})
    client_id, client_secret = _basic_credentials(request)
    try:
        issued = request.app.state.tokens.issue(
            client_id or params.get("client_id"), client_secret or params.get("client_secret"),
            params.get("grant_type"), params.get("account_id"),
        )
    except TokenRequestError as exc:
        return JSONResponse({"reason": exc.reason, "error": exc.error}, status_code=exc.status)
    return JSONResponse(
        {
            "access_token": issued.access_token, "token_type": "bearer", "expires_in": issued.expires_in,
            "scope": issued.scope, "api_url": request.app.state.settings.public_url,
        },
        headers={"Cache-Control": "no-store"},
    )


def _basic_credentials(request: Request) -> tuple[str | None, str | None]:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        client_id, _, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    return client_id, secret
