"""create_app(settings): the only place that picks the concrete classes and wires them together."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from starlette.routing import Route

from townhall import __version__
from townhall.api import (
    access_links, attendee_actions, coeditors, emails, errors, events, exhibitors, files, hubs, oauth, reports, session_attendance, session_extras, sessions, speakers, tickets,
    vod as vod_api,
)
from townhall.api.pagination import PageTokens
from townhall.clock import Clock, SystemClock
from townhall.config import RateLimits, Settings
from townhall.mail.transports import transport_for
from townhall.mail.worker import Loop, OutboxWorker
from townhall.services.accounts import stored_secret_key
from townhall.services.auth import TokenService
from townhall.services.events import EventService
from townhall.services.rate_limits import RateLimiter
from townhall.services.chat import ChatService
from townhall.services.custom_reports import CustomReportService
from townhall.services.surveys import SurveyService
from townhall.services.vod import VodService
from townhall.services.webhooks import WebhookScheduler
from townhall.services.hubs import HubService
from townhall.services.access_links import AccessLinkService
from townhall.services.checkins import CheckInService
from townhall.services.coeditors import CoeditorService
from townhall.services.emails import EmailService
from townhall.services.exhibitors import ExhibitorService
from townhall.services.files import FileService
from townhall.services.join import JoinService
from townhall.services.session_attendance import SessionAttendanceService
from townhall.services.session_extras import SessionExtras
from townhall.services.sessions import SessionService
from townhall.services.speakers import SpeakerService
from townhall.services.public import PublicService
from townhall.services.registration import RegistrationService
from townhall.services.reminders import ReminderScheduler
from townhall.services.reports import ReportService
from townhall.services.tickets import TicketService
from townhall.storage.checkpoint import Checkpointer
from townhall.storage.db import make_engine
from townhall.storage.uow import Database
from townhall.web import join, pages
from townhall.web import surveys as survey_pages
from townhall.web import vod as vod_pages
from townhall.web.csrf import Csrf

# FastAPI's native OpenTelemetry instrumentation, off unless the settings ask for it (config.py).
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


class NotInitialized(RuntimeError):
    pass


def configure_logging() -> None:
    logger = logging.getLogger("townhall")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def background_loops(db: Database, settings: Settings, clock: Clock) -> list[Loop]:
    """The outbox delivery loops, then the schedulers (reminders; session_ended webhooks and endpoint
    revalidation); safe to run in any number of processes.
    Each delivery loop claims its own batches, so that one sends while another claims or settles."""
    transport = transport_for(settings.smtp_url, settings.mail_dir)
    scheduler = ReminderScheduler(db, clock, settings.public_host)
    return [
        *(Loop(f"townhall-outbox-{i}", OutboxWorker(db, transport, settings, clock).run_once, settings.worker_poll_seconds)
          for i in range(max(1, settings.mail_loops))),
        Loop("townhall-reminders", scheduler.run_once, max(settings.worker_poll_seconds, 5.0)),
        Loop("townhall-webhooks", WebhookScheduler(db, clock).run_once, max(settings.worker_poll_seconds, 5.0)),
    ]


def configure_process() -> None:
    """Logging, and a shorter GIL switch interval: threads that wait on sockets or the database
    (SMTP connections, checkpoints, the loop's own I/O) must get the GIL back quickly after each
    wait; with Python's default 5 ms they queue behind whichever thread is computing."""
    configure_logging()
    sys.setswitchinterval(float(os.environ.get("TOWNHALL_SWITCH_INTERVAL", "0.0005")))


def freeze_startup_objects() -> None:
    """Everything built so far (modules, engines, templates) lives as long as the process: moved
    out of the garbage collector's sight, so that its full collections under load take
    milliseconds instead of a tenth of a second each (which every request in flight would wait
    for); a mail worker's CPU for 20,000 emails went 19.4 -> 17.8 s with it."""
    gc.collect()
    gc.freeze()


def collect_young_less_often() -> None:
    """The server's youngest generation is collected after 20,000 allocations instead of 700:
    with 64 requests in flight, 700 came round every few requests and moved their live objects
    on to the older generations, to be scanned again there (a registration 109 -> 100 us
    in-process, a join 67 -> 63 us; over HTTP 3-8% less server CPU a registration). Not measured
    on the mail workers, which keep Python's default."""
    gc.set_threshold(20_000, 20, 20)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None, db: Database | None = None) -> FastAPI:
    configure_process()
    settings = settings or Settings()
    clock = clock or SystemClock()
    db = db or Database(make_engine(settings.database_url))
    secret_key = settings.secret_key or stored_secret_key(db)
    if not secret_key:
        raise NotInitialized("The database has not been initialized: run `townhall init` first.")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        freeze_startup_objects()
        collect_young_less_often()
        checkpointer = Checkpointer(db.engine).start()
        loops = background_loops(db, settings, clock) if settings.run_worker else []
        for loop in loops:
            loop.start()
        yield
        for loop in loops:
            loop.stop()
        app.state.join.close()
        app.state.registration.close()
        checkpointer.stop()

    app = FastAPI(
        title="townhall",
        version=__version__,
        description="A self-hosted events platform that speaks the Zoom Events API.",
        docs_url="/docs",
        lifespan=lifespan,
        telemetry=None if settings.opentelemetry else NO_TELEMETRY,
    )
    domain = settings.public_host
    state = app.state
    state.settings, state.clock, state.db = settings, clock, db
    state.tokens = TokenService(db, secret_key, clock)
    state.rate_limiter = RateLimiter(db, clock, settings.rate_limits.value) if settings.rate_limits is not RateLimits.off else None
    state.pages = PageTokens(secret_key, clock)
    state.csrf = Csrf(secret_key)
    state.events = EventService(db, clock, domain)
    state.hubs = HubService(db, clock)
    state.public = PublicService(db)
    state.registration = RegistrationService(db, clock, domain)
    state.tickets = TicketService(db, clock)
    state.join = JoinService(db, clock)
    state.speakers = SpeakerService(db, clock)
    state.exhibitors = ExhibitorService(db, clock)
    state.emails = EmailService(db, clock)
    state.coeditors = CoeditorService(db, clock)
    state.checkins = CheckInService(db, clock)
    state.sessions = SessionService(db, clock, secret_key)
    state.session_attendance = SessionAttendanceService(db, clock)
    state.files = FileService(db, clock, settings.files_dir)
    state.access_links = AccessLinkService(db, clock)
    state.session_extras = SessionExtras(db, clock, settings.rtmp_url or f"rtmp://{settings.public_host}/live")
    state.reports = ReportService(db, clock)
    state.vod = VodService(db, clock, settings.public_url)
    state.chat = ChatService(db, clock)
    state.surveys = SurveyService(db, clock)
    state.custom_reports = CustomReportService(db, clock)

    errors.install(app, pages.not_found)
    routers = (oauth, hubs, events, tickets, speakers, exhibitors, emails, coeditors, attendee_actions, sessions, session_extras,
               session_attendance, files, access_links, reports, vod_api, pages, join, vod_pages, survey_pages)
    for module in routers:
        app.include_router(module.router)
    # The hot paths (registration, join links) also as plain Starlette routes, first in line: their
    # endpoints take only the Request, so FastAPI's per-request machinery (route search through
    # every API route, dependency solving, exit stacks) would do nothing for them but cost a fifth
    # of their time. The FastAPI routes stay for the OpenAPI document.
    # /healthz is first in line too: it is the benchmarks' measure of the HTTP stack's ceiling, which
    # a route searched for behind every API route would understate (by five times, measured).
    app.router.routes[0:0] = [
        Route("/healthz", _healthz, methods=["GET"], include_in_schema=False),
        Route(tickets.TICKETS_PATH, tickets.create_tickets, methods=["POST"], include_in_schema=False),
        Route("/j/{token}", join.join, methods=["GET"], include_in_schema=False),
    ]
    app.mount("/static", StaticFiles(directory=Path(pages.__file__).parent / "static"), name="static")
    return app


async def _healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})
