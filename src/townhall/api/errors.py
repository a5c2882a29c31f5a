"""The one table mapping domain errors to HTTP statuses and Zoom's error codes, and the handlers."""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError as PydanticValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from townhall.api.nul_guard import NulGuard
from townhall.domain import errors as e

log = logging.getLogger(__name__)

# error class -> (HTTP status, Zoom code)
DOMAIN_ERRORS: dict[type[e.DomainError], tuple[int, int]] = {
    e.ValidationFailed: (400, 300),
    e.NulInRequest: (400, 300),
    e.EventNotFound: (404, 2002),
    e.InvalidEventId: (400, 1001),
    e.HubNotFound: (404, 2001),
    e.HubNotPermitted: (403, 26201),
    e.HostNotFound: (404, 1001),
    e.LastHubHost: (400, 300),
    e.ScheduleTooLong: (400, 26202),
    e.EndBeforeStart: (400, 26203),
    e.CalendarMissing: (400, 26204),
    e.EventNotEditable: (400, 260210),
    e.TransitionNotAllowed: (400, 300),
    e.InvalidDuplicateName: (400, 1002),
    e.InvalidDuplicateStart: (400, 1002),
    e.InvalidDuplicateTimezone: (400, 1003),
    e.InvalidPageToken: (400, 300),
    e.EventNotPublished: (400, 26501),
    e.RegistrationClosed: (400, 300),
    e.SoldOut: (404, 2007),
    e.TicketTypeNotFound: (404, 26502),
    e.SaleClosed: (400, 26401),
    e.AccessRestricted: (403, 300),
    e.AlreadyRegistered: (409, 300),
    e.InvalidAnswers: (400, 300),
    e.InvalidSessions: (400, 300),
    e.NonconfiguredFields: (400, 260503),
    e.MissingRequiredFields: (400, 260504),
    e.TicketNotFound: (404, 26503),
    e.TicketIdImmutable: (400, 1063),
    e.SpeakerNotFound: (404, 2005),
    e.SpeakerEmailTaken: (400, 1003),
    e.TooManySpeakers: (403, 3002),
    e.NotAConference: (400, 1006),
    e.ExhibitorNotFound: (404, 2006),
    e.InvalidExhibitorId: (400, 1020),
    e.EmailTypeNotFound: (404, 300),
    e.EventAccessDenied: (403, 260200),
    e.SessionNotFound: (404, 2003),
    e.VodChannelNotFound: (404, 261101),
    e.CustomReportNotFound: (404, 260801),
    e.VodVideoNotFound: (404, 261102),
    e.ReservationsFull: (400, 26306),
    e.ReservationsDisabled: (400, 26307),
    e.NoSessionAccess: (400, 26309),
    e.ReservationNotFound: (400, 26311),
    e.LivestreamNotWebinar: (400, 26303),
    e.UploadNotFound: (404, 300),
    e.InvalidSessionIds: (400, 26402),
    e.AccessLinkNotFound: (404, 261201),
    e.AccessLinkTicketType: (400, 261202),
    e.DuplicateAccessLinkName: (400, 261203),
}


class ApiError(Exception):
    """An error that only exists at the HTTP edge (authentication, scopes, routing)."""

    def __init__(self, status: int, code: int, message: str, headers: dict[str, str] | None = None) -> None:
        self.status, self.code, self.message, self.headers = status, code, message, headers
        super().__init__(message)


def zoom_error(status: int, code: int, message: str, errors: list[dict[str, str]] | None = None,
               headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, object] = {"code": code, "message": message}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers)


def is_api_path(path: str) -> bool:
    return path.startswith(("/v2/", "/oauth/"))


def install(app: FastAPI, page_not_found: "callable") -> None:  # type: ignore[valid-type]
    @app.exception_handler(e.DomainError)
    async def _domain(request: Request, exc: e.DomainError) -> Response:
        status, code = DOMAIN_ERRORS[type(exc)]
        errors = [{"field": f.field, "message": f.message} for f in exc.errors] if isinstance(exc, e.ValidationFailed) else None
        return zoom_error(status, code, exc.message, errors)

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> Response:
        return zoom_error(exc.status, exc.code, exc.message, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return validation_error(exc.errors())

    @app.exception_handler(PydanticValidationError)
    async def _pydantic(request: Request, exc: PydanticValidationError) -> Response:
        return validation_error(exc.errors())

    @app.exception_handler(e.NulInRequest)
    async def _nul(request: Request, exc: e.NulInRequest) -> Response:
        if is_api_path(request.url.path):
            return await _domain(request, exc)
        return page_not_found(request, 400, "This cannot be sent",
                              "What was sent contains a character no one types (NUL). Check what you entered, then try again.")

    app.add_middleware(NulGuard, refusal=_nul)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if not is_api_path(request.url.path):
            return page_not_found(request, exc.status_code)
        if exc.status_code == 404:
            return zoom_error(404, 64041, "Route Not Found")
        if exc.status_code == 405:
            return zoom_error(405, 300, f"Method {request.method} is not allowed on this path.")
        return zoom_error(exc.status_code, 300, str(exc.detail))


def validation_error(items: "list[dict] | tuple") -> JSONResponse:
    """Zoom's code 300 with an `errors` list, from FastAPI's or Pydantic's error items."""
    errors = []
    for item in items:
        if item.get("type") in ("json_invalid", "json_type"):
            return zoom_error(400, 300, "Malformed JSON in the request body.")
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path", "header")]
        errors.append({"field": ".".join(location) or "body", "message": item.get("msg", "Invalid field.")})
    return zoom_error(400, 300, "Validation Failed.", errors)


def compact_json(body: object) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
