"""Every operation of Zoom's spec, called with valid inputs on a real server: does each answer as
the spec says (status and body)? Prints "N of 88 operations conform"."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.conformance import scenarios, spec
from tests.server import Server, running_server

TOTAL = len(spec.operations())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    database = tmp_path_factory.mktemp("conformance") / "townhall.db"
    with running_server(f"sqlite:///{database}", TOWNHALL_STATUS_STYLE="zoom") as running:
        yield running


@pytest.fixture(scope="module")
def outcomes(server: Server) -> dict[str, list[str]]:
    """Each exercised operation's problems ([] when it conforms), from one run of the scenarios."""
    by_id = {op.id: op for op in spec.operations()}
    creds = server.credentials
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        token = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                            auth=(creds["client_id"], creds["client_secret"])).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        ctx = scenarios.Context(hub=str(creds["hub_id"]), env=server.env)
        found: dict[str, list[str]] = {}
        for step in scenarios.STEPS:
            operation = by_id[step.operation]
            try:
                call = step.call(ctx, operation)
            except KeyError as missing:  # an earlier step that creates what this one needs did not conform
                found[operation.id] = found.get(operation.id, []) + [f"not run: needs {missing} from an earlier step"]
                continue
            response = client.request(operation.method.upper(), "/v2" + call.path, params=call.query, json=call.json,
                                      files=call.files, data=call.data)
            problems = spec.problems(operation, response.status_code, response.content, response.headers.get("content-type", ""))
            found[operation.id] = found.get(operation.id, []) + problems
            if not problems:
                step.keep(ctx, json.loads(response.content) if response.content else None)
    return found


def test_operations_conform(outcomes: dict[str, list[str]]) -> None:
    conforming = sorted(op for op, problems in outcomes.items() if not problems)
    missing = sorted({op.id for op in spec.operations()} - set(outcomes))
    print(f"\n{len(conforming)} of {TOTAL} operations conform")
    if missing:
        print(f"not exercised yet ({len(missing)}): {', '.join(missing)}")
    failures = {op: problems for op, problems in outcomes.items() if problems}
    assert not failures, "\n".join(f"{op}: {'; '.join(p)}" for op, p in sorted(failures.items()))


def test_all_88_operations_conform(outcomes: dict[str, list[str]]) -> None:
    assert TOTAL == 88
    assert len([op for op, problems in outcomes.items() if not problems]) == TOTAL
