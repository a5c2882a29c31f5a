"""Group commit: work submitted by many requests at once is applied in batches, one transaction each.

Submissions from coroutines queue up; the first one starts a flush on the event loop, and the
flush applies everything queued by then in one call to `handle` (one transaction, one commit).
Under load batches grow and the cost per item shrinks; when idle, a lone item goes straight
through. Applied on the loop's own thread, a batch holds the loop, so requests that arrive
meanwhile wait in the socket buffers and form the next batch; with `threaded` (PostgreSQL's
round trips, and SQLite's registrations) a batch is applied in a thread of its own, during which
the loop goes on reading requests into the next batch. Only one batch is in flight at a time.

A batch's requests come back for the next one a moment after it is answered (their clients send
their next request), while the one or two that came in during the batch are already waiting.
Taking only those would make a batch of one or two, then one of all the rest, and so on: twice
the batches, each with its fixed cost (measured: under a rush of 64 clients on SQLite, half the
batches held one registration). So for a moment after a batch (`gather`, a few milliseconds),
the next one waits until as many are queued as were in flight around the last, or the moment
is over.

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


# How long after a batch the next one may wait for the requests it answered to come back.
GATHER_SECONDS = 0.005


class Batcher(Generic[T, R]):
    def __init__(self, name: str, handle: Callable[[list[T]], list[R | BaseException]], max_batch: int = 512,
                 threaded: bool = False, gather: float = GATHER_SECONDS) -> None:
        self._name, self._handle, self._max, self._gather = name, handle, max_batch, gather
        self._pending: list[tuple[T, asyncio.Future]] = []
        self._scheduled = False
        self._thread = ThreadPoolExecutor(1, thread_name_prefix=name) if threaded else None
        self._want = 1  # how many the next batch waits for: those in flight around the last one
        self._done_at = float("-inf")  # when the last batch was answered (the loop's clock)
        self._enough: asyncio.Future | None = None  # set once `_want` are queued, while a batch waits

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
            loop.create_task(self._flush(loop))
        elif self._enough is not None and len(self._pending) >= self._want and not self._enough.done():
            self._enough.set_result(None)
        return await future

    def close(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True)

    async def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            while self._pending:
                await self._gathered(loop)
                batch = self._take()
                items = [item for item, _ in batch]
                if self._thread is None:
                    results = self._apply_safely(items)
                else:
                    results = await loop.run_in_executor(self._thread, self._apply_safely, items)
                _settle(batch, results)
                self._want = min(self._max, len(batch) + len(self._pending))
                self._done_at = loop.time()
        finally:
            self._scheduled = False

    async def _gathered(self, loop: asyncio.AbstractEventLoop) -> None:
        """Right after a batch, wait (at most `gather`) until as many are queued as were in flight
        then: the last batch's requests coming back. Any other time, go at once."""
        if len(self._pending) >= self._want or loop.time() - self._done_at >= self._gather:
            return
        self._enough = loop.create_future()
        try:
            await asyncio.wait_for(self._enough, self._gather)
        except TimeoutError:
            pass
        finally:
            self._enough = None

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
