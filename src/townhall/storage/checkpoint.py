"""SQLite's write-ahead log is copied back into the database file here, in the background.

Commits would otherwise do it themselves every thousand pages and hold up whoever is waiting
for that commit. PASSIVE checkpoints never block readers or writers."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

log = logging.getLogger("townhall.storage")


class Checkpointer:
    def __init__(self, engine: Engine, every_seconds: float = 1.0) -> None:
        self._engine, self._every = engine, every_seconds
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

    def checkpoint(self, mode: str = "PASSIVE") -> None:
        with self._engine.connect() as connection:
            connection.exec_driver_sql(f"PRAGMA wal_checkpoint({mode})")

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self.checkpoint()
            except Exception:  # a busy database: try again next time
                log.debug("checkpoint skipped", exc_info=True)
