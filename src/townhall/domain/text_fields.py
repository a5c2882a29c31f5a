"""Free-text fields of a request body (names, descriptions, links): strings, trimmed, within limits."""

from __future__ import annotations

from typing import Any

from townhall.domain.errors import FieldError


def read_text(fields: dict[str, Any], limits: dict[str, int], problems: list[FieldError]) -> dict[str, str | None]:
    """The given ones among `limits`' fields, trimmed (blank becomes None); problems are appended."""
    values: dict[str, str | None] = {}
    for name, limit in limits.items():
        value = fields.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append(FieldError(name, f"{name} must be a string."))
        elif len(value.strip()) > limit:
            problems.append(FieldError(name, f"{name} is longer than {limit} characters."))
        else:
            values[name] = value.strip() or None
    return values


def read_flag(fields: dict[str, Any], name: str, problems: list[FieldError]) -> bool | None:
    value = fields.get(name)
    if value is not None and not isinstance(value, bool):
        problems.append(FieldError(name, f"{name} must be true or false."))
        return None
    return value
