"""The group-commit batcher: how batches form under a closed loop of clients, and that nobody is
held back when there is nothing to wait for."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from townhall.storage.batching import Batcher


def _recording(sizes: list[int], seconds: float = 0.0):  # type: ignore[no-untyped-def]
    def handle(items: list[int]) -> list[int]:
        sizes.append(len(items))
        if seconds:
            time.sleep(seconds)  # a transaction's round trips and commit
        return [item * 2 for item in items]
    return handle


@pytest.mark.parametrize("threaded", [True, False], ids=["threaded", "on-the-loop"])
def test_clients_that_come_back_at_different_moments_are_batched_together(threaded: bool) -> None:
    """Sixteen clients, each sending its next request a moment (0-1 ms, at random) after its answer,
    as clients over a network do: the batches hold all sixteen, not the one or two that came back
    first and then the rest."""
    clients, rounds = 16, 30
    sizes: list[int] = []
    batcher: Batcher[int, int] = Batcher("test", _recording(sizes, 0.002), threaded=threaded)
    rng = random.Random(4)

    async def client(number: int) -> None:
        for _ in range(rounds):
            assert await batcher.run(number) == number * 2
            await asyncio.sleep(rng.uniform(0, 0.001))

    async def rush() -> None:
        await asyncio.gather(*(client(n) for n in range(clients)))

    try:
        asyncio.run(rush())
    finally:
        batcher.close()
    assert sum(sizes) == clients * rounds
    # Without waiting for the others, about every other batch held one or two requests (56 and 85
    # batches, threaded and on the loop, where waiting for them takes 30-31).
    assert len(sizes) <= rounds * 1.3, sizes
    assert sum(1 for size in sizes if size < clients // 2) <= rounds * 0.2, sizes


def test_a_lone_request_goes_straight_through() -> None:
    """With nothing in flight lately, a request is applied at once, however long the batcher
    would wait for a rush's requests to come back."""
    sizes: list[int] = []
    batcher: Batcher[int, int] = Batcher("test", _recording(sizes), threaded=True, gather=5.0)

    async def alone() -> float:
        started = time.monotonic()
        assert await batcher.run(21) == 42
        return time.monotonic() - started

    try:
        assert asyncio.run(alone()) < 1.0
    finally:
        batcher.close()
    assert sizes == [1]


def test_when_fewer_come_back_the_batch_waits_only_a_moment() -> None:
    """Eight requests answered together; only one comes back. It waits for the other seven at most
    `gather`, then is applied on its own."""
    sizes: list[int] = []
    batcher: Batcher[int, int] = Batcher("test", _recording(sizes), threaded=True, gather=0.2)

    async def scenario() -> float:
        assert await asyncio.gather(*(batcher.run(n) for n in range(8))) == [n * 2 for n in range(8)]
        started = time.monotonic()
        assert await batcher.run(100) == 200
        return time.monotonic() - started

    try:
        waited = asyncio.run(scenario())
    finally:
        batcher.close()
    assert sizes == [8, 1]
    assert 0.1 <= waited < 1.0


def test_a_failing_batch_reaches_every_submitter_and_the_next_batch_still_runs() -> None:
    calls: list[list[int]] = []

    def handle(items: list[int]) -> list[int]:
        calls.append(items)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return items

    batcher: Batcher[int, int] = Batcher("test", handle, threaded=True, gather=0.05)

    async def scenario() -> list:
        first = await asyncio.gather(*(batcher.run(n) for n in range(3)), return_exceptions=True)
        second = await asyncio.gather(*(batcher.run(n) for n in range(3)))
        return [first, second]

    try:
        first, second = asyncio.run(scenario())
    finally:
        batcher.close()
    assert all(isinstance(result, RuntimeError) for result in first)
    assert second == [0, 1, 2]



def test_after_close_a_request_is_refused_not_left_waiting() -> None:
    batcher: Batcher[int, int] = Batcher("test", _recording([]), threaded=True)
    batcher.close()

    async def late() -> None:
        await asyncio.wait_for(batcher.run(1), 5)

    with pytest.raises(RuntimeError):
        asyncio.run(late())
