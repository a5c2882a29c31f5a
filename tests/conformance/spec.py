"""Zoom's OpenAPI spec as the conformance test reads it: its operations, example inputs built from
its own schemas, and what a response must look like to conform."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from openapi_schema_validator import OAS30Validator

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str  # as in the spec, under /v2
    spec: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.id} ({self.method.upper()} {self.path})"

    def success(self) -> tuple[int, dict[str, Any] | None]:
        """The documented success status and the JSON schema of its body (None: no body)."""
        status = min(int(code) for code in self.spec["responses"] if code.startswith("2"))
        content = self.spec["responses"][str(status)].get("content") or {}
        schema = (content.get("application/json") or {}).get("schema")
        return status, schema

    def request_schema(self) -> dict[str, Any] | None:
        content = (self.spec.get("requestBody") or {}).get("content") or {}
        return (content.get("application/json") or {}).get("schema")


@cache
def document() -> dict[str, Any]:
    return json.loads(resources.files("townhall.spec").joinpath("zoom-events-openapi.json").read_text())


@cache
def operations() -> tuple[Operation, ...]:
    return tuple(
        Operation(op["operationId"], method, path, op)
        for path, item in document()["paths"].items() for method, op in item.items() if method in METHODS
    )


def example(schema: dict[str, Any]) -> Any:
    """A value for `schema` made of the spec's own examples (first enum value, else a typed default)."""
    if "example" in schema:
        return schema["example"]
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items") or {}
        # Some arrays carry their items' enum themselves (categories): an item is one of those values.
        return [schema["enum"][0] if "enum" in schema and "enum" not in items else example(items)]
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        return {name: example(sub) for name, sub in (schema.get("properties") or {}).items()}
    return {"string": "example", "integer": 1, "number": 1, "boolean": True}.get(kind or "string")


def problems(operation: Operation, status: int, body: bytes, content_type: str) -> list[str]:
    """Why this response does not conform to the spec's success response ([] when it does)."""
    expected, schema = operation.success()
    if status != expected:
        return [f"status {status}, the spec says {expected}: {body[:300]!r}"]
    if schema is None:
        return [] if not body else [f"a body where the spec has none: {body[:200]!r}"]
    if not content_type.startswith("application/json"):
        return [f"content type {content_type!r}, the spec says application/json"]
    try:
        value = json.loads(body)
    except ValueError:
        return [f"a body that is not JSON: {body[:200]!r}"]
    validator = OAS30Validator(_readable(schema))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}" for e in validator.iter_errors(value)]


_DISTINGUISHING = ("enum", "const", "pattern", "required", "minimum", "maximum", "additionalProperties")


def _readable(schema: Any) -> Any:
    """The schema, with one defect of the spec read as its authors meant it: a oneOf whose branches
    no value can tell apart can never hold for any value, so it is read as anyOf. Two plain
    strings (`target_language_display_name`: "the name of the target language" or "of the sign
    language"), or two objects that require nothing (the multipart upload answers `upload_id` or
    `file_id`), match every value twice. A oneOf whose branches differ (by enum, required, ...) is kept."""
    if isinstance(schema, list):
        return [_readable(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: _readable(value) for key, value in schema.items()}
    branches = schema.get("oneOf")
    if isinstance(branches, list) and not any(key in branch for branch in branches for key in _DISTINGUISHING):
        schema["anyOf"] = schema.pop("oneOf")
    return schema
