"""/v2/zoom_events/hubs/{hubId}/vod_channels: channels, their videos, questions, registrations and report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import Response

from townhall import links
from townhall.api.pagination import PageSize, PageToken, check_page_size
from townhall.api.security import Caller
from townhall.domain.errors import ValidationFailed
from townhall.domain.registration import STANDARD_FIELDS as QUESTION_TITLES
from townhall.services.vod import STANDARD_FIELDS

router = APIRouter(tags=["VOD channels"])
HubId = Annotated[str, Path(alias="hubId")]
ChannelId = Annotated[str, Path(alias="channelId")]
BASE = "/v2/zoom_events/hubs/{hubId}/vod_channels"


def _summary(channel: Any) -> dict:
    return {"channel_id": channel.id, "name": channel.name, "description": channel.description, "type": channel.type,
            "status": channel.status, "is_published_to_hub": channel.type == "VIDEO_LIST_HUB" and channel.status == "PUBLISHED"}


def _detail(request: Request, channel: Any) -> dict:
    public_url = request.app.state.settings.public_url
    body = {**_summary(channel), "settings": channel.settings}
    if channel.type == "VIDEO_LIST_HUB":
        if channel.status == "PUBLISHED":
            body["channel_link"] = links.vod_channel(public_url, channel.id)
    else:
        body["embed_script"] = (f'<script src="{public_url}/static/vod-embed.js"></script>'
                                f'<div class="townhall-vod-embed" style="width:100%;height:100%;" data-channel-id="{channel.id}" '
                                f'data-domain="{public_url}"></div>')
    return body


def _video(request: Request, video: Any) -> dict:
    body = {"video_id": video.id, "name": video.name, "status": "done", "play_link": links.file(request.app.state.settings.public_url, video.id)}
    if video.duration_seconds is not None:
        body["duration"] = max(1, round(video.duration_seconds / 60))
    return body


@router.get(BASE, summary="List VOD channels")
def list_channels(request: Request, actor: Caller, hub_id: HubId, page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    pages = request.app.state.pages
    page = request.app.state.vod.list(actor, hub_id, check_page_size(page_size), pages.decode(next_page_token, "vod", hub_id))
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, "vod", hub_id),
            "vod_channels": [_summary(c) for c in page.items]}


@router.post(BASE, status_code=201, summary="Create a VOD channel")
def create_channel(request: Request, actor: Caller, hub_id: HubId, body: Annotated[dict[str, Any], Body()]) -> dict:
    return _summary(request.app.state.vod.create(actor, hub_id, body))


@router.get(BASE + "/{channelId}", summary="Get a VOD channel")
def get_channel(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId) -> dict:
    return _detail(request, request.app.state.vod.get(actor, hub_id, channel_id))


@router.patch(BASE + "/{channelId}", status_code=204, summary="Update a VOD channel")
def update_channel(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId, body: Annotated[dict[str, Any], Body()]) -> Response:
    request.app.state.vod.update(actor, hub_id, channel_id, body)
    return Response(status_code=204)


@router.delete(BASE + "/{channelId}", status_code=204, summary="Delete a VOD channel")
def delete_channel(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId) -> Response:
    request.app.state.vod.delete(actor, hub_id, channel_id)
    return Response(status_code=204)


@router.post(BASE + "/{channelId}/actions", summary="Publish a VOD channel")
def channel_action(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId, body: Annotated[dict[str, Any], Body()]) -> dict:
    operation = body.get("operation")
    if not isinstance(operation, str) or operation.lower() != "publish":
        raise ValidationFailed.one("operation", "operation must be publish.")
    request.app.state.vod.publish(actor, hub_id, channel_id)
    return {"status": "published"}


@router.get(BASE + "/{channelId}/videos", summary="List a VOD channel's videos")
def list_videos(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId) -> dict:
    videos = request.app.state.vod.videos(actor, hub_id, channel_id)
    return {"total_records": len(videos), "next_page_token": "", "videos": [_video(request, v) for v in videos]}


@router.post(BASE + "/{channelId}/videos", status_code=201, summary="Add videos to a VOD channel")
def add_videos(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId, body: Annotated[dict[str, Any], Body()]) -> dict:
    return {"errors": request.app.state.vod.add_videos(actor, hub_id, channel_id, body.get("video_ids"))}


@router.delete(BASE + "/{channelId}/videos/{videoId}", status_code=204, summary="Remove a video from a VOD channel")
def remove_video(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId, video_id: Annotated[str, Path(alias="videoId")]) -> Response:
    request.app.state.vod.remove_video(actor, hub_id, channel_id, video_id)
    return Response(status_code=204)


@router.get(BASE + "/{channelId}/registration_questions", summary="Get a VOD channel's registration questions")
def get_questions(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId) -> dict:
    return request.app.state.vod.questions(actor, hub_id, channel_id)


@router.put(BASE + "/{channelId}/registration_questions", status_code=204, summary="Set a VOD channel's registration questions")
def set_questions(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId, body: Annotated[dict[str, Any], Body()]) -> Response:
    request.app.state.vod.set_questions(actor, hub_id, channel_id, body)
    return Response(status_code=204)


def _registration(request: Request, registration: Any) -> dict:
    public_url = request.app.state.settings.public_url
    body = {"registration_id": registration.id, "email": registration.email, "join_link": links.vod_join(public_url, registration.join_token),
            "authentication_method": "no_auth", "first_name": registration.first_name, "last_name": registration.last_name}
    body.update({k: v for k, v in (registration.answers or {}).items() if k in STANDARD_FIELDS and isinstance(v, str)})
    body["custom_questions"] = [{"title": a["title"], "answer": a["answer"]} for a in registration.custom_answers or []]
    return body


@router.get(BASE + "/{channelId}/registrations", summary="List a VOD channel's registrations")
def list_registrations(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId, email: Annotated[str | None, Query()] = None,
                       page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    pages, query = request.app.state.pages, ("vod_registrations", channel_id, email or "")
    page = request.app.state.vod.registrations(actor, hub_id, channel_id, email, check_page_size(page_size), pages.decode(next_page_token, *query))
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query),
            "registrations": [_registration(request, r) for r in page.items]}


@router.post(BASE + "/{channelId}/registrations", status_code=201, summary="Register people for a VOD channel")
def register(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId, body: Annotated[dict[str, Any], Body()]) -> dict:
    public_url = request.app.state.settings.public_url
    done = request.app.state.vod.register(actor, channel_id, body.get("registrations"), hub_id=hub_id)
    return {"registrations": [{"registration_id": r.registration.id, "email": r.registration.email,
                               "join_link": links.vod_join(public_url, r.registration.join_token)} for r in done]}


@router.get(BASE + "/{channelId}/reports/registrations", summary="VOD channel registrations and viewing report")
def report(request: Request, actor: Caller, hub_id: HubId, channel_id: ChannelId, page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    pages, query = request.app.state.pages, ("vod_report", channel_id)
    page, watched = request.app.state.vod.report(actor, hub_id, channel_id, check_page_size(page_size), pages.decode(next_page_token, *query))
    return {"total_records": page.total, "next_page_token": pages.encode(page.next_after, *query), "registrations": [{
        "email": r.email, "first_name": r.first_name, "last_name": r.last_name, "authentication_method": "no_auth",
        "video_watch_duration": [{"video_id": v.id, "video_name": v.name, "duration": seconds} for v, seconds in watched.get(r.id, [])],
        "questions": [{"title": QUESTION_TITLES.get(k, k.replace("_", " ").capitalize()), "answer": v}
                      for k, v in (r.answers or {}).items() if isinstance(v, str)]
                     + [{"title": a["title"], "answer": a["answer"]} for a in r.custom_answers or []],
    } for r in page.items]}
