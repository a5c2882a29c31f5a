"""An event's access links: extra doors to its registration, each with its own rules (which
domains and addresses may use it) and, for group-join links, a ticket type and straight entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain import coediting
from townhall.domain.errors import AccessLinkNotFound, AccessLinkTicketType, DuplicateAccessLinkName, FieldError, ValidationFailed
from townhall.domain.ids import is_well_formed, new_id
from townhall.domain.lifecycle import EventStatus
from townhall.domain.principal import Principal
from townhall.domain.registration import AccessRules
from townhall.services.events import owned_event
from townhall.storage.models import AccessLink, Event, TicketType
from townhall.storage.uow import Database

TYPES = ("registration", "group-join")
AUTHENTICATION = ("zoom_account", "zoom_account_otp", "corporate_idp", "bypass_auth", "accelerated_auth")
RECURRING = ("all_sessions", "single_session", "multiple_sessions")


class AccessLinkService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def list(self, actor: Principal, event_id: str) -> list[AccessLink]:
        with self._db.read() as session:
            owned_event(session, actor, event_id)
            return list(session.scalars(select(AccessLink).where(AccessLink.event_id == event_id).order_by(AccessLink.created_at, AccessLink.id)))

    def get(self, actor: Principal, event_id: str, link_id: str) -> AccessLink:
        with self._db.read() as session:
            owned_event(session, actor, event_id)
            return _link(session, event_id, link_id)

    def create(self, actor: Principal, event_id: str, fields: dict[str, Any]) -> AccessLink:
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, lock=True, need=coediting.REGISTRATION)
            values = _checked(session, event, fields, None)
            link = AccessLink(id=new_id(), event_id=event.id, created_at=self._clock.now(), **values)
            if link.is_default:
                _clear_default(session, event.id)
            session.add(link)
            return link

    def update(self, actor: Principal, event_id: str, link_id: str, fields: dict[str, Any]) -> None:
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, lock=True, need=coediting.REGISTRATION)
            link = _link(session, event.id, link_id)
            values = _checked(session, event, fields, link)
            if values.get("is_default"):
                _clear_default(session, event.id)
            elif "is_default" in values:
                del values["is_default"]  # only true counts on update, as Zoom's spec says
            for name, value in values.items():
                setattr(link, name, value)

    def delete(self, actor: Principal, event_id: str, link_id: str) -> None:
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, lock=True, need=coediting.REGISTRATION)
            session.delete(_link(session, event.id, link_id))

    def door(self, link_id: str) -> tuple[Event, AccessLink] | None:
        """The published (or cancelled) event an access link opens, with the link; None for unknown links."""
        if not is_well_formed(link_id):
            return None
        with self._db.read() as session:
            link = session.get(AccessLink, link_id)
            event = session.get(Event, link.event_id) if link else None
        if link is None or event is None or event.status not in (EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value):
            return None
        return event, link


def rules_of(link: AccessLink) -> AccessRules:
    """Who may register through the link: anyone, or the listed domains and addresses."""
    return AccessRules.of("", {"allow_domain_list": link.allow_domain_list, "email_restrict_list": link.email_restrict_list})


def _link(session: Session, event_id: str, link_id: str) -> AccessLink:
    link = session.get(AccessLink, link_id) if is_well_formed(link_id) else None
    if link is None or link.event_id != event_id:
        raise AccessLinkNotFound()
    return link


def _clear_default(session: Session, event_id: str) -> None:
    session.execute(update(AccessLink).where(AccessLink.event_id == event_id).values(is_default=False))


def _checked(session: Session, event: Event, fields: dict[str, Any], current: AccessLink | None) -> dict[str, Any]:
    creating = current is None
    problems: list[FieldError] = []
    values: dict[str, Any] = {}
    name = fields.get("name")
    if name is not None or creating:
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            problems.append(FieldError("name", "name is required, up to 100 characters."))
        else:
            taken = session.scalar(select(AccessLink.id).where(AccessLink.event_id == event.id, AccessLink.name == name.strip()))
            if taken is not None and (current is None or taken != current.id):
                raise DuplicateAccessLinkName()
            values["name"] = name.strip()
    if creating:
        if fields.get("type") not in TYPES:
            problems.append(FieldError("type", "type is registration or group-join."))
        else:
            values["type"] = fields["type"]
    for field, allowed in (("authentication_method", AUTHENTICATION), ("recurring_registration_option", RECURRING)):
        value = fields.get(field)
        if value is not None or (creating and field == "authentication_method"):
            if value not in allowed:
                problems.append(FieldError(field, f"{field} is one of {', '.join(allowed)}."))
            else:
                values[field] = value
    if fields.get("idp_name") is not None:
        values["idp_name"] = str(fields["idp_name"])[:100]
    for field, most in (("allow_domain_list", 20000), ("email_restrict_list", 20000)):
        value = fields.get(field)
        if value is None:
            if creating:
                values[field] = []
            continue
        if not isinstance(value, list) or len(value) > most or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(FieldError(field, f"{field} is a list of strings."))
        else:
            values[field] = [v.strip().lower() for v in value]
    security = fields.get("security_at_join")
    if security is not None:
        if not isinstance(security, dict) or not all(isinstance(security.get(k, False), bool) for k in ("email_authentication", "security_code_verification")):
            problems.append(FieldError("security_at_join", "security_at_join holds email_authentication and security_code_verification, true or false."))
        else:
            values["security_at_join"] = {k: security[k] for k in ("email_authentication", "security_code_verification") if k in security}
    elif creating:
        values["security_at_join"] = {}
    if fields.get("is_default") is not None:
        if not isinstance(fields["is_default"], bool):
            problems.append(FieldError("is_default", "is_default is true or false."))
        else:
            values["is_default"] = fields["is_default"]
    elif creating:
        values["is_default"] = False
    type_id = fields.get("ticket_type_id")
    if type_id is not None:
        found = session.get(TicketType, type_id) if isinstance(type_id, str) and is_well_formed(type_id) else None
        if found is None or found.event_id != event.id:
            raise AccessLinkTicketType()
        values["ticket_type_id"] = type_id
    if problems:
        raise ValidationFailed(problems)
    return values
