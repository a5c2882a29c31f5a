"""Every operation of Zoom's spec, called with odd inputs on a real server, on both databases: each
body field, query parameter and id in turn given a value of the wrong type, out of range, empty,
huge or not ASCII. Whatever an operation makes of it, the answer is never a server error, and an
error comes in Zoom's shape (`{"code", "message"}`).

The odd calls of each step go right after its valid call in the conformance scenario (so what it
works on exists); an update's valid call is then sent again (an odd value may have been a fine one:
`required: true`), and every later valid call must still succeed."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.conformance import scenarios, spec
from tests.conformance.scenarios import Call
from tests.server import running_server

ODD: list[Any] = [None, True, -1, 2**63, 10**30, 1.5, float("nan"), float("inf"), "", "😀", "é" * 3, "a" * 5000, "2026-02-30T25:61:00Z", [], {}, [None], {"": None}]
ODD_TEXT = ["", "-1", "99999999999999999999", "😀", "a" * 1000, "[]", "null"]
ODD_IDS = ["😀", "a" * 300, "-1", "0", "null"]


def _variants(call: Call, operation: spec.Operation) -> list[tuple[str, Call]]:
    """The odd versions of a valid call, each named for the report: its query parameters are those
    it sends and those the spec declares (a page token, a filter)."""
    method = operation.method
    out: list[tuple[str, Call]] = []
    if method != "delete":  # (an odd call that was taken would delete what the valid call needs)
        if isinstance(call.json, dict):
            for key, value in call.json.items():
                out += [(f"{key}={odd!r:.40}", Call(call.path, call.query, {**call.json, key: odd})) for odd in ODD]
                if isinstance(value, list) and value and isinstance(value[0], dict):  # a list of items: each item's fields
                    for inner in value[0]:
                        out += [(f"{key}[0].{inner}={odd!r:.40}", Call(call.path, call.query, {**call.json, key: [{**value[0], inner: odd}]}))
                                for odd in ODD]
                if isinstance(value, dict):  # an object (settings): each of its fields
                    for inner in value:
                        out += [(f"{key}.{inner}={odd!r:.40}", Call(call.path, call.query, {**call.json, key: {**value, inner: odd}}))
                                for odd in ODD]
            out += [(f"body={odd!r:.40}", Call(call.path, call.query, odd)) for odd in ([], "x", 1, [{}])]
        declared = [p["name"] for p in operation.spec.get("parameters", []) if isinstance(p, dict) and p.get("in") == "query"]
        for key in dict.fromkeys([*call.query, *declared]):
            out += [(f"?{key}={odd:.40}", Call(call.path, {**call.query, key: odd}, call.json)) for odd in ODD_TEXT]
    segments = call.path.split("/")
    for i, segment in enumerate(segments):
        if len(segment) == 22 and i > 2:  # one of townhall's ids
            out += [(f"id {odd:.20}", Call("/".join(segments[:i] + [odd] + segments[i + 1:]), call.query, call.json)) for odd in ODD_IDS]
    return out


def _problem(response: httpx.Response) -> str | None:
    if response.status_code >= 500:
        return f"{response.status_code}: {response.text[:200]}"
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            return f"{response.status_code}, not JSON: {response.text[:200]}"
        if not (isinstance(body, dict) and {"code", "message"} <= set(body)):
            return f"{response.status_code}, not Zoom's error shape: {response.text[:200]}"
    return None


def test_odd_inputs_get_a_clear_error_never_a_server_error(fresh_database_url):
    by_id = {op.id: op for op in spec.operations()}
    problems: list[str] = []
    calls = 0
    with running_server(fresh_database_url, TOWNHALL_STATUS_STYLE="zoom") as server, \
            httpx.Client(base_url=server.base_url, timeout=30) as client:
        creds = server.credentials
        token = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                            auth=(creds["client_id"], creds["client_secret"])).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        ctx = scenarios.Context(hub=str(creds["hub_id"]), env=server.env)
        for step in scenarios.STEPS:
            operation = by_id[step.operation]
            try:
                call = step.call(ctx, operation)
            except KeyError as missing:  # an earlier valid call failed (reported there)
                problems.append(f"{step.operation}: not run, needs {missing}")
                continue
            method = operation.method.upper()
            response = client.request(method, "/v2" + call.path, params=call.query, json=call.json, files=call.files, data=call.data)
            if response.status_code >= 400:
                problems.append(f"{step.operation}: the valid call failed: {response.status_code} {response.text[:200]}")
                continue
            step.keep(ctx, json.loads(response.content) if response.content else None)
            if call.files is not None:
                continue
            for name, odd in _variants(call, operation):
                try:
                    response = client.request(method, "/v2" + odd.path, params=odd.query,
                                              content=json.dumps(odd.json).encode() if odd.json is not None or call.json is not None else None,
                                              headers={"content-type": "application/json"})
                except httpx.HTTPError as exc:
                    problems.append(f"{step.operation} {name}: {exc!r}")
                    continue
                calls += 1
                if (problem := _problem(response)) is not None:
                    problems.append(f"{step.operation} {name}: {problem}")
            if method in ("PATCH", "PUT"):  # an odd value that was fine (`required: true`) stays: the valid one again
                response = client.request(method, "/v2" + call.path, params=call.query, json=call.json)
                if response.status_code >= 400:
                    problems.append(f"{step.operation}: the valid call failed after the odd ones: {response.status_code} {response.text[:200]}")
    print(f"\n{calls} odd calls, {len(problems)} problems")
    assert calls > 2000
    assert problems == [], "\n".join(problems)
