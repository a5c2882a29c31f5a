"""Zoom's own OpenAPI spec of the Zoom Events API, shipped as data: the source of truth for scopes."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@cache
def document() -> dict[str, Any]:
    with resources.files(__package__).joinpath("zoom-events-openapi.json").open("rb") as f:
        return json.load(f)


@cache
def all_scopes() -> tuple[str, ...]:
    flows = document()["components"]["securitySchemes"]["openapi_oauth"]["flows"]
    return tuple(next(iter(flows.values()))["scopes"])


@cache
def operation_scopes() -> dict[tuple[str, str], frozenset[str]]:
    """(METHOD, '/v2' + path template) -> the scopes that each grant the operation."""
    table = {}
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                scopes = {s for req in operation.get("security", []) for s in req.get("openapi_oauth", [])}
                table[(method.upper(), "/v2" + path)] = frozenset(scopes)
    return table


def granular_scope(method: str, path: str) -> str:
    """The scope to name in a missing-scope error: the operation's first granular, non-admin scope."""
    operation = document()["paths"][path.removeprefix("/v2")][method.lower()]
    granular = operation.get("x-extensions", {}).get("x-granular-scopes", [])
    plain = [s for s in granular if not s.endswith(":admin")]
    return (plain or granular or sorted(operation_scopes()[(method.upper(), path)]))[0]


@cache
def rate_labels() -> dict[tuple[str, str], str]:
    """(METHOD, '/v2' + path template) -> the operation's rate-limit label (LIGHT, MEDIUM, HEAVY,
    RESOURCE-INTENSIVE), as each operation's description in Zoom's spec gives it; LIGHT where it gives none."""
    table = {}
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                found = re.search(r"Rate Limit Label\]\([^)]*\):\*\*\s*`([A-Z-]+)`", operation.get("description", ""))
                table[(method.upper(), "/v2" + path)] = found.group(1) if found else "LIGHT"
    return table
