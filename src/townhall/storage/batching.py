"""Group commit: work submitted by many requests at once is applied in batches, one transaction each.

Submissions from coroutines queue up; the first one schedules a flush on the event loop, and the
flush applies everything queued by then in one call to `handle` (one transaction, one commit).
While a flush runs the loop does nothing else, so requests that arrive meanwhile wait in the
socket buffers and form the next batch: under load batches grow and the cost per item shrinks;
when idle, a lone item goes straight through. Running on the loop's own thread avoids handing
the GIL back and forth with a writer thread, which costs more than the batch itself.

With `threaded` (PostgreSQL), a batch is applied in a thread of its own instead: its statements
are round trips to the server, during which the loop goes on reading requests into the next batch;
only one batch is in flight at a time, so batches still form the same way.

Callers on other threads apply their item on their own, in their thread."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger("townhall.batching")


class Batcher(Generic[T, R]):
    def __init__(self, name: str, handle: Callable[[list[T]], list[R | BaseException]], max_batch: int = 512,
                 threaded: bool = False) -> None:
        self._name, self._handle, self._max = name, handle, max_batch
        self._pending: list[tuple[T, asyncio.Future]] = []
        self._scheduled = False
        self._thread = ThreadPoolExecutor(1, thread_name_prefix=name) if threaded else None

    def call(self, item: T) -> R:
        """From a thread: apply this item alone."""
        (result,) = self._apply_safely([item])
        if isinstance(result, BaseException):
            raise result
        return result

    async def run(self, item: T) -> R:
        """From a coroutine: join the next batch and wait for its commit."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._pending.append((item, future))
        if not self._scheduled:
            self._scheduled = True
            if self._thread is None:
                loop.call_soon(self._flush)
            else:
                loop.create_task(self._flush_in_thread(loop))
        return await future

    def close(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True)

    def _flush(self) -> None:
        self._scheduled = False
        while self._pending:
            batch = self._take()
            _settle(batch, self._apply_safely([item for item, _ in batch]))

    async def _flush_in_thread(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            while self._pending:
                batch = self._take()
                _settle(batch, await loop.run_in_executor(self._thread, self._apply_safely, [item for item, _ in batch]))
        finally:
            self._scheduled = False

    def _take(self) -> list[tuple[T, asyncio.Future]]:
        batch, self._pending = self._pending[: self._max], self._pending[self._max :]
        return batch

    def _apply_safely(self, items: list[T]) -> list[R | BaseException]:
        try:
            return self._handle(items)
        except Exception as exc:  # the handler failed as a whole: every submitter hears of it
            log.exception("%s: batch of %d failed", self._name, len(items))
            return [exc] * len(items)


def _settle(batch: list[tuple[object, asyncio.Future]], results: list) -> None:
    for (_, future), result in zip(batch, results):
        if future.done():  # its request went away meanwhile
            continue
        if isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)
