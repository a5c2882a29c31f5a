"""The `townhall` command: thin wrappers over services; heavy imports happen inside each command."""

from __future__ import annotations

import json
import signal
from typing import Annotated, Optional

import typer

app = typer.Typer(help="townhall: a self-hosted events platform that speaks the Zoom Events API.", no_args_is_help=True)
credentials_app = typer.Typer(help="OAuth apps (client id and secret) of an account.", no_args_is_help=True)
accounts_app = typer.Typer(help="Accounts: each with its own owner, hub and OAuth app.", no_args_is_help=True)
app.add_typer(credentials_app, name="credentials")
app.add_typer(accounts_app, name="accounts")
webhooks_app = typer.Typer(help="Webhook subscriptions: endpoints that receive zoom_events.* events, signed as Zoom signs them.",
                           no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")
reports_app = typer.Typer(help="Reports read through the API.", no_args_is_help=True)
custom_reports_app = typer.Typer(help="Custom report templates (GET .../reports/custom_reports/{id}).", no_args_is_help=True)
reports_app.add_typer(custom_reports_app, name="custom")
app.add_typer(reports_app, name="reports")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]


def _context(*, ready: bool = True):  # type: ignore[no-untyped-def]
    """Settings, database and clock for a command; with `ready`, the database must hold this
    townhall's schema (main() turns the SchemaNotReady raised otherwise into a one-line message)."""
    from townhall.clock import SystemClock
    from townhall.config import Settings
    from townhall.storage.db import make_engine
    from townhall.storage.migrate import check_schema
    from townhall.storage.uow import Database

    settings = Settings()
    db = Database(make_engine(settings.database_url))
    if ready:
        check_schema(db.engine)
    return settings, db, SystemClock()


def _report(creds, settings, as_json: bool, title: str) -> None:  # type: ignore[no-untyped-def]
    data = {
        "account_id": creds.account_id,
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "hub_id": creds.hub_id,
        "base_url": settings.public_url,
    }
    if as_json:
        typer.echo(json.dumps(data))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_header=False)
    table.add_row("Account ID", creds.account_id)
    table.add_row("Client ID", creds.client_id)
    table.add_row("Client secret", creds.client_secret or "(not shown: only printed when it is created)")
    table.add_row("Hub ID", creds.hub_id)
    table.add_row("Base URL", settings.public_url)
    table.add_row("Token URL", f"{settings.public_url}/oauth/token")
    table.add_row("API base", f"{settings.public_url}/v2/zoom_events")
    table.add_row("API docs", f"{settings.public_url}/docs")
    Console().print(table)


@app.command()
def init(as_json: JsonFlag = False) -> None:
    """Migrate the database and create the default account, hub and OAuth app when absent."""
    from townhall import spec
    from townhall.services import accounts
    from townhall.storage.migrate import upgrade

    settings, db, clock = _context(ready=False)
    upgrade(db.engine)
    if not settings.secret_key:
        accounts.ensure_secret_key(db)
    creds = accounts.first_account_credentials(db)
    if creds is None:
        creds = accounts.create_account(db, clock, "Default account", spec.all_scopes())
    _report(creds, settings, as_json, "townhall is initialized")


@app.command()
def migrate() -> None:
    """Upgrade the database schema to the latest version."""
    from townhall.storage.migrate import upgrade

    _, db, _ = _context(ready=False)
    upgrade(db.engine)
    typer.echo("Database schema is up to date.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes.")] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request (leave it to the reverse proxy under heavy load).")] = True,
) -> None:
    """Serve the API and the public pages."""
    import uvicorn

    from townhall.services.accounts import stored_secret_key

    settings, db, _ = _context()
    initialized = bool(settings.secret_key) or bool(stored_secret_key(db))
    db.dispose()
    if not initialized:
        typer.echo("The database is not initialized: run `townhall init` first.", err=True)
        raise typer.Exit(1)
    typer.echo(f"townhall serving on http://{host}:{port} (public URL {settings.public_url})")
    # Idle keep-alive connections are closed after 75 s (nginx's default), not uvicorn's 5 s: at 5 s,
    # a client (or proxy) whose own limit is also about 5 s can send its next request just as the
    # server closes the connection, and that request is lost (seen in registration rushes with
    # several processes, whose loops fall behind while they wait for SQLite's write lock).
    uvicorn.run("townhall.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info", access_log=access_log,
                timeout_keep_alive=75)


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Handle what is due now, then exit.")] = False,
) -> None:
    """Deliver the outbox and queue reminders, without serving HTTP (run as many as you like)."""
    from townhall.app import background_loops, configure_process, freeze_startup_objects
    from townhall.mail.transports import transport_for
    from townhall.mail.worker import OutboxWorker
    from townhall.services.reminders import ReminderScheduler
    from townhall.storage.checkpoint import Checkpointer

    configure_process()
    settings, db, clock = _context()
    freeze_startup_objects()
    if once:
        ReminderScheduler(db, clock, settings.public_host).run_once()
        outbox = OutboxWorker(db, transport_for(settings.smtp_url, settings.mail_dir), settings, clock)
        while outbox.run_once():
            pass
        return
    loops = background_loops(db, settings, clock)
    # On SQLite, commits leave the log to be copied back by a checkpointer (storage/db.py): a
    # worker runs one as the server does, or with no server running its deliveries grew the log
    # for as long as it ran (26 MB for 20,000 emails, every page read searching it).
    checkpointer = Checkpointer(db.engine).start()
    typer.echo("townhall worker running (Ctrl+C to stop)")
    # SIGTERM (systemd's stop, `kill`) ends it as Ctrl+C does: the delivery batch in hand is
    # finished and recorded, then the loops and the checkpointer stop. It used to end the process
    # at once, leaving its claimed rows to wait out their lease.
    signal.signal(signal.SIGTERM, lambda *_: loops[0].request_stop())
    for loop in loops[1:]:
        loop.start()
    try:
        loops[0].run_in_foreground()
    except KeyboardInterrupt:
        pass
    finally:
        for loop in loops[1:]:
            loop.stop()
        checkpointer.stop()


@credentials_app.command("create")
def credentials_create(
    name: Annotated[str, typer.Option(help="A name for the OAuth app.")],
    scope: Annotated[Optional[list[str]], typer.Option(help="A scope to grant; repeat for more. Default: every Zoom Events scope.")] = None,
    account_id: Annotated[Optional[str], typer.Option(help="Account to issue it for. Default: the first account.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Issue another OAuth app (client id and secret)."""
    from townhall import spec
    from townhall.services import accounts

    settings, db, clock = _context()
    unknown = sorted(set(scope or ()) - set(spec.all_scopes()))
    if unknown:
        typer.echo(f"Unknown scopes: {', '.join(unknown)}", err=True)
        raise typer.Exit(2)
    account_id = _account_or_exit(db, account_id)
    creds = accounts.create_credentials(db, clock, account_id, name, scope or spec.all_scopes())
    _report(creds, settings, as_json, f"OAuth app {name!r} created")


@accounts_app.command("create")
def accounts_create(
    name: Annotated[str, typer.Option(help="The account's name.")],
    owner_email: Annotated[Optional[str], typer.Option(help="The owner's email address.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Create another account with its own owner, hub and OAuth app."""
    from townhall import spec
    from townhall.services import accounts

    settings, db, clock = _context()
    creds = accounts.create_account(db, clock, name, spec.all_scopes(), owner_email)
    _report(creds, settings, as_json, f"Account {name!r} created")


def _account_or_exit(db, account_id: str | None) -> str:  # type: ignore[no-untyped-def]
    from townhall.services import accounts

    if account_id is None:
        first = accounts.first_account_credentials(db)
        if first is None:
            typer.echo("No account yet: run `townhall init` first.", err=True)
            raise typer.Exit(1)
        return first.account_id
    if not accounts.account_exists(db, account_id):
        typer.echo(f"No account {account_id}.", err=True)
        raise typer.Exit(1)
    return account_id


def _subscription_json(sub) -> dict:  # type: ignore[no-untyped-def]
    from townhall.domain.schedule import format_utc

    return {"id": sub.id, "account_id": sub.account_id, "url": sub.url, "events": sub.events,
            "created_at": format_utc(sub.created_at), "validated_at": format_utc(sub.validated_at),
            "disabled_at": format_utc(sub.disabled_at)}


@webhooks_app.command("add")
def webhooks_add(
    url: Annotated[str, typer.Argument(help="The endpoint (http or https) that receives the webhooks.")],
    secret: Annotated[str, typer.Option(help="The secret token the webhooks are signed with (x-zm-signature).")],
    event: Annotated[Optional[list[str]], typer.Option(help="An event type, e.g. zoom_events.ticket_created; repeat for more. Default: all 21.")] = None,
    account_id: Annotated[Optional[str], typer.Option(help="Whose events. Default: the first account.")] = None,
    validate: Annotated[bool, typer.Option(help="Check the endpoint with Zoom's endpoint.url_validation challenge first.")] = True,
    as_json: JsonFlag = False,
) -> None:
    """Subscribe an endpoint, after it answered Zoom's url_validation challenge."""
    from townhall.services import webhooks

    settings, db, clock = _context()
    sender = webhooks.WebhookSender(clock)
    try:
        sub = webhooks.add(db, clock, sender, _account_or_exit(db, account_id), url, list(event or ()), secret, validate=validate)
    except webhooks.WebhookError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    finally:
        sender.close()
    if as_json:
        typer.echo(json.dumps(_subscription_json(sub)))
        return
    typer.echo(f"Subscribed {sub.url} to {len(sub.events)} event type{'s' if len(sub.events) != 1 else ''}: id {sub.id}")


@webhooks_app.command("list")
def webhooks_list(
    account_id: Annotated[Optional[str], typer.Option(help="Only this account's subscriptions.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """The subscriptions, oldest first."""
    from townhall.services import webhooks

    _, db, _ = _context()
    subs = webhooks.list_all(db, account_id)
    if as_json:
        typer.echo(json.dumps([_subscription_json(sub) for sub in subs]))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Webhook subscriptions")
    table.add_column("ID", no_wrap=True)  # whole, to be copied into `townhall webhooks remove`
    for column in ("URL", "Events", "Validated", "State"):
        table.add_column(column, overflow="fold")
    for sub in subs:
        events = "all" if len(sub.events) == 21 else ", ".join(e.removeprefix("zoom_events.") for e in sub.events)
        table.add_row(sub.id, sub.url, events, _subscription_json(sub)["validated_at"] or "never",
                      "disabled" if sub.disabled_at else "active")
    Console().print(table)


@webhooks_app.command("remove")
def webhooks_remove(subscription_id: Annotated[str, typer.Argument(help="The subscription's id (see `townhall webhooks list`).")]) -> None:
    """Remove a subscription; nothing more is sent to it."""
    from townhall.services import webhooks

    _, db, _ = _context()
    if not webhooks.remove(db, subscription_id):
        typer.echo(f"No webhook subscription {subscription_id}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Removed webhook subscription {subscription_id}.")


def _template_json(template) -> dict:  # type: ignore[no-untyped-def]
    from townhall.domain.schedule import format_utc

    return {"id": template.id, "event_id": template.event_id, "name": template.name, "columns": template.columns,
            "created_at": format_utc(template.created_at)}


@custom_reports_app.command("add")
def custom_reports_add(
    event_id: Annotated[str, typer.Argument(help="The event the report is about.")],
    name: Annotated[str, typer.Option(help="The report's name.")],
    column: Annotated[Optional[list[str]], typer.Option(help="A column, e.g. email or sessions; repeat for more. Default: all.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Make a custom report template of an event; its id reads it through the API."""
    from townhall.domain.errors import DomainError, ValidationFailed
    from townhall.services.custom_reports import CustomReportService

    _, db, clock = _context()
    try:
        template = CustomReportService(db, clock).add(event_id, name, list(column or ()))
    except ValidationFailed as exc:
        typer.echo(exc.errors[0].message, err=True)
        raise typer.Exit(1) from None
    except DomainError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(_template_json(template)))
        return
    typer.echo(f"Custom report {template.name!r}: id {template.id} "
               f"(GET /v2/zoom_events/events/{template.event_id}/reports/custom_reports/{template.id})")


@custom_reports_app.command("list")
def custom_reports_list(
    event_id: Annotated[Optional[str], typer.Option(help="Only this event's templates.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """The custom report templates, oldest first."""
    from townhall.services.custom_reports import CustomReportService

    _, db, clock = _context()
    templates = CustomReportService(db, clock).list(event_id)
    if as_json:
        typer.echo(json.dumps([_template_json(t) for t in templates]))
        return
    for t in templates:
        typer.echo(f"{t.id}  {t.event_id}  {t.name}  ({', '.join(t.columns)})")


@custom_reports_app.command("remove")
def custom_reports_remove(report_id: Annotated[str, typer.Argument(help="The template's id.")]) -> None:
    """Remove a custom report template."""
    from townhall.services.custom_reports import CustomReportService

    _, db, clock = _context()
    if not CustomReportService(db, clock).remove(report_id):
        typer.echo(f"No custom report {report_id}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Removed custom report {report_id}.")


def main() -> None:
    try:
        app()
    except Exception as exc:
        problem = _database_problem(exc)
        if problem is None:
            raise
        typer.echo(problem, err=True)
        raise SystemExit(1) from None


def _database_problem(exc: Exception) -> str | None:
    """One line for a database that cannot be used (not initialized, another schema, not
    reachable), instead of a traceback: these are the operator's to fix, not townhall's bugs."""
    import sys

    migrate = sys.modules.get("townhall.storage.migrate")
    if migrate is not None and isinstance(exc, migrate.SchemaNotReady):
        return str(exc)
    alembic_util = sys.modules.get("alembic.util")
    if alembic_util is not None and isinstance(exc, alembic_util.CommandError):  # `townhall migrate` on a newer schema
        return f"The database could not be migrated: {exc}"
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(exc, (sqlalchemy_exc.OperationalError, sqlalchemy_exc.InterfaceError)):
        from sqlalchemy.engine import make_url

        from townhall.config import Settings

        url = make_url(Settings().database_url).render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return f"The database {url} could not be used: {reason}"
    return None
