"""Absolute links the server emits, all under TOWNHALL_PUBLIC_URL; the web routes serve these paths."""

from __future__ import annotations


def event_page(public_url: str, event_id: str) -> str:
    return f"{public_url}/event/{event_id}"


def join(public_url: str, join_token: str) -> str:
    return f"{public_url}/j/{join_token}"


def room(public_url: str, event_id: str) -> str:
    return f"{public_url}/event/{event_id}/room"


def file(public_url: str, file_id: str) -> str:
    return f"{public_url}/files/{file_id}"


def access_link(public_url: str, link_id: str) -> str:
    return f"{public_url}/ev/{link_id}"


def vod_channel(public_url: str, channel_id: str) -> str:
    return f"{public_url}/vod/{channel_id}"


def vod_join(public_url: str, join_token: str) -> str:
    return f"{public_url}/vod/j/{join_token}"
