"""ZoomEvents: token handling, Zoom's error shapes and pagination over an injectable httpx.Client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx


class ZoomEventsError(Exception):
    """An error answer: HTTP status plus Zoom's code, message and (for validation) the field errors."""

    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body if isinstance(body, dict) else {}
        self.code = self.body.get("code")
        self.error = self.body.get("error")  # OAuth errors carry `error` and `reason` instead
        self.message = self.body.get("message") or self.body.get("reason") or str(body)
        self.errors = self.body.get("errors", [])
        super().__init__(f"HTTP {status}, code {self.code or self.error}: {self.message}")


class ZoomEvents:
    """A client for one set of OAuth credentials. `base_url` replaces both https://zoom.us and
    https://api.zoom.us (townhall serves both on one origin); pass `api_url` when they differ."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        account_id: str | None = None,
        api_url: str | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_url = (api_url or base_url).rstrip("/")
        self._credentials = (client_id, client_secret)
        self._account_id = account_id
        self._http = http or httpx.Client(timeout=30)
        self._token: str | None = None

    # -- authentication -------------------------------------------------------------------
    def authenticate(self) -> dict[str, Any]:
        data = {"grant_type": "account_credentials", "account_id": self._account_id} if self._account_id else {"grant_type": "client_credentials"}
        response = self._http.post(f"{self.base_url}/oauth/token", data=data, auth=self._credentials)
        body = _json(response)
        if response.status_code != 200:
            raise ZoomEventsError(response.status_code, body)
        self._token = body["access_token"]
        return body

    def request(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None) -> Any:
        """Call /v2{path}; returns the decoded body, or None for 204. Re-authenticates once on expiry."""
        for attempt in (1, 2):
            if self._token is None:
                self.authenticate()
            response = self._http.request(
                method, f"{self.api_url}/v2{path}", json=json,
                params={k: v for k, v in (params or {}).items() if v is not None},
                headers={"Authorization": f"Bearer {self._token}"},
            )
            if response.status_code == 401 and attempt == 1:
                self._token = None
                continue
            break
        if response.status_code == 204:
            return None
        body = _json(response)
        if response.status_code >= 400:
            raise ZoomEventsError(response.status_code, body)
        return body

    def paginate(self, path: str, key: str, params: dict[str, Any] | None = None, page_size: int = 30) -> Iterator[dict[str, Any]]:
        params = dict(params or {}, page_size=page_size)
        while True:
            page = self.request("GET", path, params=params)
            yield from page.get(key, [])
            if not page.get("next_page_token"):
                return
            params["next_page_token"] = page["next_page_token"]

    # -- hubs -----------------------------------------------------------------------------
    def list_hubs(self, role_type: str = "host") -> list[dict[str, Any]]:
        return self.request("GET", "/zoom_events/hubs", params={"role_type": role_type})["hubs"]

    def list_hub_hosts(self, hub_id: str, page_size: int = 30) -> Iterator[dict[str, Any]]:
        return self.paginate(f"/zoom_events/hubs/{hub_id}/hosts", "hosts", page_size=page_size)

    def add_hub_host(self, hub_id: str, email: str) -> str:
        return self.request("POST", f"/zoom_events/hubs/{hub_id}/hosts", json={"email": email})["host_user_id"]

    def remove_hub_host(self, hub_id: str, host_user_id: str) -> None:
        self.request("DELETE", f"/zoom_events/hubs/{hub_id}/hosts/{host_user_id}")

    # -- events ---------------------------------------------------------------------------
    def create_event(self, **fields: Any) -> dict[str, Any]:
        return self.request("POST", "/zoom_events/events", json=fields)

    def get_event(self, event_id: str) -> dict[str, Any]:
        return self.request("GET", f"/zoom_events/events/{event_id}")

    def list_events(self, role_type: str = "host", event_status_type: str = "upcoming", page_size: int = 30) -> Iterator[dict[str, Any]]:
        params = {"role_type": role_type, "event_status_type": event_status_type}
        return self.paginate("/zoom_events/events", "events", params, page_size)

    def update_event(self, event_id: str, **fields: Any) -> None:
        self.request("PATCH", f"/zoom_events/events/{event_id}", json=fields)

    def delete_event(self, event_id: str) -> None:
        self.request("DELETE", f"/zoom_events/events/{event_id}")

    def event_action(self, event_id: str, operation: str, **extra: Any) -> dict[str, Any]:
        return self.request("POST", f"/zoom_events/events/{event_id}/event_actions", json={"operation": operation, **extra})

    def publish_event(self, event_id: str) -> dict[str, Any]:
        return self.event_action(event_id, "publish")

    def cancel_event(self, event_id: str, cancel_message: str | None = None) -> dict[str, Any]:
        extra = {"cancel_message": cancel_message} if cancel_message is not None else {}
        return self.event_action(event_id, "cancel", **extra)

    def duplicate_event(self, event_id: str, **duplicate_event: Any) -> dict[str, Any]:
        return self.event_action(event_id, "duplicate", duplicate_event=duplicate_event)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {"message": response.text}
