"""Group commit: work submitted by many requests at once is applied in batches, one transaction each.

Submissions from coroutines queue up; the first one starts a batch at the end of the event
loop's turn, which applies everything queued by then in one call to `handle` (one transaction,
one commit). Under load batches grow and the cost per item shrinks; when idle, a lone item goes
straight through. Applied on the loop's own thread, a batch holds the loop, so requests that
arrive meanwhile wait in the socket buffers and form the next batch; with `threaded` (PostgreSQL's
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
                 threaded: bool = False, gather: float = GATHER_SECONDS, thread_setup: Callable[[], None] | None = None) -> None:
        """`thread_setup` runs once in the batch thread, before its first batch."""
        self._name, self._handle, self._max, self._gather = name, handle, max_batch, gather
        self._thread = ThreadPoolExecutor(1, thread_name_prefix=name, initializer=thread_setup) if threaded else None
        self._pending: list[tuple[T, asyncio.Future]] = []
        self._flying = False  # a batch is in flight
        self._want = 1  # how many the next batch waits for: those in flight or queued around the last one
        self._done_at = float("-inf")  # when the last batch was answered (the loop's clock)
        self._soon: asyncio.Handle | None = None  # the next batch's start, when it is set for later
        self._soon_now = False  # ... for the end of this turn of the loop, rather than a moment after a batch

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
        self._consider(loop)
        return await future

    def close(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True)

    def _consider(self, loop: asyncio.AbstractEventLoop) -> None:
        """With nothing in flight, start a batch at the end of this turn of the loop (so that every
        request read in this turn joins it); right after a batch, once as many are queued as were
        in flight around it, or when `gather` is over."""
        if not self._pending or self._flying:
            return
        enough = len(self._pending) >= self._want
        if self._soon is not None and (self._soon_now or not enough):
            return
        if self._soon is not None:
            self._soon.cancel()
        wait = 0.0 if enough else self._done_at + self._gather - loop.time()
        self._soon_now = wait <= 0
        self._soon = loop.call_soon(self._start, loop) if self._soon_now else loop.call_later(wait, self._start, loop)

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._soon = None
        batch, self._pending = self._pending[: self._max], self._pending[self._max :]
        if not batch:
            return
        self._flying = True
        items = [item for item, _ in batch]
        if self._thread is None:
            self._answer(loop, batch, self._apply_safely(items))
            return
        try:
            applied = loop.run_in_executor(self._thread, self._apply_safely, items)
        except RuntimeError as exc:  # the executor is shut down: no batch will ever run
            self._answer(loop, batch, [exc] * len(batch))
            return
        applied.add_done_callback(lambda done: self._answer(loop, batch, _outcome(done, len(batch))))

    def _answer(self, loop: asyncio.AbstractEventLoop, batch: list[tuple[T, asyncio.Future]], results: list) -> None:
        self._want = min(self._max, len(batch) + len(self._pending))
        self._flying = False
        self._done_at = loop.time()
        _settle(batch, results)
        self._consider(loop)

    def _apply_safely(self, items: list[T]) -> list[R | BaseException]:
        try:
            return self._handle(items)
        except Exception as exc:  # the handler failed as a whole: every submitter hears of it
            log.exception("%s: batch of %d failed", self._name, len(items))
            return [exc] * len(items)


def _outcome(done: asyncio.Future, size: int) -> list:
    """A batch thread's results, or its failure for each item."""
    if done.cancelled():
        return [asyncio.CancelledError()] * size
    failure = done.exception()
    return [failure] * size if failure is not None else done.result()


def _settle(batch: list[tuple[object, asyncio.Future]], results: list) -> None:
    for (_, future), result in zip(batch, results):
        if future.done():  # its request went away meanwhile
            continue
        if isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)
