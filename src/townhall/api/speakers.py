"""/v2/zoom_events/events/{eventId}/speakers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response

from townhall.api.security import Caller, EventId
from townhall.services.speakers import FLAGS, TEXT_FIELDS
from townhall.storage.models import Speaker

router = APIRouter(prefix="/v2/zoom_events/events/{eventId}", tags=["Speakers"])
SpeakerId = Annotated[str, Path(alias="speakerId")]
Fields = Annotated[dict[str, Any], Body()]


def speaker_body(speaker: Speaker) -> dict[str, Any]:
    body = {"speaker_id": speaker.id, **{name: getattr(speaker, name) for name in TEXT_FIELDS}, "email": speaker.email,
            **{flag: getattr(speaker, flag) for flag in FLAGS}}
    return {k: v for k, v in body.items() if v is not None}


@router.get("/speakers", summary="List speakers")
def list_speakers(request: Request, actor: Caller, event_id: EventId) -> dict:
    speakers = request.app.state.speakers.list(actor, event_id)
    return {"total_records": len(speakers), "speakers": [speaker_body(s) for s in speakers]}


@router.post("/speakers", status_code=201, summary="Create a speaker")
def create_speaker(request: Request, actor: Caller, event_id: EventId, fields: Fields) -> dict:
    return speaker_body(request.app.state.speakers.create(actor, event_id, fields))


@router.get("/speakers/{speakerId}", summary="Get a speaker")
def get_speaker(request: Request, actor: Caller, event_id: EventId, speaker_id: SpeakerId) -> dict:
    return speaker_body(request.app.state.speakers.get(actor, event_id, speaker_id))


@router.patch("/speakers/{speakerId}", status_code=204, summary="Update a speaker")
def update_speaker(request: Request, actor: Caller, event_id: EventId, speaker_id: SpeakerId, fields: Fields) -> Response:
    request.app.state.speakers.update(actor, event_id, speaker_id, fields)
    return Response(status_code=204)


@router.delete("/speakers/{speakerId}", status_code=204, summary="Delete a speaker")
def delete_speaker(request: Request, actor: Caller, event_id: EventId, speaker_id: SpeakerId) -> Response:
    request.app.state.speakers.delete(actor, event_id, speaker_id)
    return Response(status_code=204)
