"""The tables, as SQLAlchemy mapped classes. Migrations in migrations/ create them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
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
    # Registration questions: {"questions": [...], "custom_questions": [...]} as in Zoom's spec.
    questions: Mapped[dict | None] = mapped_column(JSON)
    # Minutes before the start at which reminder emails go out.
    reminder_minutes: Mapped[list] = mapped_column(JSON, default=lambda: [1440, 60])
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Speaker(Base):
    """A speaker of an event, shown on its page and in its lobby as the flags say."""

    __tablename__ = "speakers"
    __table_args__ = (
        Index("uq_speakers_event_email", "event_id", "email_normalized", unique=True,
              sqlite_where=text("email_normalized IS NOT NULL"), postgresql_where=text("email_normalized IS NOT NULL")),
    )
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(128))
    email_normalized: Mapped[str | None] = mapped_column(String(128))
    job_title: Mapped[str | None] = mapped_column(String(200))
    biography: Mapped[str | None] = mapped_column(Text)
    company_name: Mapped[str | None] = mapped_column(String(200))
    company_website: Mapped[str | None] = mapped_column(String(500))
    linkedin_url: Mapped[str | None] = mapped_column(String(500))
    twitter_url: Mapped[str | None] = mapped_column(String(500))
    youtube_url: Mapped[str | None] = mapped_column(String(500))
    featured_in_event_detail_page: Mapped[bool] = mapped_column(default=False)
    visible_in_event_detail_page: Mapped[bool] = mapped_column(default=True)
    featured_in_lobby: Mapped[bool] = mapped_column(default=False)
    visible_in_lobby: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class EventCoeditor(Base):
    """Someone of another account who may co-edit the event, within their permission groups."""

    __tablename__ = "event_coeditors"
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    email_normalized: Mapped[str] = mapped_column(String(128), primary_key=True)
    email: Mapped[str] = mapped_column(String(128))
    permission_groups: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime]


class EventSession(Base):
    """A session of a conference: its own time, room type, speakers, labels and reservations."""

    __tablename__ = "event_sessions"
    __table_args__ = (Index("ix_event_sessions_event_start", "event_id", "start_time"),)
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    start_time: Mapped[datetime]
    end_time: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    type: Mapped[int] = mapped_column(Integer)  # 0 meeting, 2 webinar, 4 neither
    meeting_number: Mapped[int] = mapped_column(BigInteger)  # shown as meeting_id or webinar_id once published
    speakers: Mapped[list] = mapped_column(JSON, default=list)  # [{"speaker_id", ...flags}]
    flags: Mapped[dict] = mapped_column(JSON, default=dict)  # featured, visible_in_landing_page, ...
    labels: Mapped[dict] = mapped_column(JSON, default=dict)  # track_labels, audience_labels, ... panelist
    record_file_id: Mapped[str | None] = mapped_column(String(64))
    attendance_type: Mapped[str | None] = mapped_column(String(16))
    physical_location: Mapped[str | None] = mapped_column(String(500))
    allow_reservations: Mapped[bool] = mapped_column(default=False)
    max_capacity: Mapped[int | None] = mapped_column(Integer)
    reservations_count: Mapped[int] = mapped_column(Integer, default=0)  # the seat counter, as for events
    polls: Mapped[list | None] = mapped_column(JSON)
    interpreters: Mapped[list | None] = mapped_column(JSON)
    livestream: Mapped[dict | None] = mapped_column(JSON)  # incoming_enabled and the generated stream key
    ended_notified_at: Mapped[datetime | None]  # when zoom_events.session_ended went out (once, fleet-wide)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SessionReservation(Base):
    """A registrant's reserved seat in a session."""

    __tablename__ = "session_reservations"
    session_id: Mapped[str] = mapped_column(ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True)
    registrant_id: Mapped[str] = mapped_column(ForeignKey("registrants.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime]


class SessionAttendance(Base):
    """A registrant's presence in a session: joined from the event room, or checked in on site."""

    __tablename__ = "session_attendance"
    session_id: Mapped[str] = mapped_column(ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True)
    registrant_id: Mapped[str] = mapped_column(ForeignKey("registrants.id", ondelete="CASCADE"), primary_key=True)
    first_join_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    join_count: Mapped[int] = mapped_column(Integer, default=0)
    checked_in_at: Mapped[datetime | None]
    check_in_source: Mapped[str | None] = mapped_column(String(100))


class StoredFile(Base):
    """A file uploaded through the API, kept under TOWNHALL_FILES_DIR and served at /files/{id}."""

    __tablename__ = "files"
    __table_args__ = (Index("ix_files_hub_created", "hub_id", "created_at"),)
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    hub_id: Mapped[str | None] = mapped_column(ForeignKey("hubs.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)  # videos whose length could be read
    created_at: Mapped[datetime]


class MultipartUpload(Base):
    """A large file arriving in parts (at most 100), finished within seven days."""

    __tablename__ = "multipart_uploads"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the upload_id, also the upload_context
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    hub_id: Mapped[str | None] = mapped_column(ForeignKey("hubs.id", ondelete="SET NULL"))
    file_name: Mapped[str] = mapped_column(String(255))
    file_length: Mapped[int | None] = mapped_column(BigInteger)
    parts: Mapped[dict] = mapped_column(JSON, default=dict)  # part number -> etag
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class AccessLink(Base):
    """Another door to an event's registration (/ev/{id}), with its own rules."""

    __tablename__ = "access_links"
    __table_args__ = (UniqueConstraint("event_id", "name"),)
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(16))  # registration | group-join
    is_default: Mapped[bool] = mapped_column(default=False)
    authentication_method: Mapped[str] = mapped_column(String(32))
    idp_name: Mapped[str | None] = mapped_column(String(100))
    allow_domain_list: Mapped[list] = mapped_column(JSON, default=list)
    email_restrict_list: Mapped[list] = mapped_column(JSON, default=list)
    security_at_join: Mapped[dict] = mapped_column(JSON, default=dict)
    ticket_type_id: Mapped[str | None] = mapped_column(ForeignKey("ticket_types.id", ondelete="SET NULL"))
    recurring_registration_option: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]


class WebhookSubscription(Base):
    """An endpoint that receives zoom_events.* webhooks of one account, signed with its secret token."""

    __tablename__ = "webhook_subscriptions"
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))  # the secret token: needed as it is, to sign
    events: Mapped[list] = mapped_column(JSON)  # the event types it wants
    created_at: Mapped[datetime]
    validated_at: Mapped[datetime | None]  # the last url_validation the endpoint answered
    validation_failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive; 6 disable it
    disabled_at: Mapped[datetime | None]


class VodChannel(Base):
    """A hub's video-on-demand channel: a list of its videos, on a page of its own or embedded elsewhere."""

    __tablename__ = "vod_channels"
    __table_args__ = (Index("ix_vod_channels_hub_created", "hub_id", "created_at", "id"),)
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    hub_id: Mapped[str] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"))
    host_user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))  # who created it (the webhooks' host_id)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(32))  # VIDEO_LIST_HUB | MULTI_VIDEO_EMBEDDED | SINGLE_VIDEO_EMBEDDED
    status: Mapped[str] = mapped_column(String(16))  # DRAFT | PUBLISHED
    settings: Mapped[dict] = mapped_column(JSON, default=dict)  # authentication_method, allow lists
    questions: Mapped[dict | None] = mapped_column(JSON)  # the registration form; None: email and names only
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class VodChannelVideo(Base):
    __tablename__ = "vod_channel_videos"
    channel_id: Mapped[str] = mapped_column(ForeignKey("vod_channels.id", ondelete="CASCADE"), primary_key=True)
    file_id: Mapped[str] = mapped_column(ForeignKey("files.id", ondelete="CASCADE"), primary_key=True)
    added_at: Mapped[datetime]


class VodRegistration(Base):
    """A person registered for a channel, with a personal join link to watch it."""

    __tablename__ = "vod_registrations"
    __table_args__ = (UniqueConstraint("channel_id", "email_normalized"), Index("ix_vod_registrations_channel_created", "channel_id", "created_at", "id"))
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    channel_id: Mapped[str] = mapped_column(ForeignKey("vod_channels.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254))
    first_name: Mapped[str] = mapped_column(String(64), default="")
    last_name: Mapped[str] = mapped_column(String(64), default="")
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    custom_answers: Mapped[list] = mapped_column(JSON, default=list)
    join_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class VodWatch(Base):
    """How long a registrant has watched one video of the channel (reported by the player page)."""

    __tablename__ = "vod_watches"
    registration_id: Mapped[str] = mapped_column(ForeignKey("vod_registrations.id", ondelete="CASCADE"), primary_key=True)
    file_id: Mapped[str] = mapped_column(ForeignKey("files.id", ondelete="CASCADE"), primary_key=True)
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]


class ChatMessage(Base):
    """A message in a live event's room (the lobby chat) or in one of its sessions."""

    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_event_created", "event_id", "created_at", "id"),)
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    session_id: Mapped[str | None] = mapped_column(String(22))  # None: the event's room
    registrant_id: Mapped[str | None] = mapped_column(String(22))
    sender_name: Mapped[str] = mapped_column(String(200))
    sender_email: Mapped[str] = mapped_column(String(254))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class SurveyResponse(Base):
    """An attendee's answers to the event's survey, once the event has ended (one per registrant)."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_event_created", "event_id", "created_at", "id"),)
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registrant_id: Mapped[str] = mapped_column(ForeignKey("registrants.id", ondelete="CASCADE"), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))  # None when answered anonymously
    answers: Mapped[list] = mapped_column(JSON)  # [{"question", "answer"}]
    created_at: Mapped[datetime]


class CustomReport(Base):
    """A custom report template of an event: the registrant columns the organizer chose."""

    __tablename__ = "custom_reports"
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    columns: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime]


class RateCounter(Base):
    """Requests of one account in one rate-limit category and window (a second, or a UTC day)."""

    __tablename__ = "rate_counters"
    account_id: Mapped[str] = mapped_column(String(22), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    period: Mapped[str] = mapped_column(String(24), primary_key=True)  # "s:<epoch second>" or "d:<yyyy-mm-dd>"
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class SponsorTier(Base):
    """A conference's sponsor levels; every conference starts with Zoom's usual four."""

    __tablename__ = "sponsor_tiers"
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer)


class Exhibitor(Base):
    """An exhibitor or sponsor of a conference, with its booth's links and sessions."""

    __tablename__ = "exhibitors"
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    is_sponsor: Mapped[bool]
    tier_id: Mapped[str | None] = mapped_column(ForeignKey("sponsor_tiers.id", ondelete="SET NULL"))
    description: Mapped[str | None] = mapped_column(Text)
    associated_sessions: Mapped[list] = mapped_column(JSON, default=list)
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(128))
    website: Mapped[str | None] = mapped_column(String(500))
    privacy_policy: Mapped[str | None] = mapped_column(String(500))
    linkedin_url: Mapped[str | None] = mapped_column(String(500))
    twitter_url: Mapped[str | None] = mapped_column(String(500))
    youtube_url: Mapped[str | None] = mapped_column(String(500))
    instagram_url: Mapped[str | None] = mapped_column(String(500))
    facebook_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TicketType(Base):
    __tablename__ = "ticket_types"
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    is_default: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    free: Mapped[bool] = mapped_column(default=True)
    price: Mapped[str] = mapped_column(String(32), default="0")
    quantity: Mapped[int | None] = mapped_column(Integer)  # None: limited only by the event
    sold_quantity: Mapped[int] = mapped_column(Integer, default=0)  # counter, kept with each registration
    sale_start: Mapped[datetime | None]
    sale_end: Mapped[datetime | None]
    sessions: Mapped[list] = mapped_column(JSON, default=list)
    bookmarked_sessions: Mapped[list] = mapped_column(JSON, default=list)
    visibility: Mapped[dict] = mapped_column(JSON, default=dict)  # private_visibility_rules
    attendance_type: Mapped[str | None] = mapped_column(String(16))
    questions: Mapped[dict | None] = mapped_column(JSON)  # None: the event's questions apply
    created_at: Mapped[datetime]


class Registrant(Base):
    """A ticket: one person registered for one event, with a personal join link."""

    __tablename__ = "registrants"
    __table_args__ = (
        # One live registration per (event, normalized email); cancelled ones do not count. The
        # email comes first so that "which of these emails are registered?" is a lookup per email
        # whatever the planner's statistics say (event first made PostgreSQL scan the event).
        Index(
            "uq_registrants_email_event", "email_normalized", "event_id", unique=True,
            sqlite_where=text("cancelled_at IS NULL"), postgresql_where=text("cancelled_at IS NULL"),
        ),
        Index("ix_registrants_event_created", "event_id", "created_at", "id"),
    )
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    ticket_type_id: Mapped[str] = mapped_column(ForeignKey("ticket_types.id"))
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254))
    first_name: Mapped[str] = mapped_column(String(64), default="")
    last_name: Mapped[str] = mapped_column(String(64), default="")
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # standard fields beyond the name
    custom_answers: Mapped[list] = mapped_column(JSON, default=list)  # [{"title", "answer"}]
    external_ticket_id: Mapped[str | None] = mapped_column(String(128))
    registration_source: Mapped[str | None] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(32))  # self-registration | pre_registration
    send_notification: Mapped[bool] = mapped_column(default=True)
    join_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    first_join_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    join_count: Mapped[int] = mapped_column(Integer, default=0)
    last_resent_at: Mapped[datetime | None]
    # On-site check-in (PATCH .../attendee_action), with the source the host's app gave.
    checked_in_at: Mapped[datetime | None]
    check_in_source: Mapped[str | None] = mapped_column(String(100))


class OutboxMessage(Base):
    """An email to send, written in the same transaction as the change that causes it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))  # confirmation | cancellation | reminder
    event_id: Mapped[str] = mapped_column(String(22), index=True)
    registrant_id: Mapped[str | None] = mapped_column(String(22))  # not indexed: looked up only within an event
    recipient: Mapped[str] = mapped_column(String(254))
    message_id: Mapped[str] = mapped_column(String(200), unique=True)  # kept across retries
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sending|sent|failed|skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class _ReminderRecord:
    """When a reminder was due, when it was queued, and for how many people."""

    minutes_before: Mapped[int] = mapped_column(Integer, primary_key=True)
    due_at: Mapped[datetime]
    ran_at: Mapped[datetime]
    recipients: Mapped[int] = mapped_column(Integer)


class ReminderRun(_ReminderRecord, Base):
    """A reminder that has gone out: its primary key makes it happen once across every process."""

    __tablename__ = "reminder_runs"
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)


class OccurrenceReminderRun(_ReminderRecord, Base):
    """A reminder before one occurrence of a RECURRING event that has gone out, once across every process."""

    __tablename__ = "occurrence_reminder_runs"
    session_id: Mapped[str] = mapped_column(ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True)
