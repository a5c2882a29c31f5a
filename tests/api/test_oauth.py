"""POST /oauth/token and bearer tokens on the API: grants, Zoom's error shapes, expiry, scopes."""

import base64

import jwt
import pytest
from sqlalchemy import select

from townhall.storage.models import OAuthApp


def _token(http, client_id, secret, **data):
    return http.post("/oauth/token", data={"grant_type": "client_credentials", **data}, auth=(client_id, secret))


def test_client_credentials_grant_answers_like_zoom(http, tenant):
    response = _token(http, tenant.client_id, tenant.client_secret)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3599
    assert body["api_url"] == "http://testserver"
    assert "zoom_events:write:event" in body["scope"].split()
    assert body["access_token"].count(".") == 2


def test_account_credentials_grant_needs_the_apps_own_account(http, tenant, make_tenant):
    ok = _token(http, tenant.client_id, tenant.client_secret, grant_type="account_credentials", account_id=tenant.account_id)
    assert ok.status_code == 200
    other = make_tenant("Other")
    wrong = _token(http, tenant.client_id, tenant.client_secret, grant_type="account_credentials", account_id=other.account_id)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_request"
    missing = _token(http, tenant.client_id, tenant.client_secret, grant_type="account_credentials")
    assert missing.status_code == 400 and "reason" in missing.json()


def test_parameters_may_come_in_the_query_string(http, tenant):
    response = http.post(
        f"/oauth/token?grant_type=account_credentials&account_id={tenant.account_id}",
        auth=(tenant.client_id, tenant.client_secret),
    )
    assert response.status_code == 200


@pytest.mark.parametrize("secret", ["wrong", ""])
def test_bad_secret_is_invalid_client(http, tenant, secret):
    response = _token(http, tenant.client_id, secret)
    assert response.status_code == 401
    assert response.json() == {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}


def test_unknown_client_and_missing_auth_are_invalid_client(http, tenant):
    assert _token(http, "nobody", "nothing").json()["error"] == "invalid_client"
    assert http.post("/oauth/token", data={"grant_type": "client_credentials"}).json()["error"] == "invalid_client"
    garbled = http.post("/oauth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": "Basic %%%"})
    assert garbled.json()["error"] == "invalid_client"


def test_unsupported_grant(http, tenant):
    response = _token(http, tenant.client_id, tenant.client_secret, grant_type="password")
    assert response.status_code == 400
    assert response.json() == {"reason": "unsupported grant type", "error": "unsupported_grant_type"}


def test_client_secret_is_stored_hashed(db, tenant):
    with db.read() as session:
        app = session.scalars(select(OAuthApp).where(OAuthApp.client_id == tenant.client_id)).one()
    assert tenant.client_secret not in app.secret_hash
    assert app.secret_hash.startswith("$argon2")


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Basic abc", "Bearer not-a-jwt", "Bearer a.b.c"],
)
def test_missing_or_malformed_token_is_124(http, header):
    headers = {"Authorization": header} if header is not None else {}
    response = http.get("/v2/zoom_events/hubs?role_type=host", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"code": 124, "message": "Invalid access token."}


def test_forged_token_is_124(http, tenant):
    claims = jwt.decode(tenant.token(), options={"verify_signature": False})
    forged = jwt.encode(claims, "not-the-server-key-but-long-enough-for-hs256", algorithm="HS256")
    response = http.get("/v2/zoom_events/hubs?role_type=host", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401 and response.json()["code"] == 124


def _signed(db, claims):
    from townhall.services.accounts import stored_secret_key

    return jwt.encode(claims, stored_secret_key(db), algorithm="HS256")


def test_token_names_its_scopes_by_digest(http, tenant):
    token = tenant.token()
    claims = jwt.decode(token, options={"verify_signature": False})
    assert "scp" not in claims and len(claims["sch"]) == 16
    assert len(token) < 400  # with the 218 scope names in it, 4 KB on every call


def test_token_whose_scopes_are_not_its_apps_is_124(http, db, make_tenant):
    reader = make_tenant("Reader", scopes=("zoom_events:read:list_hubs",))
    writer = make_tenant("Writer")
    claims = jwt.decode(reader.token(), options={"verify_signature": False})
    claims["sch"] = jwt.decode(writer.token(), options={"verify_signature": False})["sch"]  # the writer's scopes, signed
    for forged in (claims, {**claims, "cid": "no-such-app"}, {k: v for k, v in claims.items() if k != "sch"}):
        response = http.get("/v2/zoom_events/hubs?role_type=host", headers={"Authorization": f"Bearer {_signed(db, forged)}"})
        assert response.status_code == 401 and response.json()["code"] == 124


def test_token_with_its_scopes_listed_is_still_accepted(http, db, tenant):
    """Tokens issued before the digest carried the list (`scp`): they grant what it names."""
    claims = jwt.decode(tenant.token(), options={"verify_signature": False})
    del claims["sch"]
    headers = {"Authorization": f"Bearer {_signed(db, {**claims, 'scp': 'zoom_events:read:list_hubs'})}"}
    assert http.get("/v2/zoom_events/hubs?role_type=host", headers=headers).status_code == 200
    assert http.post("/v2/zoom_events/events", headers=headers, json={}).json()["code"] == 4711


def test_token_expires_after_an_hour(http, tenant, clock):
    token = tenant.token()
    headers = {"Authorization": f"Bearer {token}"}
    clock.advance(minutes=59)
    assert http.get("/v2/zoom_events/hubs?role_type=host", headers=headers).status_code == 200
    clock.advance(minutes=1, seconds=1)
    response = http.get("/v2/zoom_events/hubs?role_type=host", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"code": 124, "message": "Access token is expired."}


def test_token_without_the_scope_gets_4711(http, make_tenant):
    reader = make_tenant("Reader", scopes=("zoom_events:read:list_hubs",))
    headers = {"Authorization": f"Bearer {reader.token()}"}
    assert http.get("/v2/zoom_events/hubs?role_type=host", headers=headers).status_code == 200
    response = http.post("/v2/zoom_events/events", headers=headers, json={})
    assert response.status_code == 400
    assert response.json()["code"] == 4711
    assert "zoom_events:write:event" in response.json()["message"]


@pytest.mark.parametrize("scope", ["zoom_events_basic:write", "zoom_events:write:event", "zoom_events:write:event:admin"])
def test_classic_and_granular_scopes_both_grant(http, make_tenant, scope):
    writer = make_tenant("Writer", scopes=(scope,))
    headers = {"Authorization": f"Bearer {writer.token()}"}
    response = http.post("/v2/zoom_events/events", headers=headers, json={})
    assert response.status_code == 400 and response.json()["code"] == 300  # past the scope check


def test_every_api_route_has_scopes_in_the_spec(app):
    from townhall import spec

    table = spec.operation_scopes()
    for route in app.routes:
        if getattr(route, "path", "").startswith("/v2/"):
            for method in route.methods:
                assert (method, route.path) in table, f"{method} {route.path} is not in Zoom's spec"


def test_basic_header_is_decoded_like_zoom(http, tenant):
    encoded = base64.b64encode(f"{tenant.client_id}:{tenant.client_secret}".encode()).decode()
    response = http.post("/oauth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {encoded}"})
    assert response.status_code == 200
