"""SQLite's write-ahead log is copied back into the database file here, in the background.

Commits would otherwise do it themselves every thousand pages and hold up whoever is waiting
for that commit. PASSIVE checkpoints never block readers or writers, but they never start the
log over either: it starts over only when a writer begins after everything in it has been
copied, and under a steady stream of writes (a registration rush) there is no such moment. The
log then grew without end (460 MB after 100,000 registrations), and with it the index SQLite
searches for every page it reads, so each registration cost more than the one before (server
CPU 128 us a registration at 1,000, 183 us at 100,000). So once the log holds `restart_frames`
pages, a RESTART checkpoint follows the PASSIVE one: it holds writers back while it copies what
the PASSIVE one left (the last moment's pages) and makes the next writer start the log over."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from townhall.storage.db import BUSY_TIMEOUT_MS

log = logging.getLogger("townhall.storage")
# 32 MB of 4 KB pages: some seconds of a registration rush.
RESTART_FRAMES = 8192
RESTART_WAIT_MS = 100


class Checkpointer:
    def __init__(self, engine: Engine, every_seconds: float = 1.0, restart_frames: int = RESTART_FRAMES) -> None:
        self._engine, self._every, self._restart_frames = engine, every_seconds, restart_frames
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="townhall-checkpoint", daemon=True)

    def start(self) -> "Checkpointer":
        if self._engine.dialect.name == "sqlite":
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def checkpoint(self, mode: str = "PASSIVE") -> int:
        """One checkpoint; the number of pages in the log when it ran. A RESTART holds writers
        back while it waits for readers of the old log, so it waits a tenth of a second at most
        (then gives up until next time), not the connections' 30 s."""
        with self._engine.connect() as connection:
            if mode != "PASSIVE":
                connection.exec_driver_sql(f"PRAGMA busy_timeout={RESTART_WAIT_MS}")
            try:
                _busy, frames, _copied = connection.exec_driver_sql(f"PRAGMA wal_checkpoint({mode})").one()
            finally:
                if mode != "PASSIVE":
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            return frames

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                if self.checkpoint() >= self._restart_frames:
                    self.checkpoint("RESTART")
            except Exception:  # a busy database: try again next time
                log.debug("checkpoint skipped", exc_info=True)
