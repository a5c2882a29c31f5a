"""/v2/zoom_events/events/{eventId}: tickets, registrants, ticket types and registration questions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from typing_extensions import NotRequired, TypedDict

from townhall import links
from townhall.api.pagination import PageSize, PageToken, check_page_size
from townhall.api.responses import FastJSONResponse, read_body
from townhall.api.security import Caller, EventId, authorize
from townhall.domain.errors import DomainError, TicketIdImmutable, ValidationFailed
from townhall.domain.schedule import format_utc
from townhall.services.registration import Refusal, TicketRequest
from townhall.storage.models import Registrant, TicketType

router = APIRouter(prefix="/v2/zoom_events/events/{eventId}", tags=["Tickets"])
TypeId = Annotated[str, Path(alias="ticketTypeId")]
TicketId = Annotated[str, Path(alias="ticketId")]

STANDARD = ("first_name", "last_name", "address", "city", "state", "zip", "country", "phone", "industry",
            "job_title", "organization", "organization_size", "comments")
# error class name -> Zoom's per-ticket error_code
TICKET_ERROR_CODES = {
    "InvalidSessions": "ticket_generated_failed",
    "ValidationFailed": "email_not_found",
    "TicketTypeNotFound": "ticket_type_notfound",
    "SoldOut": "stock_not_exist",
    "SaleClosed": "invalid_sale_time",
    "InvalidAnswers": "invalid_api_registration_questions_answers",
    "AccessRestricted": "ticket_generated_failed",
    "AlreadyRegistered": "ticket_generated_failed",
}


# The request bodies as TypedDicts: validated into plain dicts of the fields given. As models,
# every ticket became an object of 21 fields, most of them None, which cost the registration hot
# path 3.7 us a request to validate against 1.1 us (and the ticket's answers were then picked out
# of all 21); the schema, the limits and the error locations are the same.
class CustomAnswer(TypedDict):
    title: Annotated[str, Field(max_length=256)]
    answer: NotRequired[Any]


class Answers(TypedDict, total=False):
    """The standard registration fields and custom answers, as tickets carry them (create and update)."""

    first_name: Annotated[str | None, Field(max_length=64)]
    last_name: Annotated[str | None, Field(max_length=64)]
    address: str | None
    city: str | None
    state: str | None
    zip: str | None
    country: str | None
    phone: str | None
    industry: str | None
    job_title: str | None
    organization: str | None
    organization_size: str | None
    comments: Annotated[str | None, Field(max_length=255)]
    custom_questions: list[CustomAnswer] | None
    external_ticket_id: Annotated[str | None, Field(max_length=128)]


class TicketIn(Answers, total=False):
    email: Any
    ticket_type_id: str | None
    send_notification: bool | None
    fast_join: bool | None
    registration_needed: bool | None
    session_ids: list[str] | None


class TicketsIn(TypedDict):
    registration_source: NotRequired[Annotated[str | None, Field(max_length=16)]]
    tickets: Annotated[list[TicketIn], Field(min_length=1, max_length=30)]


class TicketUpdateIn(Answers, total=False):
    ticket_id: Any  # present only to be refused (1063)


TICKETS_IN = TypeAdapter(TicketsIn)
_STANDARD = frozenset(STANDARD)


def ticket_body(ticket: Registrant, public_url: str, session_id: str | None = None) -> dict[str, Any]:
    body = {
        "session_id": session_id,
        "ticket_id": ticket.id, "ticket_type_id": ticket.ticket_type_id, "external_ticket_id": ticket.external_ticket_id,
        "event_join_link": links.join(public_url, ticket.join_token), "send_notification": ticket.send_notification,
        "email": ticket.email, "ticket_role_type": "normal" if ticket.method == "self-registration" else "pre_registration",
        "registration_source": ticket.registration_source, "authentication_method": "no_auth",
        "first_name": ticket.first_name, "last_name": ticket.last_name, **ticket.answers,
        "custom_questions": ticket.custom_answers,
    }
    return {k: v for k, v in body.items() if v is not None}


def type_body(ticket_type: TicketType) -> dict[str, Any]:
    rules = dict(ticket_type.visibility or {})
    if ticket_type.attendance_type:
        rules["attendance_type"] = ticket_type.attendance_type  # the list answer puts it here
    body = {
        "ticket_type_id": ticket_type.id, "name": ticket_type.name, "currency": ticket_type.currency,
        "free": ticket_type.free, "price": ticket_type.price, "quantity": ticket_type.quantity,
        "start_time": format_utc(ticket_type.sale_start), "end_time": format_utc(ticket_type.sale_end),
        "description": ticket_type.description, "sold_quantity": ticket_type.sold_quantity,
        "sessions": ticket_type.sessions, "bookmarked_sessions": ticket_type.bookmarked_sessions,
        "private_visibility_rules": rules,
    }
    return {k: v for k, v in body.items() if v is not None}


class TicketOut(BaseModel):
    ticket_id: str
    email: str
    ticket_type_id: str
    event_join_link: str
    external_ticket_id: str | None = None


class TicketErrorOut(BaseModel):
    email: str
    error_code: str
    message: str


class TicketsOut(BaseModel):
    tickets: list[TicketOut]
    errors: list[TicketErrorOut]


TICKETS_PATH = "/v2/zoom_events/events/{eventId}/tickets"
ValidationLevel = Literal["standard", "strict", "none"]


@router.post("/tickets", status_code=201, summary="Create tickets (pre-register up to 30 people)", response_model=TicketsOut)
async def create_tickets_api(request: Request, event_id: EventId, body: Annotated[TicketsIn, Body()], validation_level: ValidationLevel = "standard") -> JSONResponse:
    """Registers up to 30 people at once, each with a personal join link and a confirmation email
    (unless `send_notification` is false). Each person is registered or refused on their own:
    refusals (already registered, sold out, answers that do not fit the questions...) come back
    in `errors` with Zoom's `error_code`, beside the tickets that were created."""
    return await _create_tickets(request, event_id, body, validation_level)


async def create_tickets(request: Request) -> JSONResponse:
    """The same operation as a plain Starlette route, first in line (app.py): it takes only the
    Request, so that FastAPI does no per-request dependency or model work on the registration hot
    path; the body is parsed by Pydantic in Rust, and the query read here."""
    level = (request.query_params.get("validation_level") if request.scope["query_string"] else None) or "standard"
    return await _create_tickets(request, request.path_params["eventId"], None, level)


async def _create_tickets(request: Request, event_id: str, body: TicketsIn | None, level: str) -> JSONResponse:
    """Registers the body's people in the next group commit. Without a body (the fast route), it is
    read here, after the token was checked."""
    actor = authorize(request, TICKETS_PATH)
    if level not in ("standard", "strict", "none"):
        raise ValidationFailed.one("validation_level", "validation_level is standard, strict or none.")
    if body is None:
        body = TICKETS_IN.validate_json(await read_body(request))
    requests = []
    for ticket in body["tickets"]:
        if ticket.get("fast_join") and ticket.get("registration_needed"):
            raise ValidationFailed.one("tickets.fast_join", "fast_join and registration_needed cannot both be true.")
        requests.append(TicketRequest(
            email=ticket.get("email"), answers={name: value for name, value in ticket.items() if name in _STANDARD and value is not None},
            custom=ticket.get("custom_questions") or [], ticket_type_id=ticket.get("ticket_type_id"),
            external_ticket_id=ticket.get("external_ticket_id"), send_notification=ticket.get("send_notification") is not False,
            session_ids=ticket.get("session_ids"),
        ))
    state = request.app.state
    outcomes = await state.registration.register_async(
        event_id, requests, method="pre_registration", source=body.get("registration_source"), level=level, actor=actor,
    )
    public_url = state.settings.public_url
    tickets, errors = [], []
    for outcome in outcomes:
        if isinstance(outcome, Refusal):
            errors.append({"email": outcome.email, "error_code": _error_code(outcome.error), "message": outcome.error.message})
        else:
            ticket = {"ticket_id": outcome.id, "email": outcome.email, "ticket_type_id": outcome.ticket_type_id,
                      "event_join_link": links.join(public_url, outcome.join_token)}
            if outcome.external_ticket_id is not None:
                ticket["external_ticket_id"] = outcome.external_ticket_id
            tickets.append(ticket)
    return FastJSONResponse({"tickets": tickets, "errors": errors}, status_code=201)


def _error_code(error: DomainError) -> str:
    for cls in type(error).__mro__:
        if cls.__name__ in TICKET_ERROR_CODES:
            return TICKET_ERROR_CODES[cls.__name__]
    return "ticket_generated_failed"


@router.get("/tickets", summary="List tickets")
def list_tickets(request: Request, actor: Caller, event_id: EventId, external_ticket_id: str | None = None,
                 email: str | None = None, ticket_type_id: str | None = None,
                 page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    filters = {"external_ticket_id": external_ticket_id, "email": email, "ticket_type_id": ticket_type_id}
    query = ("tickets", event_id, tuple(sorted(filters.items())))
    pages = request.app.state.pages
    page = request.app.state.tickets.list_tickets(actor, event_id, filters, check_page_size(page_size), pages.decode(next_page_token, *query))
    public_url = request.app.state.settings.public_url
    chosen = request.app.state.tickets.chosen_sessions([t.id for t in page.items])
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query),
            "tickets": [ticket_body(t, public_url, chosen.get(t.id)) for t in page.items]}


@router.get("/tickets/{ticketId}", summary="Get a ticket")
def get_ticket(request: Request, actor: Caller, event_id: EventId, ticket_id: TicketId) -> dict:
    tickets = request.app.state.tickets
    ticket = tickets.get_ticket(actor, event_id, ticket_id)
    return ticket_body(ticket, request.app.state.settings.public_url, tickets.chosen_sessions([ticket.id]).get(ticket.id))


@router.patch("/tickets/{ticketId}", status_code=204, summary="Update a ticket's answers")
def update_ticket(request: Request, actor: Caller, event_id: EventId, ticket_id: TicketId, body: Annotated[TicketUpdateIn, Body()]) -> Response:
    fields = dict(body)
    if "ticket_id" in fields:
        raise TicketIdImmutable()
    request.app.state.tickets.update_ticket(actor, event_id, ticket_id, fields)
    return Response(status_code=204)


@router.delete("/tickets/{ticketId}", status_code=204, summary="Cancel a ticket (frees its seat)")
def delete_ticket(request: Request, actor: Caller, event_id: EventId, ticket_id: TicketId) -> Response:
    request.app.state.registration.cancel_ticket(actor, event_id, ticket_id)
    return Response(status_code=204)


@router.get("/registrants", summary="List registrants")
def list_registrants(request: Request, actor: Caller, event_id: EventId, page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    pages = request.app.state.pages
    query = ("registrants", event_id)
    page = request.app.state.tickets.list_tickets(actor, event_id, {}, check_page_size(page_size), pages.decode(next_page_token, *query))
    return {
        "total_records": page.total, "next_page_token": pages.encode(page.next_after, *query),
        "registrants": [
            {"email": t.email, "registration_status": "REGISTERED" if t.method == "self-registration" else "PRE_REGISTERED",
             "tickets": [{"ticket_id": t.id, "role": "ATTENDEE", "authentication_method": "no_auth"}]}
            for t in page.items
        ],
    }


# -- ticket types ---------------------------------------------------------------------------
class VisibilityIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    account_restrict: bool | None = None
    allow_domain_list: list[str] | None = None
    email_restrict_list: list[str] | None = None
    attendance_type: str | None = None


class TicketTypeIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str | None = None
    currency: str | None = None
    free: bool | None = None
    price: str | None = None
    quantity: int | None = None
    start_time: str | None = None
    end_time: str | None = None
    description: str | None = None
    sessions: list[str] | None = None
    bookmarked_sessions: list[str] | None = None
    private_visibility_rules: VisibilityIn | None = None
    attendance_type: str | None = None


@router.get("/ticket_types", summary="List ticket types")
def list_ticket_types(request: Request, actor: Caller, event_id: EventId) -> dict:
    types = request.app.state.tickets.list_types(actor, event_id)
    return {"total_records": len(types), "ticket_types": [type_body(t) for t in types]}


@router.post("/ticket_types", status_code=201, summary="Create a ticket type")
def create_ticket_type(request: Request, actor: Caller, event_id: EventId, body: Annotated[TicketTypeIn, Body()]) -> dict:
    ticket_type = request.app.state.tickets.create_type(actor, event_id, body.model_dump(exclude_unset=True))
    return {"ticket_type_id": ticket_type.id}


@router.patch("/ticket_types/{ticketTypeId}", status_code=204, summary="Update a ticket type")
def update_ticket_type(request: Request, actor: Caller, event_id: EventId, type_id: TypeId, body: Annotated[TicketTypeIn, Body()]) -> Response:
    request.app.state.tickets.update_type(actor, event_id, type_id, body.model_dump(exclude_unset=True))
    return Response(status_code=204)


@router.delete("/ticket_types/{ticketTypeId}", status_code=204, summary="Delete a ticket type")
def delete_ticket_type(request: Request, actor: Caller, event_id: EventId, type_id: TypeId) -> Response:
    request.app.state.tickets.delete_type(actor, event_id, type_id)
    return Response(status_code=204)


# -- registration questions -------------------------------------------------------------------
QuestionsBody = Annotated[dict[str, Any], Body(examples=[{"questions": [{"field_name": "job_title", "required": True}],
                                                          "custom_questions": [{"title": "Team", "type": "single_dropdown", "options": ["Sales", "R&D"], "required": True}]}])]


@router.get("/questions", summary="Get the event's registration questions")
def get_questions(request: Request, actor: Caller, event_id: EventId) -> dict:
    return request.app.state.tickets.questions(actor, event_id)


@router.put("/questions", status_code=204, summary="Set the event's registration questions")
def put_questions(request: Request, actor: Caller, event_id: EventId, body: QuestionsBody) -> Response:
    request.app.state.tickets.set_questions(actor, event_id, body)
    return Response(status_code=204)


@router.get("/ticket_types/{ticketTypeId}/questions", summary="Get a ticket type's registration questions")
def get_type_questions(request: Request, actor: Caller, event_id: EventId, type_id: TypeId) -> dict:
    return request.app.state.tickets.questions(actor, event_id, type_id)


@router.put("/ticket_types/{ticketTypeId}/questions", status_code=204, summary="Set a ticket type's registration questions")
def put_type_questions(request: Request, actor: Caller, event_id: EventId, type_id: TypeId, body: QuestionsBody) -> Response:
    request.app.state.tickets.set_questions(actor, event_id, body, type_id)
    return Response(status_code=204)
