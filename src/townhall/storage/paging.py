"""Keyset pagination: pages in (time, id) order that cost the same on page 1 and page 3,000."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session



@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    next_after: tuple[str, str] | None  # (time, id) of the last record shown, for the next page token


def keyset_page(session: Session, query: Any, created: Any, key: Any, limit: int, after: tuple[str, str] | None) -> Page:
    """One page of `query` in (created, key) order, after the position a page token carried."""
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if after:
        moment = datetime.fromisoformat(after[0])
        query = query.where(or_(created > moment, and_(created == moment, key > after[1])))
    rows = list(session.scalars(query.order_by(created, key).limit(limit + 1)))
    more = len(rows) > limit
    last = rows[limit - 1] if more else None
    return Page(rows[:limit], total, (getattr(last, created.key).isoformat(), getattr(last, key.key)) if last else None)
