"""A webhook endpoint written the way Zoom's documentation shows it, as a real HTTP server.

Zoom's sample (Node, Express) verifies each request with
    message = `v0:${req.headers['x-zm-request-timestamp']}:${JSON.stringify(req.body)}`
    signature = `v0=${HMAC_SHA256(secret, message).hex}`
and answers the `endpoint.url_validation` challenge with plainToken and its HMAC. JSON.stringify
of the parsed body is compact JSON with non-ASCII as it is: json.dumps(..., separators=(",", ":"),
ensure_ascii=False) in Python. A request that fails verification gets 401 and is kept apart."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    event: str
    body: dict[str, Any]
    raw: bytes
    headers: dict[str, str]


@dataclass
class Receiver:
    secret: str
    url: str = ""
    verified: list[Received] = field(default_factory=list)
    rejected: list[bytes] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # statuses to answer next (then 200)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self) -> list[str]:
        with self.lock:
            return [r.event for r in self.verified if r.event != "endpoint.url_validation"]

    def of(self, event: str) -> list[Received]:
        with self.lock:
            return [r for r in self.verified if r.event == event]


def _stringify(body: Any) -> str:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def _hmac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


@contextmanager
def webhook_receiver(secret: str) -> Iterator[Receiver]:
    receiver = Receiver(secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server API)
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            with receiver.lock:
                forced = receiver.answers.pop(0) if receiver.answers else None
            if forced is not None:
                return self._answer(forced, b"")
            try:
                body = json.loads(raw)
            except ValueError:
                receiver.rejected.append(raw)
                return self._answer(400, b"")
            message = f"v0:{self.headers.get('x-zm-request-timestamp')}:{_stringify(body)}"
            if self.headers.get("x-zm-signature") != f"v0={_hmac(receiver.secret, message)}":
                receiver.rejected.append(raw)
                return self._answer(401, b"")
            with receiver.lock:
                receiver.verified.append(Received(body.get("event"), body, raw, {k.lower(): v for k, v in self.headers.items()}))
            if body.get("event") == "endpoint.url_validation":
                plain = body["payload"]["plainToken"]
                answer = {"plainToken": plain, "encryptedToken": _hmac(receiver.secret, plain)}
                return self._answer(200, json.dumps(answer).encode())
            self._answer(200, b"")

        def _answer(self, status: int, content: bytes) -> None:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/zoom/webhooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
