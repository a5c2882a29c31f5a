"""The registration-rush benchmarks: `make bench` runs them and writes bench/README.md.

For each database (SQLite file, PostgreSQL), on one fresh `townhall serve` process on loopback:
  1. GET /healthz with wrk: the ceiling of the HTTP stack on this machine;
  2. one WEBINAR event filled to 100,000 registrants through POST .../tickets, one ticket per
     request, unique emails, 64 connections (wrk), measured in windows: at 1,000 registrants
     (registrations 1,000-11,000) and at 100,000 (90,000-99,000), with the fill in between;
  3. the join rush: all 100,000 personal join links opened once, on the live event (303 to the
     room; attendance recorded and then counted in the database);
  4. the mail run: the 100,000 confirmations in the outbox delivered by `townhall worker`
     processes to a local SMTP server (aiosmtpd), timed until the outbox is empty.
Every step is bounded by wrk's duration or a timeout and stops by itself."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg
from report import write_readme  # bench/report.py, next to this file

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
TOWNHALL = str(BIN / "townhall")
PG_SERVER = os.environ.get("TOWNHALL_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
CONNECTIONS, THREADS = 64, 1
CAPACITY = 100_000  # a WEBINAR's seats
# On a machine of several cores, wrk keeps to the first and the server to the others, so that the
# scheduler does not take turns between them: with wrk's threads and the server sharing two cores,
# a server or wrk thread waiting for its turn added a tenth of a second to one request in a hundred
# (seen here), which measured the machine, not townhall. One wrk thread drives 64 connections.
CPUS = os.cpu_count() or 1
LOAD_CPUS = ["taskset", "-c", "0"] if CPUS > 1 and shutil.which("taskset") else []
SERVER_CPUS = ["taskset", "-c", f"1-{CPUS - 1}"] if LOAD_CPUS else []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_times() -> dict[str, list[int]]:
    """Per-CPU jiffies from /proc/stat (user nice system idle iowait irq softirq steal ...)."""
    with open("/proc/stat") as stat:
        return {f[0]: [int(x) for x in f[1:9]] for f in (line.split() for line in stat) if re.fullmatch(r"cpu\d+", f[0])}


def steal_percent(before: dict[str, list[int]], after: dict[str, list[int]]) -> dict[str, float]:
    """The share of each CPU's time the hypervisor gave to someone else (steal) meanwhile: when it
    is high, the machine, not the software, shaped the figures (latency outliers above all)."""
    out = {}
    for cpu, times in after.items():
        delta = [a - b for a, b in zip(times, before.get(cpu, times))]
        out[cpu] = round(100 * delta[7] / sum(delta), 1) if sum(delta) else 0.0
    return out


def server_cpu_seconds(group: int) -> float:
    """CPU time (user + system, all threads) used so far by the processes of a process group: the
    server's work per request, whatever the machine's other load does to its wall-clock figures."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wrk(script: str, url: str, *args: str, seconds: int, until: Callable[[], bool] | None = None, server: int | None = None,
        poll: float = 0.01) -> dict:
    """Run wrk for `seconds`, or until `until()` holds (asked every `poll` seconds): wrk then gets
    SIGINT, which makes it stop and report the time it really ran (its threads stop sending once
    their share is done). With `server` (its process group), the server's CPU time per request is
    reported too."""
    command = [*LOAD_CPUS, "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(HERE / script), url]
    if args:
        command += ["--", *args]
    times = cpu_times()
    used = server_cpu_seconds(server) if server else 0.0
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if until is not None:
        time.sleep(0.1)  # wrk's signal handler in place before it may be told to stop
        deadline = time.monotonic() + seconds
        while process.poll() is None and time.monotonic() < deadline and not until():
            time.sleep(poll)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=seconds + 60)[0]
    steal = steal_percent(times, cpu_times())
    used = server_cpu_seconds(server) - used if server else 0.0
    match = re.search(r"^RESULT (.*)$", output, re.M)
    if not match:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    result = json.loads(match.group(1))
    result["per_second"] = round(result["requests"] / result["seconds"], 1)
    result["steal_pct"] = steal
    if server and result["requests"]:
        result["server_cpu_us"] = round(1e6 * used / result["requests"], 1)
    return result


class Backend:
    """A fresh database of one kind, its townhall server, and SQL access for counting."""

    def __init__(self, kind: str, workdir: Path, workers: int) -> None:
        self.kind, self.workdir, self.workers = kind, workdir, workers
        if kind == "sqlite":
            self.url = f"sqlite:///{workdir}/bench.db"
        else:
            self.pg_name = f"townhall_bench_{secrets.token_hex(4)}"
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_name}"')
            self.url = f"{PG_SERVER}/{self.pg_name}"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TOWNHALL_")}
        self.env.update(TOWNHALL_DATABASE_URL=self.url, TOWNHALL_PUBLIC_URL=self.base_url, TOWNHALL_RUN_WORKER="false",
                        TOWNHALL_MAIL_DIR=str(workdir / "mail"))
        self.credentials = json.loads(subprocess.run([TOWNHALL, "init", "--json"], env=self.env, capture_output=True, text=True, check=True).stdout)
        self.server: subprocess.Popen | None = None
        self._connection: sqlite3.Connection | psycopg.Connection | None = None

    def start(self, command: list[str] | None = None) -> None:
        """`townhall serve`, or `command` given the same arguments (bench/free_batch.py)."""
        log = open(self.workdir / f"serve-{self.kind}.log", "a")
        self.server = subprocess.Popen(
            [*SERVER_CPUS, *(command or [TOWNHALL]), "serve", "--port", str(self.port), "--workers", str(self.workers), "--no-access-log"],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    @property
    def group(self) -> int | None:
        """The server's process group (it starts a session of its own): itself and its workers."""
        return self.server.pid if self.server else None

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, 15)
            self.server.wait(30)

    def scalar(self, sql: str) -> object:
        return self._query(sql)[0][0]

    def column(self, sql: str) -> list:
        return [row[0] for row in self._query(sql)]

    def _query(self, sql: str) -> list:
        """On one connection kept for the run. The steps ask for the registrants count every 10 ms
        while wrk runs: with a connection of its own each time, PostgreSQL started a backend
        process a hundred times a second (and SQLite read the schema anew), which took CPU from
        the registrations being measured, and not from the health checks they are set against."""
        if self._connection is None:
            if self.kind == "sqlite":
                self._connection = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
            else:
                self._connection = psycopg.connect(self.url, autocommit=True)
        return self._connection.execute(sql).fetchall()

    def close_connection(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def drop(self) -> None:
        """The server stopped, the database gone: the PostgreSQL database, or the working directory
        with the SQLite file (some hundreds of megabytes after a rush) and the server's log."""
        self.stop()
        self.close_connection()
        if self.kind == "postgresql":
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.workdir, ignore_errors=True)


def rush_event(hub_id: str) -> dict:
    """The event every benchmark fills: a WEBINAR (100,000 seats), live from five minutes ago, so
    that registration stays open and the join links admit people."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return {
        "hub_id": hub_id, "name": "Registration rush", "timezone": "UTC", "event_type": "SIMPLE_EVENT",
        "access_level": "PRIVATE_UNRESTRICTED", "meeting_type": "WEBINAR", "attendance_type": "virtual",
        "calendar": [{"start_time": (now - timedelta(minutes=5)).strftime(fmt), "end_time": (now + timedelta(hours=5)).strftime(fmt)}],
    }


def token_and_event(backend: Backend) -> tuple[str, str]:
    creds = backend.credentials
    token = httpx.post(f"{backend.base_url}/oauth/token", data={"grant_type": "client_credentials"},
                       auth=(creds["client_id"], creds["client_secret"])).json()["access_token"]
    event = httpx.post(f"{backend.base_url}/v2/zoom_events/events", headers={"Authorization": f"Bearer {token}"},
                       json=rush_event(creds["hub_id"])).json()
    httpx.post(f"{backend.base_url}/v2/zoom_events/events/{event['event_id']}/event_actions",
               headers={"Authorization": f"Bearer {token}"}, json={"operation": "publish"}).raise_for_status()
    return token, event["event_id"]


def register(backend: Backend, token: str, event_id: str, count: int, label: str) -> dict:
    """About `count` registrations: wrk runs until the database holds them (a few more are in flight)."""
    target = min(backend.scalar(f"SELECT registrants_count FROM events WHERE id = '{event_id}'") + count, CAPACITY)
    result = wrk("register.lua", backend.base_url, event_id, token, f"{label}{secrets.token_hex(3)}", seconds=900, server=backend.group,
                 until=lambda: backend.scalar(f"SELECT registrants_count FROM events WHERE id = '{event_id}'") >= target)
    result["registrants_after"] = backend.scalar(f"SELECT registrants_count FROM events WHERE id = '{event_id}'")
    # Registrations a second: the requests that got a seat. Those refused once the event was full
    # (the last window's tail) cost less than a registration and would flatter the figure.
    result["per_second"] = round((result["requests"] - result["refused"]) / result["seconds"], 1)
    print(f"  {label}: {json.dumps(result)}", flush=True)
    return result


FILL_STEP = 10_000


def combined(steps: list[dict]) -> dict:
    """Consecutive wrk windows as one: totals, and the worst of each latency figure."""
    requests, seconds = sum(s["requests"] for s in steps), sum(s["seconds"] for s in steps)
    refused = sum(s["refused"] for s in steps)
    return {
        "requests": requests, "seconds": round(seconds, 3), "refused": refused, "errors": sum(s["errors"] for s in steps),
        "p50_ms": max(s["p50_ms"] for s in steps), "p99_ms": max(s["p99_ms"] for s in steps), "max_ms": max(s["max_ms"] for s in steps),
        "per_second": round((requests - refused) / seconds, 1),
        "server_cpu_us": round(sum(s["server_cpu_us"] * s["requests"] for s in steps) / requests, 1),
        "steal_pct": {cpu: max(s["steal_pct"].get(cpu, 0.0) for s in steps) for cpu in steps[0]["steal_pct"]},
        "registrants_after": steps[-1].get("registrants_after"),
    }


SMTP_SINK = "/usr/sbin/smtp-sink"  # Postfix's SMTP benchmarking server (Debian package postfix)


def start_sink(port: int, log: Path) -> tuple[subprocess.Popen, str]:
    """The local SMTP server: Postfix's smtp-sink when installed, else aiosmtpd (slower). Its
    output goes to a file (a pipe nobody reads would fill up and stall it)."""
    if os.path.exists(SMTP_SINK):
        sink = subprocess.Popen([SMTP_SINK, "-c", "-u", "postfix", f"127.0.0.1:{port}", "1024"], stdout=open(log, "w"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return sink, "Postfix smtp-sink"
            except OSError:
                time.sleep(0.01)
        raise RuntimeError("smtp-sink did not start")
    sink = subprocess.Popen([sys.executable, str(HERE / "smtp_sink.py"), str(port)], stdout=open(log, "w"))
    deadline = time.monotonic() + 10
    while "ready" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    return sink, "aiosmtpd"


def mail_run(backend: Backend, workers: int, timeout: float = 600) -> dict:
    port = free_port()
    sink_log = backend.workdir / "smtp-sink.log"
    sink, sink_name = start_sink(port, sink_log)
    # Confirmations owed: a registration batch queues its people's as one row (storage/outbox.py).
    total = backend.scalar("SELECT COUNT(*) FROM registrants WHERE send_notification")
    env = {**backend.env, "TOWNHALL_SMTP_URL": f"smtp://127.0.0.1:{port}", "TOWNHALL_WORKER_POLL_SECONDS": "0.2"}
    started = time.monotonic()
    # Each worker kept to a core of its own, as a deployment would (README): a worker's threads
    # (its delivery loops and SMTP connections) share one GIL, which costs far more to hand from
    # core to core than within one.
    pinned = [["taskset", "-c", str(i % CPUS)] if CPUS > 1 and shutil.which("taskset") else [] for i in range(workers)]
    processes = [subprocess.Popen([*pinned[i], TOWNHALL, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True) for i in range(workers)]
    try:
        while time.monotonic() - started < timeout:
            if backend.scalar("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0:
                break
            time.sleep(0.25)
        elapsed = time.monotonic() - started
    finally:
        for process in processes:
            os.killpg(process.pid, 15)
            process.wait(30)
        sink.terminate()
        sink.wait(30)
        output = sink_log.read_text()
        counts = re.findall(r"mesg=(\d+)", output) or re.findall(r"^(\d+)$", output, re.M) or ["0"]
        received = int(counts[-1])
    sent = backend.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
    return {"messages": total, "sent": sent, "received_by_smtp": received, "seconds": round(elapsed, 2),
            "per_second": round(sent / elapsed, 1), "worker_processes": workers, "smtp_server": sink_name}


def free_database(backend: Backend, token: str, event_id: str) -> dict:
    """Registration with the database's part free (bench/free_batch.py), on a server of its own
    started once the real one is done, on the same database and port: its `/healthz`, then its
    registrations (nothing is written, so wrk runs for a fixed time)."""
    backend.start([sys.executable, str(HERE / "free_batch.py")])
    try:
        wrk("health.lua", f"{backend.base_url}/healthz", seconds=2)  # warm-up, as for the real server
        health = wrk("health.lua", f"{backend.base_url}/healthz", seconds=5, server=backend.group)
        registration = wrk("register.lua", backend.base_url, event_id, token, f"free{secrets.token_hex(3)}", seconds=5, server=backend.group)
    finally:
        backend.stop()
    return {"healthz": health, "register": registration}


# Windows of 10,000 registrations, as the rush's: one of 5,000 lasted 0.5-0.7 s on the machine of
# 2026-11-28 from 17:27 UTC, and its first on the restarted server ran at 5,522/s (177 us a
# registration) against 7,368-8,658/s for the next two.
SIDE_WINDOW, SIDE_PAIRS, SIDE_HEALTH_SECONDS = 10_000, 3, 3
# A join window of the side by side: wrk for a fixed time (every hit a full join, of a link opened
# before), with no count asked meanwhile.
SIDE_JOIN_SECONDS = 2


def side_by_side(large: Backend, token: str, kind: str, workers: int, tokens: Path) -> dict:
    """Whether a registration costs more once the database holds 100,000 registrants, measured
    so that the machine's drift over the run cannot pass for it: windows of registrations
    taken in turn on `large` (a server on the rush's database, registering for a new event) and on
    a fresh server of the same kind with an empty database, three of each, after 1,000 on each.
    Each registration window comes between two `/healthz` windows of its own server, so that
    registration is also measured against the health checks of the same moments (the ratio, at
    1,000 on the fresh server and at 100,000 on the other): this machine's speed moved by a third
    from one minute to the next, more than the ratio's distance from its target.
    Then `large` takes windows of joins (the rush's links, `tokens`, opened again), each followed by
    a health window and a registration window: the join rush against registration on the same
    server in the same minutes (the rush's join step comes minutes after its registration windows;
    on the machine of 2026-11-29 from 05:49 UTC it ran at 83% of the rush's first registration
    window, and at 132-174% of registration in windows taken in turn). They come after the windows
    above, and the health window between lets the server catch up on the joins' writes first: with
    a join window right after each of its registration windows, the server on SQLite registered at
    78% of the fresh one's rate, against 95-103% in the runs before."""
    _, large_event = token_and_event(large)
    small = Backend(kind, Path(tempfile.mkdtemp(prefix=f"townhall-bench-{kind}-small-")), workers)
    try:
        small.start()
        small_token, small_event = token_and_event(small)
        # Both servers warmed with 1,000 registrations: the restarted one's first batches read
        # the pages of its large indexes in from the file.
        register(small, small_token, small_event, 1000, "sw")
        register(large, token, large_event, 1000, "lw")
        servers = {"large": (large, token, large_event), "small": (small, small_token, small_event)}
        windows: dict[str, list[dict]] = {"large": [], "small": []}
        health: dict[str, list[dict]] = {"large": [], "small": []}
        joins: list[dict] = []
        join_registrations: list[dict] = []
        for backend, _, _ in servers.values():
            wrk("health.lua", f"{backend.base_url}/healthz", seconds=2)  # warm-up, as for the rush's server
        for _ in range(SIDE_PAIRS):
            for name, (backend, its_token, event_id) in servers.items():
                health[name].append(wrk("health.lua", f"{backend.base_url}/healthz", seconds=SIDE_HEALTH_SECONDS, server=backend.group))
                windows[name].append(register(backend, its_token, event_id, SIDE_WINDOW, f"s{name[0]}"))
        for name, (backend, _, _) in servers.items():  # each registration window between two health windows
            health[name].append(wrk("health.lua", f"{backend.base_url}/healthz", seconds=SIDE_HEALTH_SECONDS, server=backend.group))
        registrants_large = large.scalar("SELECT COUNT(*) FROM registrants")
        for _ in range(SIDE_PAIRS):
            joins.append(wrk("join.lua", large.base_url, str(tokens), str(THREADS), seconds=SIDE_JOIN_SECONDS, server=large.group))
            print(f"  sj: {json.dumps(joins[-1])}", flush=True)
            wrk("health.lua", f"{large.base_url}/healthz", seconds=SIDE_HEALTH_SECONDS)
            join_registrations.append(register(large, token, large_event, SIDE_WINDOW, "sr"))
    finally:
        small.drop()
    return {"large": combined(windows["large"]), "small": combined(windows["small"]),
            "large_windows": [w["per_second"] for w in windows["large"]], "small_windows": [w["per_second"] for w in windows["small"]],
            "large_healthz": [h["per_second"] for h in health["large"]], "small_healthz": [h["per_second"] for h in health["small"]],
            "large_joins": [j["per_second"] for j in joins], "joins": combined(joins),
            "join_registrations": [r["per_second"] for r in join_registrations],
            "registrants_large": registrants_large, "window": SIDE_WINDOW}


def run_backend(kind: str, registrants: int, workers: int, mail_workers: int, with_mail: bool) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"townhall-bench-{kind}-"))
    backend = Backend(kind, workdir, workers)
    results: dict = {"backend": kind, "server_processes": workers}
    try:
        backend.start()
        token, event_id = token_and_event(backend)
        wrk("health.lua", f"{backend.base_url}/healthz", seconds=2)  # warm-up: a fresh server's first second is slower
        results["healthz"] = wrk("health.lua", f"{backend.base_url}/healthz", seconds=10, server=backend.group)
        warm = min(1000, registrants // 10)
        # Windows of 10,000: at 11,000 registrations a second, one of 5,000 lasted under half a
        # second, in which the machine's own moods moved the figure by a tenth.
        window = min(10_000, registrants // 10)
        register(backend, token, event_id, warm, "w")
        results["register_at_1000"] = register(backend, token, event_id, window, "a")
        # The fill in steps of 10,000, each measured: whether throughput moves with the number of
        # registrants shows across ten windows better than in the two short ones around them.
        steps = []
        while (fill := registrants - window - backend.scalar(f"SELECT registrants_count FROM events WHERE id = '{event_id}'")) > 0:
            steps.append(register(backend, token, event_id, min(fill, FILL_STEP), "f"))
        if steps:
            results["register_fill"] = combined(steps)
            results["register_fill_steps"] = steps
        # The last window ends a little before the event is full, so that it measures registrations
        # only; the last seats then go in a step of their own, with the refusals that follow.
        tail = min(1000, window // 5)
        last = registrants - tail - backend.scalar(f"SELECT registrants_count FROM events WHERE id = '{event_id}'")
        results["register_at_100000"] = register(backend, token, event_id, max(last, 2), "z")
        rest = registrants - backend.scalar(f"SELECT registrants_count FROM events WHERE id = '{event_id}'")
        if rest > 0:  # (the last window may have run into them: wrk stops a moment after it is told)
            results["register_last_seats"] = register(backend, token, event_id, rest, "t")
        results["healthz_after"] = wrk("health.lua", f"{backend.base_url}/healthz", seconds=10, server=backend.group)
        tokens = workdir / "tokens.txt"
        tokens.write_text("\n".join(backend.column(f"SELECT join_token FROM registrants WHERE event_id = '{event_id}'")) + "\n")
        everyone = results_count = backend.scalar(f"SELECT COUNT(*) FROM registrants WHERE event_id = '{event_id}'")
        attended = f"SELECT COUNT(*) FROM registrants WHERE event_id = '{event_id}' AND first_join_at IS NOT NULL"
        # Asked every half second: counting who attended reads every registrant of the event
        # (tens of milliseconds at 100,000), and asked every 10 ms, as the registration steps ask
        # for their one counter row, it kept a core busy beside the server. wrk may go on for up
        # to half a second more, with people clicking their links again: requests all the same.
        results["join"] = wrk("join.lua", backend.base_url, str(tokens), str(THREADS), seconds=900, server=backend.group,
                              until=lambda: backend.scalar(attended) >= everyone, poll=0.5)
        results["join"]["attended"] = backend.scalar(attended)
        results["registrants"] = results_count
        backend.stop()
        if with_mail:
            results["mail"] = mail_run(backend, mail_workers)
        # After the mail run, whose outbox holds the rush's 100,000 confirmations only: a server
        # started afresh on the rush's database, beside a fresh one.
        backend.start()
        results["side_by_side"] = side_by_side(backend, token, kind, workers, tokens)
        backend.stop()
        if workers == 1:  # (uvicorn's worker processes would import townhall afresh, without the free batch)
            results["free_database"] = free_database(backend, token, event_id)
    finally:
        backend.drop()
    return results


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.processor())
    memory = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    return {
        "cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "os": platform.platform(),
        "wrk": (subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines() or ["wrk"])[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--registrants", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--mail-workers", type=int, default=2, help="`townhall worker` processes for the mail run")
    parser.add_argument("--no-mail", action="store_true")
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    report = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
              "command": " ".join(["python", "bench/run.py", *sys.argv[1:]]), "runs": []}
    for kind in kinds:
        print(f"== {kind}", flush=True)
        result = run_backend(kind, args.registrants, args.workers, args.mail_workers, not args.no_mail)
        print(json.dumps(result, indent=1), flush=True)
        report["runs"].append(result)
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n")
    write_readme(report, HERE / "README.md")


if __name__ == "__main__":
    main()
