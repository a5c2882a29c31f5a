"""create_app(settings): the only place that picks the concrete classes and wires them together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from townhall import __version__
from townhall.api import errors, events, hubs, oauth
from townhall.api.pagination import PageTokens
from townhall.clock import Clock, SystemClock
from townhall.config import Settings
from townhall.services.accounts import stored_secret_key
from townhall.services.auth import TokenService
from townhall.services.events import EventService
from townhall.services.hubs import HubService
from townhall.services.public import PublicService
from townhall.storage.db import make_engine
from townhall.storage.uow import Database
from townhall.web import pages


class NotInitialized(RuntimeError):
    pass


def create_app(settings: Settings | None = None, *, clock: Clock | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings()
    clock = clock or SystemClock()
    db = db or Database(make_engine(settings.database_url))
    secret_key = settings.secret_key or stored_secret_key(db)
    if not secret_key:
        raise NotInitialized("The database has not been initialized: run `townhall init` first.")

    app = FastAPI(
        title="townhall",
        version=__version__,
        description="A self-hosted events platform that speaks the Zoom Events API.",
        docs_url="/docs",
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.db = db
    app.state.tokens = TokenService(db, secret_key, clock)
    app.state.pages = PageTokens(secret_key, clock)
    app.state.events = EventService(db, clock)
    app.state.hubs = HubService(db, clock)
    app.state.public = PublicService(db)

    errors.install(app, pages.not_found)
    app.include_router(oauth.router)
    app.include_router(hubs.router)
    app.include_router(events.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=Path(pages.__file__).parent / "static"), name="static")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return app
