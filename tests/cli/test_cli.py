"""The `townhall` command in the exact forms scripts depend on, as a real process."""

import json

import httpx

from tests.server import free_port, server_env, townhall

KEYS = {"account_id", "client_id", "client_secret", "hub_id", "base_url"}


def test_help_works_without_a_database(tmp_path):
    env = server_env(f"sqlite:///{tmp_path}/missing/none.db", 8000)
    for args in (["--help"], ["init", "--help"], ["serve", "--help"], ["credentials", "create", "--help"], ["accounts", "create", "--help"]):
        result = townhall(*args, env=env)
        assert "Usage" in result.stdout
    assert not (tmp_path / "missing").exists()


def test_init_is_idempotent_and_prints_the_secret_once(fresh_database_url):
    env = server_env(fresh_database_url, 8000)
    first = json.loads(townhall("init", "--json", env=env).stdout)
    assert set(first) == KEYS and first["client_secret"] and first["base_url"] == "http://127.0.0.1:8000"
    second = json.loads(townhall("init", "--json", env=env).stdout)
    assert second == {**first, "client_secret": None}
    text = townhall("init", env=env).stdout
    assert first["client_id"] in text and "http://127.0.0.1:8000/oauth/token" in text


def test_credentials_and_accounts_create(fresh_database_url):
    env = server_env(fresh_database_url, 8000)
    base = json.loads(townhall("init", "--json", env=env).stdout)
    app = json.loads(townhall("credentials", "create", "--name", "ci", "--scope", "zoom_events:read:list_hubs", "--json", env=env).stdout)
    assert set(app) == KEYS and app["account_id"] == base["account_id"] and app["client_id"] != base["client_id"]
    assert app["client_secret"]
    other = json.loads(townhall("accounts", "create", "--name", "Globex", "--json", env=env).stdout)
    assert set(other) == KEYS and other["account_id"] != base["account_id"] and other["hub_id"] != base["hub_id"]


def test_unknown_scope_is_refused(fresh_database_url):
    env = server_env(fresh_database_url, 8000)
    townhall("init", "--json", env=env)
    result = townhall("credentials", "create", "--name", "x", "--scope", "everything", env=env, check=False)
    assert result.returncode != 0 and "Unknown scopes: everything" in result.stderr


def test_serve_refuses_an_uninitialized_database(tmp_path):
    env = server_env(f"sqlite:///{tmp_path}/empty.db", 8000)
    result = townhall("serve", "--port", str(free_port()), env=env, check=False)
    assert result.returncode == 1 and "townhall init" in result.stderr


def test_commands_on_a_database_they_cannot_use_say_what_to_do(tmp_path):
    """One line on stderr and exit 1, never a traceback: not initialized, an older schema, a
    database that cannot be reached."""
    from townhall.storage.db import make_engine
    from townhall.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path}/empty.db"
    for args in (["webhooks", "list"], ["worker", "--once"]):
        result = townhall(*args, env=server_env(url, 8000), check=False)
        assert result.returncode == 1 and result.stderr.strip() == "The database is not initialized: run `townhall init` first."
    engine = make_engine(url)
    upgrade(engine, "0017")
    engine.dispose()
    for args in (["accounts", "create", "--name", "Globex"], ["serve", "--port", str(free_port())]):
        result = townhall(*args, env=server_env(url, 8000), check=False)
        assert result.returncode == 1 and "run `townhall migrate`" in result.stderr and "Traceback" not in result.stderr
    assert townhall("migrate", env=server_env(url, 8000)).stdout.strip() == "Database schema is up to date."
    unreachable = server_env(f"postgresql://someone:hunter2@127.0.0.1:{free_port()}/nowhere", 8000)
    result = townhall("reports", "custom", "list", env=unreachable, check=False)
    assert result.returncode == 1 and result.stderr.startswith("The database postgresql://someone:***@127.0.0.1:")
    assert "could not be used" in result.stderr and "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_issued_credentials_work_on_a_served_api(fresh_database_url):
    from tests.server import running_server

    with running_server(fresh_database_url) as server:
        app = json.loads(townhall("credentials", "create", "--name", "ci", "--scope", "zoom_events:read:list_hubs", "--json", env=server.env).stdout)
        token = httpx.post(f"{server.base_url}/oauth/token", data={"grant_type": "client_credentials"}, auth=(app["client_id"], app["client_secret"])).json()
        assert token["scope"] == "zoom_events:read:list_hubs"
        hubs = httpx.get(f"{server.base_url}/v2/zoom_events/hubs", params={"role_type": "host"}, headers={"Authorization": f"Bearer {token['access_token']}"})
        assert hubs.json()["hubs"][0]["hub_id"] == app["hub_id"]
        assert httpx.get(f"{server.base_url}/docs").status_code == 200


def _register(server, name, emails):
    """A published event on the server, with these people registered through the API."""
    from townhall.client import ZoomEvents

    creds = server.credentials
    sdk = ZoomEvents(server.base_url, creds["client_id"], creds["client_secret"])
    event = sdk.create_event(hub_id=creds["hub_id"], name=name, timezone="UTC", event_type="SIMPLE_EVENT",
                             access_level="PRIVATE_UNRESTRICTED", meeting_type="MEETING", attendance_type="virtual",
                             calendar=[{"start_time": "2036-01-01T10:00:00Z", "end_time": "2036-01-01T11:00:00Z"}])
    sdk.publish_event(event["event_id"])
    sdk.request("POST", f"/zoom_events/events/{event['event_id']}/tickets", json={"tickets": [{"email": e} for e in emails]})


def test_worker_once_delivers_the_outbox(fresh_database_url, smtp):
    from tests.server import running_server

    with running_server(fresh_database_url, TOWNHALL_RUN_WORKER="false") as server:
        _register(server, "Worker test", ["w@example.com"])
        assert smtp.messages == []  # the server runs no worker
        townhall("worker", "--once", env={**server.env, "TOWNHALL_SMTP_URL": smtp.url})
        assert [m["Subject"] for m in smtp.to("w@example.com")] == ["You're registered: Worker test"]


def test_a_worker_alone_copies_sqlites_log_back_into_the_database(tmp_path, smtp):
    """With no server running, `townhall worker` checkpoints SQLite's log as the server does: its
    deliveries reach the database file itself, not only the log, which would otherwise grow for
    as long as the worker runs (read here from the file alone, the log ignored). SIGTERM then
    stops it cleanly."""
    import sqlite3
    import subprocess
    import time

    from tests.server import TOWNHALL, running_server

    path = tmp_path / "alone.db"
    with running_server(f"sqlite:///{path}", TOWNHALL_RUN_WORKER="false") as server:
        _register(server, "Alone", [f"p{i}@example.com" for i in range(20)])
        env = {**server.env, "TOWNHALL_SMTP_URL": smtp.url, "TOWNHALL_WORKER_POLL_SECONDS": "0.2"}

    def sent_in_the_file() -> int:
        with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as connection:
            return connection.execute("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").fetchone()[0]

    assert sent_in_the_file() == 0
    worker = subprocess.Popen([TOWNHALL, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while len(smtp.messages) < 20 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(smtp.messages) == 20
        while sent_in_the_file() < 20 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert worker.poll() is None  # still running: its own checkpoints put the deliveries there
        assert sent_in_the_file() == 20
    finally:
        worker.terminate()
        stopped = worker.wait(30)
    assert stopped == 0  # SIGTERM stops it as Ctrl+C does, not in the middle of whatever it was doing
