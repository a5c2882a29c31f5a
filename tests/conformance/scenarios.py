"""Valid calls of the spec's operations, in an order in which each finds what it needs (the hub, an
event, a ticket ...). Bodies start from the spec's own examples (spec.example) and override only
what must refer to something real: ids, times, and choices the example leaves inconsistent."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from tests.conformance.spec import Operation, example


@dataclass
class Context:
    """What earlier calls created, for later calls to use."""

    hub: str
    ids: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)  # the server's environment, for the CLI
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(microsecond=0))

    def __getitem__(self, name: str) -> str:
        return self.ids[name]

    def at(self, **delta: float) -> str:
        return (self.now + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Call:
    path: str  # under /v2, with the ids filled in
    query: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    files: dict[str, Any] | None = None  # multipart/form-data: the file fields ...
    data: dict[str, Any] | None = None  # ... and the others


@dataclass
class Step:
    operation: str  # operationId
    call: Callable[[Context, Operation], Call]
    keep: Callable[[Context, Any], None] = lambda ctx, body: None  # remember ids from the answer


def body(operation: Operation, **overrides: Any) -> dict[str, Any]:
    """The spec's example request body for `operation`, with `overrides` (None removes a field)."""
    value = example(operation.request_schema() or {})
    value.update(overrides)
    return {k: v for k, v in value.items() if v is not None}


def _keep(name: str, key: str) -> Callable[[Context, Any], None]:
    def keep(ctx: Context, answer: Any) -> None:
        ctx.ids[name] = answer[key]
    return keep


def _keep_first(name: str, collection: str, key: str) -> Callable[[Context, Any], None]:
    def keep(ctx: Context, answer: Any) -> None:
        ctx.ids[name] = answer[collection][0][key]
    return keep


def _custom_report(ctx: Context, event_id: str) -> str:
    """A custom report template: organizers make them with the CLI (Zoom's are made in its web app)."""
    from tests.server import townhall

    return json.loads(townhall("reports", "custom", "add", event_id, "--name", "Everything", "--json", env=ctx.env).stdout)["id"]


def _event(ctx: Context, op: Operation, event_type: str) -> Call:
    return Call("/zoom_events/events", json=body(
        op, hub_id=ctx.hub, event_type=event_type, timezone="America/New_York", meeting_type="WEBINAR",
        attendance_type="virtual", access_level="PRIVATE_UNRESTRICTED", recurrence=None, start_time=None, end_time=None,
        lobby_start_time=None, lobby_end_time=None, blocked_countries=[], physical_location=None,
        calendar=[{"start_time": ctx.at(days=30), "end_time": ctx.at(days=30, hours=2)}],
    ))


STEPS: list[Step] = [
    Step("getHubList", lambda ctx, op: Call("/zoom_events/hubs", {"role_type": "host"})),
    Step("createHubHost", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/hosts", json={"email": "host@example.com"}),
         _keep("host", "host_user_id")),
    Step("gethubhostList", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/hosts", {"page_size": 30})),
    Step("createEvent", lambda ctx, op: _event(ctx, op, "SIMPLE_EVENT"), _keep("event", "event_id")),
    Step("getEvents", lambda ctx, op: Call("/zoom_events/events", {"role_type": "host", "status": "upcoming"})),
    Step("getEventInfo", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}")),
    Step("updateEvent", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}", json={"name": "Q3 All Hands (updated)"})),
    Step("getEventTicketTypes", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/ticket_types"),
         _keep_first("ticket_type", "ticket_types", "ticket_type_id")),
    Step("createTicketType", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/ticket_types", json=body(
        op, currency="USD", free=True, price=None, quantity=100, start_time=ctx.at(), end_time=ctx.at(days=29),
        sold_quantity=None, sessions=None, bookmarked_sessions=None, private_visibility_rules=None, attendance_type="virtual",
    )), _keep("extra_ticket_type", "ticket_type_id")),
    Step("updateTicketType", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/ticket_types/{ctx['extra_ticket_type']}",
                                                  json={"name": "Early bird", "quantity": 50})),
    Step("getRegistrationQuestionsForEvent", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/questions")),
    Step("updateRegistrationQuestionsForEvent", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/questions", json={
        "questions": [{"field_name": "job_title", "required": False}],
        "custom_questions": [{"title": "What would you like to hear about?", "type": "short_answer", "required": False}],
    })),
    Step("getRegistrationQuestionsForTicketType",
         lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/ticket_types/{ctx['ticket_type']}/questions")),
    Step("updateRegistrationQuestionsForTicketType",
         lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/ticket_types/{ctx['ticket_type']}/questions", json={
             "questions": [{"field_name": "organization", "required": True}], "custom_questions": []})),
    Step("createEventAccessLink", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/access_links", json=body(
        op, ticket_type_id=ctx["ticket_type"], recurring_registration_option=None, idp_name=None)), _keep("link", "access_link_id")),
    Step("getEventAccessLinks", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/access_links")),
    Step("GetEventAccessLink", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/access_links/{ctx['link']}")),
    Step("updateEventAccess", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/access_links/{ctx['link']}",
                                                   json={"name": "Partners", "is_default": True, "allow_domain_list": ["example.com"]})),
    Step("deleteEventAccessLink", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/access_links/{ctx['link']}")),
    Step("createSpeaker", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/speakers", json=body(op)),
         _keep("speaker", "speaker_id")),
    Step("getSpeakers", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/speakers")),
    Step("getSpeaker", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/speakers/{ctx['speaker']}")),
    Step("updateSpeaker", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/speakers/{ctx['speaker']}",
                                               json={"job_title": "Chief Engineer", "featured_in_lobby": True})),
    Step("createEvent", lambda ctx, op: _event(ctx, op, "CONFERENCE"), _keep("conference", "event_id")),
    Step("ListSponsorTiers", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/sponsor_tiers"),
         _keep_first("tier", "sponsor_tiers", "tier_id")),
    Step("createExhibitor", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/exhibitors", json=body(
        op, tier_id=ctx["tier"], associated_sessions=[])), _keep("exhibitor", "exhibitor_id")),
    Step("getExhibitors", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/exhibitors")),
    Step("getExhibitorInfo", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/exhibitors/{ctx['exhibitor']}")),
    Step("updateExhibitor", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/exhibitors/{ctx['exhibitor']}",
                                                 json={"sponsor_tier": ctx["tier"], "description": "Booth 12, hall B"})),
    Step("deleteExhibitor", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/exhibitors/{ctx['exhibitor']}")),
    Step("coeditoractions", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/coeditors", json={
        "operation": "add", "coeditors": [{"email": "coeditor@example.com", "permission_groups": ["EventConfiguration", "Publish"]}]})),
    Step("getCoEditors", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/coeditors")),
    Step("createEventSession", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/sessions", json=body(
        op, start_time=ctx.at(days=30), end_time=ctx.at(days=30, hours=1), timezone="America/New_York", type=2,
        session_speakers=[], session_reservation={"allow_reservations": True, "max_capacity": 20})),
         _keep("session", "session_id")),
    Step("getEventSessionList", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/sessions")),
    Step("getEventSessionInfo", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}")),
    Step("updateEventSession", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}",
                                                    json={"name": "Keynote", "featured": True})),
    Step("updateSessionPolls", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/polls", json={
        "polls": [{"title": "Learn something new", "anonymous": False, "poll_type": 1, "questions": [
            {"name": "How useful was this session?", "type": "single", "answers": ["Very", "Somewhat", "Not really"]}]}]})),
    Step("getSessionPolls", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/polls")),
    Step("updateSessionInterpreters", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/interpreters", json={"interpreters": [
            {"email": "jp@example.com", "type": 1, "source_language_id": "US", "target_language_id": "JP"},
            {"email": "asl@example.com", "type": 2, "target_language_id": "ASE"}]})),
    Step("getSessionInterpreterList", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/interpreters")),
    Step("UpdateSessionLivestreamConfiguration", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/livestream",
        json={"incoming_enabled": True, "incoming_config": {"stream_key_type": "GENERATED"}})),
    Step("getSessionLivestreamConfiguration", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/livestream")),
    Step("getSessionJoinToken", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/join_token")),
    Step("EventActions", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/event_actions", json={"operation": "publish"})),
    Step("createTickets", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/tickets", json={"tickets": [
        {"email": "alan@example.com", "first_name": "Alan", "last_name": "Turing"}]})),
    Step("AddSessionReservations", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/reservations", json={"email": "alan@example.com"})),
    Step("ListSessionReservations", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/reservations", {"page_size": 30})),
    Step("UpdateSessionAttendeeActions", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/attendee_action",
        json={"attendees": [{"email": "alan@example.com", "action": "check-in"}], "source": "console-1"})),
    Step("ListSessionAttendeeActions", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/attendee_action", {"page_size": 30})),
    Step("getSessionAttendeeList", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/attendees", {"page_size": 30})),
    Step("SessionAttendanceReport", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['conference']}/reports/sessions/{ctx['session']}/attendance", {"page_size": 30})),
    Step("DeleteSessionReservations", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}/reservations", json={"email": "alan@example.com"})),
    Step("deleteEventSession", lambda ctx, op: Call(f"/zoom_events/events/{ctx['conference']}/sessions/{ctx['session']}")),
    Step("EventActions", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/event_actions", json={"operation": "publish"})),
    Step("createTickets", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/tickets", json={"tickets": [
        {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace", "organization": "Analytical Engines",
         "external_ticket_id": "ext-1"},
    ]}), _keep_first("ticket", "tickets", "ticket_id")),
    Step("listEmailTypes", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/email_types", {"page_size": 30}),
         _keep_first("email_type", "email_types", "email_type_id")),
    Step("listEmailSentStatuses", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['event']}/email_types/{ctx['email_type']}/send_status", {"page_size": 30})),
    Step("getTickets", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/tickets", {"page_size": 30})),
    Step("getTicketDetails", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/tickets/{ctx['ticket']}")),
    Step("Updateticket", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/tickets/{ctx['ticket']}",
                                              json={"job_title": "Mathematician", "organization": "Analytical Engines"})),
    Step("getRegistrants", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/registrants", {"page_size": 30})),
    Step("EventRegistrationsReport", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/reports/ticket_registration")),
    Step("getCustomEventReport", lambda ctx, op: Call(
        f"/zoom_events/events/{ctx['event']}/reports/custom_reports/{_custom_report(ctx, ctx['event'])}", {"page_size": 30})),
    Step("EventSurveyReportApi", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/reports/survey", {"page_size": 30})),
    Step("ChatTranscriptsReport", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/reports/chat_transcripts", {"page_size": 30})),
    Step("EventAttendanceReport", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/reports/event_attendance")),
    Step("createEvent", lambda ctx, op: Call("/zoom_events/events", json={**_event(ctx, op, "SIMPLE_EVENT").json,
                                              "attendance_type": "hybrid", "physical_location": "Town hall, Main St 1"}),
         _keep("hybrid", "event_id")),
    Step("EventActions", lambda ctx, op: Call(f"/zoom_events/events/{ctx['hybrid']}/event_actions", json={"operation": "publish"})),
    Step("createTickets", lambda ctx, op: Call(f"/zoom_events/events/{ctx['hybrid']}/tickets", json={"tickets": [
        {"email": "grace@example.com", "first_name": "Grace", "last_name": "Hopper"}]})),
    Step("UpdateEventAttendeeActions", lambda ctx, op: Call(f"/zoom_events/events/{ctx['hybrid']}/attendee_action", json={
        "attendees": [{"email": "grace@example.com", "action": "check-in"}], "source": "console-1"})),
    Step("ListEventAttendeeActions", lambda ctx, op: Call(f"/zoom_events/events/{ctx['hybrid']}/attendee_action", {"page_size": 30})),
    Step("deleteSpeaker", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/speakers/{ctx['speaker']}")),
    Step("deleteTicket", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/tickets/{ctx['ticket']}")),
    Step("deleteEventTicketType", lambda ctx, op: Call(f"/zoom_events/events/{ctx['event']}/ticket_types/{ctx['extra_ticket_type']}")),
    Step("createEvent", lambda ctx, op: _event(ctx, op, "SIMPLE_EVENT"), _keep("draft", "event_id")),
    Step("deleteEvent", lambda ctx, op: Call(f"/zoom_events/events/{ctx['draft']}")),
    Step("uploadEventFile", lambda ctx, op: Call("/zoom_events/files", files={"file": ("welcome.mp4", b"\x00" * 2048, "video/mp4")},
                                                 data={"hub_id": ctx.hub}), _keep("video", "file_id")),
    Step("ListHubVideos", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/videos", {"page_size": 30})),
    Step("initiateAndCompleteAEventMultipartUpload.", lambda ctx, op: Call("/zoom_events/files/multipart/upload", json={
        "method": "CreateMultipartUpload", "file_name": "keynote.webm", "file_length": "4096", "hub_id": ctx.hub}),
         _keep("upload", "upload_id")),
    Step("uploadMultipartEventFile", lambda ctx, op: Call("/zoom_events/files/multipart", files={
        "file": ("keynote.webm", b"\x01" * 4096, "video/webm")}, data={"upload_context": ctx["upload"], "part_number": "1"})),
    Step("initiateAndCompleteAEventMultipartUpload.", lambda ctx, op: Call("/zoom_events/files/multipart/upload", json={
        "method": "CompleteMultipartUpload", "upload_id": ctx["upload"], "part_count": "1"})),
    Step("createVodChannel", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/vod_channels", json=body(op, type="VIDEO_LIST_HUB")),
         _keep("channel", "channel_id")),
    Step("getVODChannels", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/vod_channels", {"page_size": 30})),
    Step("UpdateVideoChannel", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}", json=body(
        op, settings={"authentication_method": "bypass_auth", "allow_domain_list": ["example.com"], "allow_email_list": []}))),
    Step("AddVODChannelVideos", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}/videos",
                                                     json={"video_ids": [ctx["video"]]})),
    Step("ListVODChannelVideos", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}/videos")),
    Step("vodChannelActions", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}/actions",
                                                   json={"operation": "publish"})),
    Step("getVODChannelDetail", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}")),
    Step("updateRegistrationQuestionsForVODchannel", lambda ctx, op: Call(
        f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}/registration_questions", json={
            "questions": [{"field_name": "job_title", "required": False, "title": "Job title"}],
            "custom_questions": [{"title": "How did you hear of us?", "type": "short_answer", "required": False}]})),
    Step("getRegistrationQuestionsForVODChannel", lambda ctx, op: Call(
        f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}/registration_questions")),
    Step("VODTicketRegistration", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}/registrations",
                                                       json={"registrations": [{"email": "viewer@example.com", "first_name": "Jill",
                                                                                "last_name": "Chill", "job_title": "Chef"}]})),
    Step("ListVODRegistration", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}/registrations",
                                                     {"page_size": 30})),
    Step("VodChannelReigistration", lambda ctx, op: Call(
        f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}/reports/registrations", {"page_size": 30})),
    Step("DeleteVODChannelVideo", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}/videos/{ctx['video']}")),
    Step("DeleteVODChannel", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/vod_channels/{ctx['channel']}")),
    Step("deleteHubHost", lambda ctx, op: Call(f"/zoom_events/hubs/{ctx.hub}/hosts/{ctx['host']}")),
]
