"""Hubs and their hosts, always within the caller's own account."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain.errors import HostNotFound, HubNotFound, LastHubHost, ValidationFailed
from townhall.domain.ids import is_well_formed, new_id
from townhall.domain.principal import Principal
from townhall.storage.models import Event, Hub, HubHost, User
from townhall.storage.uow import Database


@dataclass(frozen=True)
class HostPage:
    hosts: list[tuple[str, str]]  # (user id, email)
    total: int
    next_after: str | None


class HubService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def list_hubs(self, actor: Principal, role_type: str) -> list[Hub]:
        query = select(Hub).where(Hub.account_id == actor.account_id).order_by(Hub.created_at, Hub.id)
        if role_type == "attendee":
            # Attendees see the hubs that show published events.
            published = exists().where(Event.hub_id == Hub.id, Event.status == "published")
            query = query.where(Hub.hidden.is_(False), published)
        else:
            query = query.where(exists().where(HubHost.hub_id == Hub.id, HubHost.user_id == actor.user_id))
        with self._db.read() as session:
            return list(session.scalars(query))

    def list_hosts(self, actor: Principal, hub_id: str, limit: int, after: str | None) -> HostPage:
        with self._db.read() as session:
            owned_hub(session, actor, hub_id)
            base = select(User.id, User.email).join(HubHost, HubHost.user_id == User.id).where(HubHost.hub_id == hub_id)
            total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
            if after:
                base = base.where(User.id > after)
            rows = [(r.id, r.email) for r in session.execute(base.order_by(User.id).limit(limit + 1))]
        more = len(rows) > limit
        return HostPage(rows[:limit], total, rows[limit - 1][0] if more else None)

    def add_host(self, actor: Principal, hub_id: str, email: object) -> str:
        if not isinstance(email, str) or "@" not in email.strip() or len(email) > 254:
            raise ValidationFailed.one("email", "A valid email address is required.")
        email = email.strip().lower()
        now = self._clock.now()
        with self._db.write() as session:
            owned_hub(session, actor, hub_id)
            user = session.scalars(select(User).where(User.account_id == actor.account_id, User.email == email)).first()
            if user is None:
                user = User(id=new_id(), account_id=actor.account_id, email=email, role="member", created_at=now)
                session.add(user)
                session.flush()
            if session.get(HubHost, (hub_id, user.id)) is None:
                session.add(HubHost(hub_id=hub_id, user_id=user.id, created_at=now))
            return user.id

    def remove_host(self, actor: Principal, hub_id: str, user_id: str) -> None:
        with self._db.write() as session:
            owned_hub(session, actor, hub_id)
            host = session.get(HubHost, (hub_id, user_id))
            if host is None:
                raise HostNotFound()
            remaining = session.scalar(select(func.count()).where(HubHost.hub_id == hub_id)) or 0
            if remaining <= 1:
                raise LastHubHost()
            session.delete(host)


def owned_hub(session: Session, actor: Principal, hub_id: str) -> Hub:
    """The hub, if it belongs to the caller's account; else HubNotFound (other accounts' hubs are not shown to exist)."""
    hub = session.get(Hub, hub_id) if is_well_formed(hub_id) else None
    if hub is None or hub.account_id != actor.account_id:
        raise HubNotFound()
    return hub
