"""api/responses.read_body: the whole body whichever way the ASGI server hands it over."""

from __future__ import annotations

import asyncio

import pytest
from starlette.requests import ClientDisconnect, Request

from townhall.api.responses import read_body


def _request(messages: list[dict]) -> Request:
    queue = list(messages)

    async def receive() -> dict:
        return queue.pop(0)

    return Request({"type": "http", "method": "POST", "path": "/", "headers": []}, receive)


def test_a_body_in_one_message() -> None:
    assert asyncio.run(read_body(_request([{"type": "http.request", "body": b'{"a": 1}', "more_body": False}]))) == b'{"a": 1}'


def test_a_body_in_parts_is_joined_in_order() -> None:
    parts = [{"type": "http.request", "body": b'{"tic', "more_body": True}, {"type": "http.request", "body": b'kets"', "more_body": True},
             {"type": "http.request", "body": b": []}"}]
    assert asyncio.run(read_body(_request(parts))) == b'{"tickets": []}'


def test_an_empty_body() -> None:
    assert asyncio.run(read_body(_request([{"type": "http.request"}]))) == b""


def test_a_client_that_goes_away_midway() -> None:
    with pytest.raises(ClientDisconnect):
        asyncio.run(read_body(_request([{"type": "http.request", "body": b"{", "more_body": True}, {"type": "http.disconnect"}])))
