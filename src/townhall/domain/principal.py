"""Who is calling: the account and user an access token acts for, and what it may do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    account_id: str
    user_id: str
    client_id: str
    scopes: frozenset[str]
