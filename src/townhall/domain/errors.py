"""Domain errors: each kind is a class with a default message; the API maps them to HTTP and Zoom codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    default_message = "The request could not be processed."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class ValidationFailed(DomainError):
    default_message = "Validation Failed."

    def __init__(self, errors: list[FieldError], message: str | None = None) -> None:
        self.errors = errors
        super().__init__(message)

    @classmethod
    def one(cls, field: str, message: str) -> "ValidationFailed":
        return cls([FieldError(field, message)])


class NulInRequest(ValidationFailed):
    """A NUL character in a request's text (api/nul_guard.py): no database stores it alike."""

    def __init__(self, field: str) -> None:
        super().__init__([FieldError(field, "Text must not contain NUL characters (\\u0000).")])


class EventNotFound(DomainError):
    default_message = "Event not found."


class InvalidEventId(DomainError):
    default_message = "Invalid event ID."


class HubNotFound(DomainError):
    default_message = "Hub not found."


class HubNotPermitted(DomainError):
    default_message = "No permission to create the event under the hub ID."


class HostNotFound(DomainError):
    default_message = "Hub host not found."


class LastHubHost(DomainError):
    default_message = "A hub must keep at least one host."


class ScheduleTooLong(DomainError):
    default_message = "Event schedule cannot be more than 6 days."


class EndBeforeStart(DomainError):
    default_message = "Event end_time must be after event start_time."


class CalendarMissing(DomainError):
    default_message = "Calender must contains start_time and end_time."


class EventNotEditable(DomainError):
    default_message = "Past and cancelled events not editable."


class TransitionNotAllowed(DomainError):
    default_message = "This operation is not allowed for the event in its current status."


class InvalidDuplicateName(DomainError):
    default_message = "Invalid duplicated event name."


class InvalidDuplicateStart(DomainError):
    default_message = "Invalid duplicated event start time."


class InvalidDuplicateTimezone(DomainError):
    default_message = "Invalid duplicate event timezone."


class InvalidPageToken(DomainError):
    default_message = "The next page token is invalid or expired."


class EventNotPublished(DomainError):
    default_message = "Event is not published yet."


class RegistrationClosed(DomainError):
    default_message = "Registration is closed: this event has ended."


class SoldOut(DomainError):
    default_message = "Not enough stock or invalid ticket_type_id."


class TicketTypeNotFound(DomainError):
    default_message = "The ticket type ID is invalid."


class SaleClosed(DomainError):
    default_message = "The ticket sale dates are invalid."


class AccessRestricted(DomainError):
    default_message = "This event is restricted: registration is open only to invited email addresses and domains."


class AlreadyRegistered(DomainError):
    default_message = "This email address is already registered for this event."


class InvalidAnswers(ValidationFailed):
    """Answers to the registration questions that do not fit them (field names are form fields)."""


class NonconfiguredFields(DomainError):
    default_message = "Nonconfigured fields."


class MissingRequiredFields(DomainError):
    default_message = "Missing required fields."


class TicketNotFound(DomainError):
    default_message = "Ticket not found."


class TicketIdImmutable(DomainError):
    default_message = "Ticket ID can not updated."


class SpeakerNotFound(DomainError):
    default_message = "Speaker not found."


class SpeakerEmailTaken(DomainError):
    default_message = "The email address has already been used by another speaker."


class TooManySpeakers(DomainError):
    default_message = "You have exceeded the maximum speaker capacity."


class InvalidSessions(ValidationFailed):
    """A ticket names sessions that are not the event's (a RECURRING event's occurrences)."""


class NotAConference(DomainError):
    default_message = "Operation is not supported for this event type."


class ExhibitorNotFound(DomainError):
    default_message = "Exhibitor not found."


class InvalidExhibitorId(DomainError):
    default_message = "Exhibitor ID is invalid."


class EmailTypeNotFound(DomainError):
    default_message = "Email type not found."


class EventAccessDenied(DomainError):
    default_message = "Event access denied."


class SessionNotFound(DomainError):
    default_message = "Session not found."


class ReservationsFull(DomainError):
    default_message = "No reservations available. Maximum capacity reached."


class ReservationsDisabled(DomainError):
    default_message = "Session reservation is disabled."


class NoSessionAccess(DomainError):
    default_message = "User does not have access to this session."


class ReservationNotFound(DomainError):
    default_message = "Session reservation not found."


class LivestreamNotWebinar(DomainError):
    default_message = "Incoming livestream is supported only for webinar meeting_type sessions."


class UploadNotFound(DomainError):
    default_message = "Upload not found: start a multipart upload first (it lasts seven days)."


class InvalidSessionIds(DomainError):
    default_message = "One or more session IDs are invalid."


class AccessLinkNotFound(DomainError):
    default_message = "Event access link not found."


class AccessLinkTicketType(DomainError):
    default_message = "The ticket type could not be found."


class DuplicateAccessLinkName(DomainError):
    default_message = "Please ensure that each join link has a unique name."


class VodChannelNotFound(DomainError):
    default_message = "VOD channel not found."


class VodVideoNotFound(DomainError):
    default_message = "Video not found."


class CustomReportNotFound(DomainError):
    default_message = "Custom report template not found."
