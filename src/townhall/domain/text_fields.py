"""Fields of a request body: free text (names, descriptions, links: strings, trimmed, within
limits), flags, and counts."""

from __future__ import annotations

from typing import Any

from townhall.domain.errors import FieldError

# The most a count given in a request may be (seats, tickets, seconds): what an integer column
# holds on PostgreSQL (32 bits). Larger numbers would reach the database and fail there.
MAX_COUNT = 2**31 - 1


def is_count(value: Any, least: int = 0) -> bool:
    """A number (not a bool; a whole one is up to the caller) from `least` to MAX_COUNT: not NaN,
    not infinite."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and least <= value <= MAX_COUNT


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
