"""Video-on-demand channels of a hub: their videos, registration questions and registrations.

A VIDEO_LIST_HUB channel, once published, has a page of its own (`channel_link`) where people
register; embedded channels are published from the start and are shown by the `embed_script`
on any site. A registration has a personal join link that opens the channel's player page, which
reports how long each video was watched (the registrations report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townhall import links
from townhall.clock import Clock
from townhall.domain import registration as rules
from townhall.domain.errors import (
    AccessRestricted,
    FieldError,
    ValidationFailed,
    VodChannelNotFound,
    VodVideoNotFound,
)
from townhall.domain.ids import is_well_formed, new_id, new_token
from townhall.domain.principal import Principal
from townhall.domain.schedule import format_utc
from townhall.domain.text_fields import is_count, read_text
from townhall.services import webhooks
from townhall.services.hubs import owned_hub
from townhall.services.files import VIDEO_TYPES
from townhall.storage.models import StoredFile, VodChannel, VodChannelVideo, VodRegistration, VodWatch
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database

TYPES = ("VIDEO_LIST_HUB", "MULTI_VIDEO_EMBEDDED", "SINGLE_VIDEO_EMBEDDED")
AUTH_METHODS = ("zoom_account", "email_otp", "bypass_auth")
MAX_REGISTRATIONS_PER_CALL = 30
TEXT_LIMITS = {"name": 200, "description": 2000}
STANDARD_FIELDS = ("first_name", "last_name", "address", "city", "state", "zip", "country", "phone", "industry",
                   "job_title", "organization", "organization_size", "comments")


@dataclass
class Registered:
    registration: VodRegistration
    created: bool


class VodService:
    def __init__(self, db: Database, clock: Clock, public_url: str) -> None:
        self._db, self._clock, self._public_url = db, clock, public_url

    # -- channels -----------------------------------------------------------------------------
    def list(self, actor: Principal, hub_id: str, limit: int, after: tuple[str, str] | None) -> Page:
        with self._db.read() as session:
            hub = owned_hub(session, actor, hub_id)
            return keyset_page(session, select(VodChannel).where(VodChannel.hub_id == hub.id), VodChannel.created_at, VodChannel.id, limit, after)

    def create(self, actor: Principal, hub_id: str, fields: dict[str, Any]) -> VodChannel:
        problems: list[FieldError] = []
        text = read_text(fields, TEXT_LIMITS, problems)
        name, description = text.get("name"), text.get("description") or ""
        if not name and not any(p.field == "name" for p in problems):
            problems.append(FieldError("name", "name is required."))
        kind = fields.get("type")
        kind = kind.upper() if isinstance(kind, str) else kind
        if kind not in TYPES:
            problems.append(FieldError("type", f"type must be one of {', '.join(TYPES)}."))
        if problems:
            raise ValidationFailed(problems)
        now = self._clock.now()
        with self._db.write() as session:
            hub = owned_hub(session, actor, hub_id)
            # Embedded channels are published from the start (Zoom's spec); a hub's own list waits for publish.
            channel = VodChannel(id=new_id(), account_id=actor.account_id, hub_id=hub.id, host_user_id=actor.user_id, name=name, description=description, type=kind,
                                 status="DRAFT" if kind == "VIDEO_LIST_HUB" else "PUBLISHED",
                                 settings={"authentication_method": "bypass_auth", "allow_domain_list": [], "allow_email_list": []},
                                 questions=None, created_at=now, updated_at=now)
            session.add(channel)
        return channel

    def get(self, actor: Principal, hub_id: str, channel_id: str) -> VodChannel:
        with self._db.read() as session:
            return _channel(session, actor, hub_id, channel_id)

    def update(self, actor: Principal, hub_id: str, channel_id: str, fields: dict[str, Any]) -> None:
        problems: list[FieldError] = []
        text = read_text(fields, TEXT_LIMITS, problems)
        values: dict[str, Any] = {}
        if "name" in fields:
            if not text.get("name") and not any(p.field == "name" for p in problems):
                problems.append(FieldError("name", "name cannot be empty."))
            values["name"] = text.get("name")
        if "description" in fields:
            values["description"] = text.get("description") or ""
        settings = fields.get("settings")
        if settings is not None and not isinstance(settings, dict):
            problems.append(FieldError("settings", "settings must be an object."))
            settings = None
        if problems:
            raise ValidationFailed(problems)
        with self._db.write() as session:
            channel = _channel(session, actor, hub_id, channel_id)
            if settings is not None:
                values["settings"] = _settings(channel.settings, settings)
            for name, value in values.items():
                setattr(channel, name, value)
            channel.updated_at = self._clock.now()

    def delete(self, actor: Principal, hub_id: str, channel_id: str) -> None:
        with self._db.write() as session:
            session.delete(_channel(session, actor, hub_id, channel_id))

    def publish(self, actor: Principal, hub_id: str, channel_id: str) -> None:
        with self._db.write() as session:
            channel = _channel(session, actor, hub_id, channel_id)
            channel.status = "PUBLISHED"
            channel.updated_at = self._clock.now()

    # -- videos -------------------------------------------------------------------------------
    def videos(self, actor: Principal, hub_id: str, channel_id: str) -> list[StoredFile]:
        with self._db.read() as session:
            channel = _channel(session, actor, hub_id, channel_id)
            return channel_videos(session, channel.id)

    def add_videos(self, actor: Principal, hub_id: str, channel_id: str, video_ids: Any) -> list[dict[str, str]]:
        """Adds the hub's videos; the ones that cannot be added come back with the reason."""
        if not isinstance(video_ids, list) or not video_ids or not all(isinstance(v, str) for v in video_ids):
            raise ValidationFailed.one("video_ids", "video_ids must be a non-empty list of video ids.")
        errors: list[dict[str, str]] = []
        now = self._clock.now()
        with self._db.write() as session:
            channel = _channel(session, actor, hub_id, channel_id)
            present = {v.id for v in channel_videos(session, channel.id)}
            if channel.type == "SINGLE_VIDEO_EMBEDDED" and len(present | set(video_ids)) > 1:
                raise ValidationFailed.one("video_ids", "A SINGLE_VIDEO_EMBEDDED channel holds one video.")
            for position, video_id in enumerate(dict.fromkeys(video_ids)):
                video = session.get(StoredFile, video_id) if is_well_formed(video_id) else None
                if video is None or video.hub_id != channel.hub_id or video.content_type not in VIDEO_TYPES.values():
                    errors.append({"video_id": video_id, "message": "No video of this hub has this id."})
                elif video_id in present:
                    errors.append({"video_id": video_id, "message": "The video is in the channel already."})
                else:  # a microsecond apart: the channel plays them in the order given
                    session.add(VodChannelVideo(channel_id=channel.id, file_id=video_id, added_at=now + timedelta(microseconds=position)))
            channel.updated_at = now
        return errors

    def remove_video(self, actor: Principal, hub_id: str, channel_id: str, video_id: str) -> None:
        with self._db.write() as session:
            channel = _channel(session, actor, hub_id, channel_id)
            row = session.get(VodChannelVideo, (channel.id, video_id)) if is_well_formed(video_id) else None
            if row is None:
                raise VodVideoNotFound()
            session.delete(row)

    # -- registration -------------------------------------------------------------------------
    def questions(self, actor: Principal, hub_id: str, channel_id: str) -> dict[str, list]:
        """As Zoom's VOD spec words them: a choice question's options are its `answers`."""
        with self._db.read() as session:
            config = _channel(session, actor, hub_id, channel_id).questions or rules.default_questions()
        return {"questions": config["questions"], "custom_questions": [
            {("answers" if k == "options" else k): v for k, v in q.items()} for q in config["custom_questions"]]}

    def set_questions(self, actor: Principal, hub_id: str, channel_id: str, config: Any) -> None:
        if isinstance(config, dict) and isinstance(config.get("custom_questions"), list):
            config = {**config, "custom_questions": [
                {**q, "options": q["answers"]} if isinstance(q, dict) and "answers" in q and "options" not in q else q
                for q in config["custom_questions"]]}
        clean = rules.check_question_config(config)
        with self._db.write() as session:
            channel = _channel(session, actor, hub_id, channel_id)
            channel.questions = clean
            channel.updated_at = self._clock.now()

    def registrations(self, actor: Principal, hub_id: str, channel_id: str, email: str | None, limit: int,
                      after: tuple[str, str] | None) -> Page:
        with self._db.read() as session:
            channel = _channel(session, actor, hub_id, channel_id)
            query = select(VodRegistration).where(VodRegistration.channel_id == channel.id)
            if email:
                query = query.where(VodRegistration.email_normalized == email.strip().lower())
            return keyset_page(session, query, VodRegistration.created_at, VodRegistration.id, limit, after)

    def register(self, actor: Principal | None, channel_id: str, people: Any, *, hub_id: str | None = None,
                 form: bool = False) -> list[Registered]:
        """Registers people (the API: up to 30 at once; the channel's page: one). Someone already
        registered gets their registration back. Each new one is announced (vod_registration_created)."""
        if not isinstance(people, list) or not people or len(people) > MAX_REGISTRATIONS_PER_CALL:
            raise ValidationFailed.one("registrations", f"registrations must list 1 to {MAX_REGISTRATIONS_PER_CALL} people.")
        now = self._clock.now()
        with self._db.write() as session:
            channel = _channel(session, actor, hub_id or "", channel_id) if actor is not None else _public_channel(session, channel_id)
            config = channel.questions or rules.default_questions()
            checked = [self._check(channel, person, config, form) for person in people]
            out: list[Registered] = []
            for email, normalized, answers in checked:
                existing = session.scalar(select(VodRegistration).where(
                    VodRegistration.channel_id == channel.id, VodRegistration.email_normalized == normalized))
                if existing is not None or any(r.registration.email_normalized == normalized for r in out):
                    out.append(Registered(existing or next(r.registration for r in out if r.registration.email_normalized == normalized), False))
                    continue
                row = VodRegistration(id=new_id(), channel_id=channel.id, email=email, email_normalized=normalized,
                                      first_name=answers.first_name, last_name=answers.last_name, answers=answers.standard,
                                      custom_answers=answers.custom, join_token=new_token(), created_at=now)
                session.add(row)
                out.append(Registered(row, True))
            session.flush()
            for item in out:
                if item.created:
                    webhooks.emit(session, channel.account_id, "zoom_events.vod_registration_created",
                                  registration_object(channel, item.registration, self._public_url), now)
        return out

    def _check(self, channel: VodChannel, person: Any, config: dict, form: bool) -> tuple[str, str, rules.Answers]:
        if not isinstance(person, dict):
            raise ValidationFailed.one("registrations", "Each registration must be an object.")
        email, normalized = rules.normalize_email(person.get("email"))
        given = {k: v for k, v in person.items() if k in STANDARD_FIELDS}
        answers = rules.check_answers(config, given, person.get("custom_questions") or [], "standard", form=form)
        settings = channel.settings or {}
        try:
            rules.AccessRules.of("PRIVATE_UNRESTRICTED", {"allow_domain_list": settings.get("allow_domain_list") or [],
                                                          "email_restrict_list": settings.get("allow_email_list") or []}).check(normalized)
        except AccessRestricted:
            raise AccessRestricted("This channel is open only to invited email addresses and domains.") from None
        return email, normalized, answers

    # -- the viewer's side ----------------------------------------------------------------------
    def viewer(self, token: str) -> tuple[VodChannel, VodRegistration, list[StoredFile]] | None:
        with self._db.read() as session:
            registration = session.scalar(select(VodRegistration).where(VodRegistration.join_token == token)) if token else None
            if registration is None:
                return None
            channel = session.get(VodChannel, registration.channel_id)
            if channel is None or channel.status != "PUBLISHED":
                return None
            return channel, registration, channel_videos(session, channel.id)

    def public_channel(self, channel_id: str) -> tuple[VodChannel, list[StoredFile]] | None:
        with self._db.read() as session:
            try:
                channel = _public_channel(session, channel_id)
            except VodChannelNotFound:
                return None
            return channel, channel_videos(session, channel.id)

    def record_watch(self, token: str, video_id: Any, seconds: Any) -> bool:
        """The player's report: this registrant has watched `seconds` of this video so far (kept at its most)."""
        if not isinstance(video_id, str) or not is_count(seconds):
            return False
        with self._db.write() as session:
            registration = session.scalar(select(VodRegistration).where(VodRegistration.join_token == token))
            if registration is None or session.get(VodChannelVideo, (registration.channel_id, video_id)) is None:
                return False
            watch = session.get(VodWatch, (registration.id, video_id))
            video = session.get(StoredFile, video_id)
            cap = video.duration_seconds if video is not None and video.duration_seconds else int(seconds)
            value = min(int(seconds), cap)
            if watch is None:
                session.add(VodWatch(registration_id=registration.id, file_id=video_id, seconds=value, updated_at=self._clock.now()))
            elif value > watch.seconds:
                watch.seconds, watch.updated_at = value, self._clock.now()
        return True

    def report(self, actor: Principal, hub_id: str, channel_id: str, limit: int, after: tuple[str, str] | None) -> tuple[Page, dict[str, list]]:
        """The registrations, and for each the time spent on each video: [(video, seconds)]."""
        page = self.registrations(actor, hub_id, channel_id, None, limit, after)
        ids = [r.id for r in page.items]
        watched: dict[str, list] = {}
        if ids:
            with self._db.read() as session:
                rows = session.execute(select(VodWatch.registration_id, StoredFile, VodWatch.seconds)
                                       .join(StoredFile, StoredFile.id == VodWatch.file_id).where(VodWatch.registration_id.in_(ids)))
                for registration_id, video, seconds in rows:
                    watched.setdefault(registration_id, []).append((video, seconds))
        return page, watched


def registration_object(channel: VodChannel, registration: VodRegistration, base_url: str) -> dict[str, Any]:
    """The object of zoom_events.vod_registration_created."""
    values = {
        "channel_id": channel.id, "hub_id": channel.hub_id, "host_id": channel.host_user_id, "registration_id": registration.id,
        "email": registration.email, "registration_date": format_utc(registration.created_at),
        "authentication_method": "no_auth", "join_link": links.vod_join(base_url, registration.join_token),
        "first_name": registration.first_name or None, "last_name": registration.last_name or None,
        **{k: v for k, v in (registration.answers or {}).items() if k in STANDARD_FIELDS and isinstance(v, str)},
        "custom_questions": [{"title": a["title"], "answer": a["answer"]} for a in registration.custom_answers or []],
    }
    return {k: v for k, v in values.items() if v is not None}


def channel_videos(session: Session, channel_id: str) -> list[StoredFile]:
    return list(session.scalars(select(StoredFile).join(VodChannelVideo, VodChannelVideo.file_id == StoredFile.id)
                                .where(VodChannelVideo.channel_id == channel_id)
                                .order_by(VodChannelVideo.added_at, StoredFile.id)))


def _settings(current: dict, given: dict) -> dict:
    problems: list[FieldError] = []
    out = dict(current or {})
    if "authentication_method" in given:
        method = given["authentication_method"]
        if method not in AUTH_METHODS:
            problems.append(FieldError("settings.authentication_method", f"authentication_method must be one of {', '.join(AUTH_METHODS)}."))
        out["authentication_method"] = method
    for name in ("allow_domain_list", "allow_email_list"):
        if name in given:
            value = given[name]
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(FieldError(f"settings.{name}", f"{name} must be a list of strings."))
            else:
                out[name] = [v.strip().lower() for v in value]
    if problems:
        raise ValidationFailed(problems)
    return out


def _channel(session: Session, actor: Principal, hub_id: str, channel_id: str) -> VodChannel:
    hub = owned_hub(session, actor, hub_id)
    channel = session.get(VodChannel, channel_id) if is_well_formed(channel_id) else None
    if channel is None or channel.hub_id != hub.id:
        raise VodChannelNotFound()
    return channel


def _public_channel(session: Session, channel_id: str) -> VodChannel:
    channel = session.get(VodChannel, channel_id) if is_well_formed(channel_id) else None
    if channel is None or channel.status != "PUBLISHED":
        raise VodChannelNotFound()
    return channel

