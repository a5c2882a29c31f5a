"""What a session carries besides its place in the agenda: polls, language interpreters, and the
incoming livestream (RTMP) key its host streams to."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from townhall.clock import Clock
from townhall.domain import coediting
from townhall.domain.errors import FieldError, LivestreamNotWebinar, ValidationFailed
from townhall.domain.ids import new_id
from townhall.domain.principal import Principal
from townhall.domain.registration import normalize_email
from townhall.services.events import owned_event
from townhall.services.sessions import session_of
from townhall.storage.models import EventSession
from townhall.storage.uow import Database

QUESTION_TYPES = ("single", "multiple", "matching", "rank_order", "short_answer", "long_answer", "fill_in_the_blank", "rating_scale")
CHOICE_TYPES = ("single", "multiple", "matching", "rank_order")
LANGUAGES = {"US": "English", "CN": "Chinese", "JP": "Japanese", "DE": "German", "FR": "French", "RU": "Russian",
             "PT": "Portuguese", "ES": "Spanish", "KR": "Korean"}
SIGN_LANGUAGES = {"ASE": "American Sign Language", "CSL": "Chinese Sign Language", "FSL": "French Sign Language",
                  "GSG": "German Sign Language", "JSL": "Japanese Sign Language", "RSL": "Russian Sign Language",
                  "BZS": "Brazilian Sign Language", "SSP": "Spanish Sign Language", "MFS": "Mexican Sign Language",
                  "BFI": "British Sign Language"}
KEY_MARGIN = timedelta(hours=1)  # a stream key works from an hour before the session to an hour after


class SessionExtras:
    def __init__(self, db: Database, clock: Clock, rtmp_url: str) -> None:
        self._db, self._clock, self._rtmp = db, clock, rtmp_url.rstrip("/")

    def get(self, actor: Principal, event_id: str, session_id: str) -> EventSession:
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            return session_of(session, event.id, session_id)

    def replace(self, actor: Principal, event_id: str, session_id: str, what: str, body: Any) -> None:
        """PUT polls or interpreters: the list given becomes the session's list."""
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, need=coediting.CONTENT)
            row = session_of(session, event.id, session_id, lock=True)
            if what == "polls":
                row.polls = _polls(body, {p["id"] for p in row.polls or []})
            else:
                row.interpreters = _interpreters(body)
            row.updated_at = self._clock.now()

    def set_livestream(self, actor: Principal, event_id: str, session_id: str, body: Any) -> None:
        body = body if isinstance(body, dict) else {}
        enabled, config = body.get("incoming_enabled"), body.get("incoming_config")
        if not isinstance(enabled, bool):
            raise ValidationFailed.one("incoming_enabled", "incoming_enabled is required: true or false.")
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, need=coediting.CONTENT)
            row = session_of(session, event.id, session_id, lock=True)
            if enabled and row.type != 2:
                raise LivestreamNotWebinar()
            stream = dict(row.livestream or {})
            if enabled:
                if not isinstance(config, dict) or "stream_key_type" not in config:
                    raise ValidationFailed.one("incoming_config.stream_key_type", "Incoming livestream configuration is missing.")
                if config["stream_key_type"] != "GENERATED":
                    raise ValidationFailed.one("incoming_config.stream_key_type", "The stream key type must be GENERATED.")
                if "stream_key" not in stream:  # a generated key is kept and reused for the session
                    stream.update(stream_key_id=new_id(), stream_key=secrets.token_urlsafe(18), stream_key_type="GENERATED",
                                  stream_key_name=f"{row.name[:60]} key", stream_key_description=f"Incoming stream for {row.name[:100]}")
            stream["incoming_enabled"] = enabled
            row.livestream = stream
            row.updated_at = self._clock.now()

    def livestream(self, row: EventSession) -> dict[str, Any]:
        """The configuration as the API shows it: URLs from TOWNHALL_RTMP_URL, times from the session."""
        stream = row.livestream or {}
        body: dict[str, Any] = {"incoming_enabled": bool(stream.get("incoming_enabled"))}
        if "stream_key" in stream:
            body["incoming_config"] = {
                **{k: stream[k] for k in ("stream_key_id", "stream_key_name", "stream_key_description", "stream_key_type", "stream_key")},
                "stream_url": self._rtmp, "stream_backup_url": f"{self._rtmp}?backup=1",
                "effective_time": row.start_time - KEY_MARGIN, "expiration_time": row.end_time + KEY_MARGIN,
            }
        return body


def interpreter_body(entry: dict[str, Any]) -> dict[str, Any]:
    names = LANGUAGES if entry["type"] == 1 else SIGN_LANGUAGES
    body = {"email": entry["email"], "type": entry["type"], "target_language_id": entry["target_language_id"],
            "target_language_display_name": names[entry["target_language_id"]]}
    if entry.get("source_language_id"):
        body.update(source_language_id=entry["source_language_id"], source_language_display_name=LANGUAGES[entry["source_language_id"]])
    return body


def _polls(body: Any, existing: set[str]) -> list[dict[str, Any]]:
    polls = body.get("polls") if isinstance(body, dict) else None
    if not isinstance(polls, list) or len(polls) > 300:
        raise ValidationFailed.one("polls", "polls is a list of up to 300 polls.")
    problems: list[FieldError] = []
    kept = []
    for i, poll in enumerate(polls):
        where = f"polls[{i}]"
        poll = poll if isinstance(poll, dict) else {}
        if poll.get("id") is not None and poll["id"] not in existing:
            problems.append(FieldError(f"{where}.id", "No poll of this session has this id (leave it out to add a poll)."))
        title = poll.get("title")
        if not isinstance(title, str) or not title.strip() or len(title) > 64:
            problems.append(FieldError(f"{where}.title", "title is required, up to 64 characters."))
        if not isinstance(poll.get("anonymous"), bool):
            problems.append(FieldError(f"{where}.anonymous", "anonymous is required: true or false."))
        if poll.get("poll_type") not in (1, 2, 3) or isinstance(poll.get("poll_type"), bool):
            problems.append(FieldError(f"{where}.poll_type", "poll_type is 1 (poll), 2 (advanced poll) or 3 (quiz)."))
        if poll.get("status", "active") not in ("active", "inactive"):
            problems.append(FieldError(f"{where}.status", "status is active or inactive."))
        questions = poll.get("questions", [])
        if not isinstance(questions, list) or len(questions) > 30:
            problems.append(FieldError(f"{where}.questions", "questions is a list of up to 30 questions."))
            questions = []
        for j, question in enumerate(questions):
            problems.extend(_question(question, poll.get("poll_type"), f"{where}.questions[{j}]"))
        kept.append({"id": poll.get("id") or new_id(), "status": poll.get("status", "active"), "anonymous": poll.get("anonymous"),
                     "poll_type": poll.get("poll_type"), "title": title.strip() if isinstance(title, str) else title,
                     "questions": questions})
    if problems:
        raise ValidationFailed(problems)
    return kept


def _question(question: Any, poll_type: Any, where: str) -> list[FieldError]:
    if not isinstance(question, dict):
        return [FieldError(where, "A question is an object with name and type.")]
    problems = []
    name, kind, answers = question.get("name"), question.get("type"), question.get("answers")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        problems.append(FieldError(f"{where}.name", "name is required, up to 255 characters."))
    if kind not in QUESTION_TYPES:
        problems.append(FieldError(f"{where}.type", f"type is one of {', '.join(QUESTION_TYPES)}."))
    elif poll_type == 1 and kind not in ("single", "multiple"):
        problems.append(FieldError(f"{where}.type", "A basic poll (poll_type 1) has single and multiple choice questions only."))
    if kind in CHOICE_TYPES and (not isinstance(answers, list) or not 2 <= len(answers) <= 50
                                 or not all(isinstance(a, str) and a.strip() for a in answers)):
        problems.append(FieldError(f"{where}.answers", "A choice question needs 2 to 50 answers."))
    return problems


def _interpreters(body: Any) -> list[dict[str, Any]]:
    entries = body.get("interpreters") if isinstance(body, dict) else None
    if not isinstance(entries, list) or len(entries) > 300:
        raise ValidationFailed.one("interpreters", "interpreters is a list of up to 300 interpreters.")
    problems: list[FieldError] = []
    kept = []
    for i, entry in enumerate(entries):
        where = f"interpreters[{i}]"
        entry = entry if isinstance(entry, dict) else {}
        try:
            email = normalize_email(entry.get("email"))[0]
        except ValidationFailed:
            problems.append(FieldError(f"{where}.email", "A valid email address is required."))
            continue
        kind, source, target = entry.get("type"), entry.get("source_language_id"), entry.get("target_language_id")
        source, target = (v if isinstance(v, str) else None for v in (source, target))  # (a list or object is no language)
        if kind == 1 and source in LANGUAGES and target in LANGUAGES and source != target:
            kept.append({"email": email, "type": 1, "source_language_id": source, "target_language_id": target})
        elif kind == 2 and target in SIGN_LANGUAGES:
            kept.append({"email": email, "type": 2, "target_language_id": target})
        else:
            problems.append(FieldError(where, "A language interpreter (type 1) needs two different languages of "
                                       f"{', '.join(LANGUAGES)}; a sign language interpreter (type 2) a target of {', '.join(SIGN_LANGUAGES)}."))
    if problems:
        raise ValidationFailed(problems)
    return kept
