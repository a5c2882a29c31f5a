"""The tables, as SQLAlchemy mapped classes. Migrations in migrations/ create them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from townhall.storage.types import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}


class ServerSetting(Base):
    """Server-wide values shared by every process (the token-signing key when none is configured)."""

    __tablename__ = "server_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("account_id", "email"),)
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))  # owner | member
    created_at: Mapped[datetime]


class OAuthApp(Base):
    __tablename__ = "oauth_apps"
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(Text)  # space-separated
    created_at: Mapped[datetime]


class Hub(Base):
    __tablename__ = "hubs"
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    access_level: Mapped[str] = mapped_column(String(16), default="PUBLIC")
    hidden: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    auto_list_events: Mapped[bool] = mapped_column(default=True)
    landing: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class HubHost(Base):
    __tablename__ = "hub_hosts"
    hub_id: Mapped[str] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime]


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_account_status_start", "account_id", "status", "start_time"),)
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    hub_id: Mapped[str] = mapped_column(ForeignKey("hubs.id"), index=True)
    host_user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16))  # draft | published | cancelled
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(16))
    meeting_type: Mapped[str | None] = mapped_column(String(16))
    access_level: Mapped[str] = mapped_column(String(32))
    attendance_type: Mapped[str] = mapped_column(String(16))
    calendar: Mapped[list] = mapped_column(JSON)  # [{"start_time", "end_time"}] in UTC wire format
    start_time: Mapped[datetime]  # derived from calendar, kept for filtering and ordering
    end_time: Mapped[datetime]
    lobby_start_time: Mapped[datetime | None]
    lobby_end_time: Mapped[datetime | None]
    categories: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    blocked_countries: Mapped[list] = mapped_column(JSON, default=list)
    recurrence: Mapped[dict | None] = mapped_column(JSON)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    tagline: Mapped[str | None] = mapped_column(String(500))
    physical_location: Mapped[str | None] = mapped_column(String(500))
    cancel_message: Mapped[str | None] = mapped_column(Text)
    # Seats taken: changed in the same transaction as each registration, never counted.
    registrants_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
