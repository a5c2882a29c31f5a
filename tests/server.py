"""A real `townhall serve` process on a free loopback port, stopped by the test that started it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

TOWNHALL = str(Path(sys.executable).with_name("townhall"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def townhall(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TOWNHALL, *args], env=env, capture_output=True, text=True, timeout=120, check=check)


@dataclass
class Server:
    base_url: str
    credentials: dict[str, str | None]
    env: dict[str, str]


def server_env(database_url: str, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOWNHALL_")}
    env.update(
        TOWNHALL_DATABASE_URL=database_url, TOWNHALL_PUBLIC_URL=f"http://127.0.0.1:{port}",
        TOWNHALL_MAIL_DIR=tempfile.mkdtemp(prefix="townhall-mail-"), TOWNHALL_FILES_DIR=tempfile.mkdtemp(prefix="townhall-files-"),
        **extra,
    )
    return env


class ServerProcess:
    """`townhall serve` on a fixed port and database, that can be stopped, killed and started again."""

    def __init__(self, database_url: str, *serve_args: str, **extra_env: str) -> None:
        self.port = free_port()
        self.env = server_env(database_url, self.port, **extra_env)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.serve_args = serve_args
        self.credentials = json.loads(townhall("init", "--json", env=self.env).stdout)
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> "ServerProcess":
        # The log goes to a file: a pipe nobody reads fills up and stalls the server.
        self.log = tempfile.NamedTemporaryFile(prefix="townhall-serve-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [TOWNHALL, "serve", "--host", "127.0.0.1", "--port", str(self.port), *self.serve_args],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        _wait_healthy(self.base_url, self.process, self.log.name)
        return self

    def kill9(self) -> None:
        """Kill the server and every process it started, with no chance to clean up."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@contextmanager
def running_server(database_url: str, *serve_args: str, **extra_env: str) -> Iterator[Server]:
    server = ServerProcess(database_url, *serve_args, **extra_env)
    try:
        server.start()
        yield Server(server.base_url, server.credentials, server.env)
    finally:
        server.stop()


def _wait_healthy(base_url: str, process: subprocess.Popen[str], log_path: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"townhall serve exited early:\n{open(log_path).read()}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("townhall serve did not become healthy in 30 s")
