"""storage/checkpoint.py: under a steady stream of writes SQLite's log starts over once it is
long, instead of growing for as long as the writes go on (every page read searches it)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from townhall.storage.checkpoint import Checkpointer
from townhall.storage.db import make_engine, writer


def _log_pages_after_a_stream_of_writes(path: Path, restart_frames: int, batches: int = 1000) -> tuple[int, int]:
    """(pages in the log at the end, most seen while writing) with a checkpointer running, after
    the same number of write batches whatever the machine's speed (some 4,500 pages of log)."""
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB)")
    checkpointer = Checkpointer(engine, every_seconds=0.02, restart_frames=restart_frames)
    stop = threading.Event()

    def write() -> None:  # batch after batch, as a registration rush writes them (a moment apart)
        for _ in range(batches):
            if stop.is_set():
                return
            with writer(engine).begin() as connection:
                connection.exec_driver_sql("INSERT INTO rows (body) VALUES (?)", [(os.urandom(2000),) for _ in range(8)])
            time.sleep(0.0005)

    thread = threading.Thread(target=write)
    checkpointer.start()
    thread.start()
    most, deadline = 0, time.monotonic() + 60
    try:
        while thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
            most = max(most, checkpointer.checkpoint())
    finally:
        stop.set()
        thread.join()
        checkpointer.stop()
    final = checkpointer.checkpoint()
    engine.dispose()
    return final, most


def test_the_log_starts_over_under_a_steady_stream_of_writes(tmp_path: Path) -> None:
    # Without restarts (the threshold out of reach) the log only grows while the writes go on...
    unbounded, _ = _log_pages_after_a_stream_of_writes(tmp_path / "plain.db", restart_frames=10**9)
    # ...with them it stays near the threshold, however long they go on.
    final, most = _log_pages_after_a_stream_of_writes(tmp_path / "restarting.db", restart_frames=300)
    assert unbounded > 3000, unbounded
    assert most < 3000 and final < 3000, (most, final)
