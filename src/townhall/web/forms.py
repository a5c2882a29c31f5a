"""The registration form: which questions it shows, and turning a submitted form into a ticket request."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from townhall.domain.registration import ALWAYS_ASKED, CHOICE_TYPES, STANDARD_FIELDS, default_questions
from townhall.services.registration import TicketRequest
from townhall.storage.models import Event, TicketType


def form_questions(event: Event, types: list[TicketType]) -> dict[str, list]:
    """The questions shown: the event's and those of every ticket type on offer, each once."""
    configs = [t.questions for t in types if t.questions is not None] + [event.questions or default_questions()]
    standard: dict[str, dict] = {}
    custom: dict[str, dict] = {}
    for config in configs:
        for q in config.get("questions", []):
            if q["field_name"] not in ALWAYS_ASKED:
                seen = standard.setdefault(q["field_name"], dict(q, title=q.get("title") or STANDARD_FIELDS[q["field_name"]]))
                seen["required"] = seen["required"] or q.get("required", False)
        for q in config.get("custom_questions", []):
            custom.setdefault(q["title"], q)
    return {"questions": list(standard.values()), "custom_questions": list(custom.values())}


def ticket_request(form: FormData, questions: dict[str, list]) -> TicketRequest:
    answers: dict[str, Any] = {name: form.get(name, "") for name in ALWAYS_ASKED}
    for q in questions["questions"]:
        answers[q["field_name"]] = form.get(q["field_name"], "")
    custom = []
    for q in questions["custom_questions"]:
        key = f"q_{q.get('question_id') or q['title']}"
        value: Any = form.getlist(key) if q.get("type") == "multiple_choice" else form.get(key, "")
        custom.append({"title": q["title"], "answer": value})
    return TicketRequest(
        email=form.get("email", ""), answers=answers, custom=custom,
        ticket_type_id=form.get("ticket_type_id") or None,
    )


def field_kind(question: dict) -> str:
    kind = question.get("type", "short_answer")
    return kind if kind in (*CHOICE_TYPES, "long_answer") else "short_answer"
