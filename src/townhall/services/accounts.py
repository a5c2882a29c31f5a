"""Accounts, their owners, default hubs and OAuth apps; the server's own signing key."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain.ids import new_id
from townhall.storage.models import Account, Hub, HubHost, OAuthApp, ServerSetting, User
from townhall.storage.uow import Database

_hasher = PasswordHasher()
SECRET_KEY_SETTING = "secret_key"


@dataclass(frozen=True)
class Credentials:
    account_id: str
    client_id: str
    client_secret: str | None  # None when it was created earlier and only its hash is kept
    hub_id: str


def ensure_secret_key(db: Database) -> str:
    """The stored token-signing key, generated on first use, shared by every server process."""
    with db.write() as session:
        stored = session.get(ServerSetting, SECRET_KEY_SETTING)
        if stored is None:
            stored = ServerSetting(key=SECRET_KEY_SETTING, value=secrets.token_urlsafe(48))
            session.add(stored)
        return stored.value


def stored_secret_key(db: Database) -> str | None:
    with db.read() as session:
        stored = session.get(ServerSetting, SECRET_KEY_SETTING)
        return stored.value if stored else None


def create_account(db: Database, clock: Clock, name: str, scopes: Iterable[str], owner_email: str | None = None) -> Credentials:
    """An account with its owner, a default hub the owner hosts and an OAuth app for the owner."""
    now = clock.now()
    account = Account(id=new_id(), name=name, created_at=now)
    owner = User(
        id=new_id(), account_id=account.id, role="owner", created_at=now,
        email=(owner_email or f"owner-{account.id.lower()}@example.com").strip().lower(),
    )
    hub = Hub(id=new_id(), account_id=account.id, name=f"{name} Events Hub", description="", landing=True, created_at=now)
    with db.write() as session:
        session.add(account)
        session.flush()
        session.add_all([owner, hub])
        session.flush()
        session.add(HubHost(hub_id=hub.id, user_id=owner.id, created_at=now))
        client_id, secret = _add_app(session, clock, account.id, owner.id, f"{name} app", scopes)
    return Credentials(account.id, client_id, secret, hub.id)


def create_credentials(db: Database, clock: Clock, account_id: str, name: str, scopes: Iterable[str]) -> Credentials:
    with db.write() as session:
        owner = _owner(session, account_id)
        client_id, secret = _add_app(session, clock, account_id, owner.id, name, scopes)
        hub_id = _first_hub_id(session, account_id)
    return Credentials(account_id, client_id, secret, hub_id)


def first_account_credentials(db: Database) -> Credentials | None:
    """The oldest account and its oldest app; the secret is not known any more."""
    with db.read() as session:
        account = session.scalars(select(Account).order_by(Account.created_at, Account.id).limit(1)).first()
        if account is None:
            return None
        app = session.scalars(
            select(OAuthApp).where(OAuthApp.account_id == account.id).order_by(OAuthApp.created_at).limit(1)
        ).first()
        return Credentials(account.id, app.client_id if app else "", None, _first_hub_id(session, account.id))


def account_exists(db: Database, account_id: str) -> bool:
    with db.read() as session:
        return session.get(Account, account_id) is not None


def verify_client(app: OAuthApp, secret: str) -> bool:
    try:
        return _hasher.verify(app.secret_hash, secret)
    except Exception:  # argon2 raises several kinds of mismatch errors
        return False


def _add_app(session: Session, clock: Clock, account_id: str, user_id: str, name: str, scopes: Iterable[str]) -> tuple[str, str]:
    client_id = secrets.token_urlsafe(16)
    secret = secrets.token_urlsafe(24)
    session.add(OAuthApp(
        client_id=client_id, account_id=account_id, user_id=user_id, name=name,
        secret_hash=_hasher.hash(secret), scopes=" ".join(sorted(set(scopes))), created_at=clock.now(),
    ))
    return client_id, secret


def _owner(session: Session, account_id: str) -> User:
    owner = session.scalars(select(User).where(User.account_id == account_id, User.role == "owner")).first()
    if owner is None:
        raise LookupError(f"no account {account_id}")
    return owner


def _first_hub_id(session: Session, account_id: str) -> str:
    return session.scalars(select(Hub.id).where(Hub.account_id == account_id).order_by(Hub.created_at, Hub.id)).first() or ""
