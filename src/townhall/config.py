"""Settings: read from the environment in this one place."""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from urllib.parse import urlsplit

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class StatusStyle(str, Enum):
    tutorial = "tutorial"
    zoom = "zoom"


class RateLimits(str, Enum):
    off = "off"
    pro = "pro"
    business = "business"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOWNHALL_", extra="ignore")

    database_url: str = "sqlite:///./townhall.db"
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str | None = None
    status_style: StatusStyle = StatusStyle.tutorial
    # Zoom's per-account API rate limits of a plan (pro, business), counted across the fleet; off by default.
    rate_limits: RateLimits = RateLimits.off
    # Mail: SMTP when set (smtp://user:pass@host:port, ?starttls=true or smtps://), else .eml files.
    smtp_url: str | None = None
    mail_from: str | None = None
    mail_dir: str = "./townhall-mail"
    # Where uploaded files are kept (POST /v2/zoom_events/files); every server of a fleet must see the same one.
    files_dir: str = "./townhall-files"
    # Where a live event's join link sends people; {event_id} is filled in. Unset: townhall's own room.
    room_url_template: str | None = None
    # The RTMP ingest that sessions' incoming livestream keys are for (townhall serves the keys,
    # an RTMP server such as nginx-rtmp or MediaMTX takes the stream). Unset: rtmp://<public host>/live.
    rtmp_url: str | None = None
    # Run the outbox worker and the reminder scheduler inside `townhall serve`.
    run_worker: bool = True
    worker_poll_seconds: float = 1.0
    # First wait before trying a temporarily refused email again; it doubles up to an hour.
    mail_retry_seconds: float = 30.0
    # How long a worker owns the emails it claimed; a worker that died is taken over after this.
    mail_lease_seconds: float = 300.0
    # SMTP connections each worker keeps open at once, and how many emails it claims at a time.
    mail_connections: int = 4
    mail_batch: int = 400
    # Delivery loops per process: while one talks to the database, the other's connections send.
    mail_loops: int = 2
    # FastAPI's own OpenTelemetry instrumentation (a span, metrics and logs for each request),
    # through the process's global providers, which an OpenTelemetry SDK set up around the server
    # provides. Off by default: with no providers, FastAPI still looked for them on every request
    # (bench/inprocess.py: a health check 25 -> 19.5 us, a join 78 -> 73 us, the registration
    # endpoint 61-72 -> 54-57 us).
    opentelemetry: bool = False

    @property
    def public_host(self) -> str:
        return _hostname(self.public_url)

    @property
    def sender(self) -> str:
        return self.mail_from or f"townhall <no-reply@{self.public_host}>"

    @field_validator("public_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("status_style", "rate_limits", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value


@lru_cache(maxsize=16)
def _hostname(url: str) -> str:
    """The host of a URL, parsed once: every email asks for it several times."""
    return urlsplit(url).hostname or "localhost"
