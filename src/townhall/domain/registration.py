"""Registration rules: who may register, for which seat, with which answers. Pure; no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from townhall.domain.errors import (
    AccessRestricted,
    EventNotPublished,
    FieldError,
    InvalidAnswers,
    MissingRequiredFields,
    NonconfiguredFields,
    RegistrationClosed,
    SaleClosed,
    SoldOut,
    ValidationFailed,
)
from townhall.domain.ids import new_id
from townhall.domain.lifecycle import EventStatus, Phase

# Seats per event by format, as Zoom sells them.
CAPACITY = {"WEBINAR": 100_000, "MEETING": 1_000}
DEFAULT_CAPACITY = 100_000

STANDARD_FIELDS: dict[str, str] = {
    "first_name": "First Name", "last_name": "Last Name", "address": "Address", "city": "City",
    "state": "State/Province", "zip": "Zip/Postal Code", "country": "Country/Region", "phone": "Phone",
    "industry": "Industry", "job_title": "Job Title", "organization": "Organization",
    "organization_size": "Organization Size",
}
ALWAYS_ASKED = ("first_name", "last_name")  # with the email, on every form
EXTRA_FIELDS = ("comments",)
CUSTOM_TYPES = ("short_answer", "long_answer", "single_radio", "single_dropdown", "multiple_choice")
CHOICE_TYPES = ("single_radio", "single_dropdown", "multiple_choice")
MAX_ANSWER = 2000


def capacity(meeting_type: str | None) -> int:
    return CAPACITY.get(meeting_type or "", DEFAULT_CAPACITY)


# Plain ASCII addresses (dot-atom local part, a registrable-looking domain) are what nearly
# everyone types; they are checked here in microseconds. Anything else goes to email-validator,
# which stays the authority (and costs ~0.15 ms an address: too much for the registration rush).
_PLAIN_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$"
)
# Special-use names (RFC 6761) that email-validator refuses: single labels, looked up by the
# address's last label; any of several labels are compared in full.
_SPECIAL_TLDS = frozenset(d for d in SPECIAL_USE_DOMAIN_NAMES if "." not in d)
_SPECIAL_DOMAINS = tuple(d for d in SPECIAL_USE_DOMAIN_NAMES if "." in d)


def normalize_email(raw: object) -> tuple[str, str]:
    """(the address as given, trimmed; the form that identifies a person: lower case)."""
    if not isinstance(raw, str) or not raw.strip():
        raise ValidationFailed.one("email", "An email address is required.")
    text = raw.strip()
    if len(text) > 128:
        raise ValidationFailed.one("email", "The email address is longer than 128 characters.")
    plain = _PLAIN_EMAIL.match(text)
    if plain and plain.start(1) <= 65:  # a local part of 64 characters at most, before the "@"
        domain = plain.group(1).lower()
        special = domain.rpartition(".")[2] in _SPECIAL_TLDS or (
            bool(_SPECIAL_DOMAINS) and any(domain == d or domain.endswith("." + d) for d in _SPECIAL_DOMAINS))
        if "xn--" not in domain and not special:
            normalized = text[: plain.start(1)] + domain
            return normalized, normalized.lower()
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationFailed.one("email", f"This is not a valid email address: {exc}") from None
    return checked.normalized, checked.normalized.lower()


def check_open(status: str, phase: Phase) -> None:
    """Registration needs a published event that is not over; it stays open while it is live."""
    if status != EventStatus.PUBLISHED.value:
        raise EventNotPublished()
    if phase is Phase.COMPLETED:
        raise RegistrationClosed()


def check_sale_window(now: datetime, start: datetime | None, end: datetime | None) -> None:
    if (start is not None and now < start) or (end is not None and now > end):
        raise SaleClosed("Tickets of this type are not on sale at this time.")


def check_seats(event_taken: int, event_capacity: int, type_sold: int, type_quantity: int | None) -> None:
    if event_taken >= event_capacity:
        raise SoldOut("This event is full: every seat has been taken.")
    if type_quantity is not None and type_sold >= type_quantity:
        raise SoldOut("Tickets of this type are sold out.")


@dataclass(frozen=True)
class AccessRules:
    restricted: bool  # the event is PRIVATE_RESTRICTED
    domains: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    blocked_countries: tuple[str, ...] = ()

    @classmethod
    def of(cls, access_level: str, visibility: dict[str, Any] | None, blocked_countries: list[str] | None = None) -> "AccessRules":
        visibility = visibility or {}
        return cls(
            restricted=access_level == "PRIVATE_RESTRICTED",
            domains=tuple(d.strip().lower().lstrip("@") for d in visibility.get("allow_domain_list") or () if d.strip()),
            emails=tuple(e.strip().lower() for e in visibility.get("email_restrict_list") or () if e.strip()),
            blocked_countries=tuple(c.upper() for c in blocked_countries or ()),
        )

    def check(self, email_normalized: str, country: str | None = None) -> None:
        if country and country.strip().upper() in self.blocked_countries:
            raise AccessRestricted("Registration is not available from your country or region.")
        listed = bool(self.domains or self.emails)
        if not (self.restricted or listed):
            return
        domain = email_normalized.rsplit("@", 1)[1]
        if email_normalized in self.emails or any(domain == d or domain.endswith("." + d) for d in self.domains):
            return
        raise AccessRestricted()


@dataclass
class Answers:
    first_name: str = ""
    last_name: str = ""
    standard: dict[str, str] = field(default_factory=dict)  # other standard fields and comments
    custom: list[dict[str, str]] = field(default_factory=list)  # [{"title", "answer"}]


def default_questions() -> dict[str, list]:
    return {"questions": [], "custom_questions": []}


def check_answers(config: dict[str, Any] | None, given: dict[str, Any], custom: list[dict[str, Any]], level: str, *, form: bool = False) -> Answers:
    """Answers checked against the configured questions (see Questions.check)."""
    return Questions(config).check(given, custom, level, form=form)


_OTHER_FIELDS = tuple(k for k in (*STANDARD_FIELDS, *EXTRA_FIELDS) if k not in ALWAYS_ASKED)
_NAME_FIELDS = frozenset(ALWAYS_ASKED)


class Questions:
    """An event's (or ticket type's) registration questions, read once to check many people's answers."""

    __slots__ = ("questions", "customs", "required")

    def __init__(self, config: dict[str, Any] | None) -> None:
        config = config or default_questions()
        self.questions = {q["field_name"]: q for q in config.get("questions", [])}
        self.customs = {q["title"]: q for q in config.get("custom_questions", [])}
        self.required = frozenset(name for name, q in self.questions.items() if q.get("required"))

    def check(self, given: dict[str, Any], custom: list[dict[str, Any]], level: str, *, form: bool = False) -> Answers:
        """`level` is the API's validation_level: `none` keeps everything unchecked, `standard` checks
        required answers and choices, `strict` also refuses answers to questions nobody configured.
        On the page (`form=True`) first and last name are always required and every problem is
        reported beside its field; through the API they are reported in Zoom's request-level codes."""
        questions, customs = self.questions, self.customs
        out = Answers(
            first_name=_text(given.get("first_name"))[:64], last_name=_text(given.get("last_name"))[:64],
            # (most people give their name alone: then there is nothing more to look for)
            standard={k: text[:MAX_ANSWER] for k in _OTHER_FIELDS if k in given and (text := _text(given[k]))}
            if given.keys() - _NAME_FIELDS else {},
        )
        if not custom and level != "strict" and not customs and not self.required and not form:
            return out  # nothing asked beyond the standard fields, nothing answered beyond them: nothing to check
        titles = [_text(item.get("title")) for item in custom]
        if len(set(titles)) != len(titles):
            raise InvalidAnswers([FieldError("custom_questions", "The same custom question is answered twice.")])
        answers = {_text(item.get("title")): item.get("answer") for item in custom}
        if level == "none":
            out.custom = [{"title": t, "answer": _answer_text(a)} for t, a in answers.items()]
            return out
        errors: list[FieldError] = []
        required = self.required | set(ALWAYS_ASKED) if form else self.required
        missing = [name for name in required if not _text(given.get(name))]
        if level == "strict":
            unknown = [k for k in (*STANDARD_FIELDS, *EXTRA_FIELDS) if k not in questions and k not in ALWAYS_ASKED and k != "comments" and _text(given.get(k))]
            unknown += [t for t in answers if t not in customs]
            if unknown:
                raise NonconfiguredFields(f"Nonconfigured fields - {unknown}.")
        for title, question in customs.items():
            key = f"q_{question.get('question_id') or title}"
            value = answers.get(title)
            if value in (None, "", []):
                if question.get("required"):
                    missing.append(title) if not form else errors.append(FieldError(key, "This question needs an answer."))
                continue
            problem, clean = _check_custom(question, value)
            if problem:
                errors.append(FieldError(key if form else f"custom_questions[{title}]", problem))
            else:
                out.custom.append({"title": title, "answer": clean})
        if missing:
            if form:
                errors.extend(FieldError(name, "This field is required.") for name in missing if name in STANDARD_FIELDS)
            else:
                raise MissingRequiredFields(f"Missing required fields - {sorted(missing)}.")
        if errors:
            raise InvalidAnswers(errors)
        return out


def _check_custom(question: dict[str, Any], value: Any) -> tuple[str | None, str]:
    kind = question.get("type", "short_answer")
    options = [str(o) for o in question.get("options") or []]
    if kind in CHOICE_TYPES:
        chosen = value if isinstance(value, list) else ([value] if _text(value) in options else _text(value).split(","))
        chosen = [_text(c) for c in chosen if _text(c)]
        if not chosen or any(c not in options for c in chosen):
            return f"Choose from: {', '.join(options)}.", ""
        if kind != "multiple_choice" and len(chosen) > 1:
            return "Choose one answer.", ""
        return None, ", ".join(chosen)
    text = _answer_text(value)
    low, high = question.get("min_length"), question.get("max_length")
    if low and len(text) < low:
        return f"Write at least {low} characters.", ""
    if len(text) > min(high or MAX_ANSWER, MAX_ANSWER):
        return f"Write at most {min(high or MAX_ANSWER, MAX_ANSWER)} characters.", ""
    return None, text


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _answer_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return _text(value) if isinstance(value, str) else ("" if value is None else str(value))


def _listed(container: dict, key: str, errors: list[FieldError], prefix: str = "") -> list:
    """`container[key]` when it is a list (missing or null: none), else an error about it."""
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(FieldError(f"{prefix}{key}", f"{key} must be a list."))
        return []
    return value


def _required(question: dict, prefix: str, errors: list[FieldError]) -> bool:
    """A question's `required`: true or false (missing or null: false). "false" is not false."""
    value = question.get("required")
    if value is not None and not isinstance(value, bool):
        errors.append(FieldError(f"{prefix}required", "required must be true or false."))
    return value is True


def check_question_config(config: Any) -> dict[str, list]:
    """The organizer's questions, validated: known standard fields, known custom types, options where needed."""
    if not isinstance(config, dict):
        raise ValidationFailed.one("body", "Expected an object with questions and custom_questions.")
    errors: list[FieldError] = []
    out: dict[str, list] = {"questions": [], "custom_questions": []}
    seen: set[str] = set()
    for i, q in enumerate(_listed(config, "questions", errors)):
        name = q.get("field_name") if isinstance(q, dict) else None
        if not isinstance(name, str) or name not in STANDARD_FIELDS:
            errors.append(FieldError(f"questions[{i}].field_name", f"Unknown field {name!r}; expected one of: {', '.join(STANDARD_FIELDS)}."))
        elif name in seen:
            errors.append(FieldError(f"questions[{i}].field_name", f"{name} is listed twice."))
        else:
            seen.add(name)
            out["questions"].append({
                "field_name": name, "required": _required(q, f"questions[{i}].", errors),
                "title": _text(q.get("title")) or STANDARD_FIELDS[name], "question_id": _text(q.get("question_id")) or new_id(),
            })
    titles: set[str] = set()
    for i, q in enumerate(_listed(config, "custom_questions", errors)):
        if not isinstance(q, dict):
            errors.append(FieldError(f"custom_questions[{i}]", "Expected an object."))
            continue
        title, kind = _text(q.get("title")), q.get("type", "short_answer")
        options = [_text(o) for o in _listed(q, "options", errors, f"custom_questions[{i}].") if _text(o)]
        if not title:
            errors.append(FieldError(f"custom_questions[{i}].title", "A question needs a title."))
        elif title in titles:
            errors.append(FieldError(f"custom_questions[{i}].title", "Two custom questions have the same title."))
        if not isinstance(kind, str) or kind not in CUSTOM_TYPES:
            errors.append(FieldError(f"custom_questions[{i}].type", f"Unknown type {kind!r}; expected one of: {', '.join(CUSTOM_TYPES)}."))
        elif kind in CHOICE_TYPES and not options:
            errors.append(FieldError(f"custom_questions[{i}].options", f"A {kind} question needs options."))
        titles.add(title)
        item = {
            "title": title, "type": kind, "required": _required(q, f"custom_questions[{i}].", errors),
            "question_id": _text(q.get("question_id")) or new_id(),
        }
        if kind in CHOICE_TYPES:
            item["options"] = options
        else:
            for bound in ("min_length", "max_length"):
                if isinstance(q.get(bound), int) and q[bound] >= 0:
                    item[bound] = q[bound]
        out["custom_questions"].append(item)
    if errors:
        raise ValidationFailed(errors)
    return out
