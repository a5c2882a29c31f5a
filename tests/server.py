"""A real `townhall serve` process on a free loopback port, stopped by the test that started it."""

from __future__ import annotations

import json
import os
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
        TOWNHALL_MAIL_DIR=tempfile.mkdtemp(prefix="townhall-mail-"), **extra,
    )
    return env


@contextmanager
def running_server(database_url: str, *serve_args: str, **extra_env: str) -> Iterator[Server]:
    port = free_port()
    env = server_env(database_url, port, **extra_env)
    credentials = json.loads(townhall("init", "--json", env=env).stdout)
    process = subprocess.Popen(
        [TOWNHALL, "serve", "--host", "127.0.0.1", "--port", str(port), *serve_args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base_url, process)
        yield Server(base_url, credentials, env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_healthy(base_url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"townhall serve exited early:\n{process.stdout.read() if process.stdout else ''}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("townhall serve did not become healthy in 30 s")
