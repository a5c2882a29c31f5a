"""/v2/zoom_events/files (in one request or in parts), hub videos, and /files/{id} where files are served."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from townhall import links
from townhall.api.pagination import PageSize, PageToken, check_page_size
from townhall.api.security import Caller
from townhall.domain.errors import ValidationFailed

router = APIRouter(tags=["Files"])


def _upload_field(form: Any) -> Any:
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise ValidationFailed.one("file", "file is required: the file itself, as multipart/form-data.")
    return upload


@router.post("/v2/zoom_events/files", status_code=201, summary="Upload a file")
async def upload_file(request: Request, actor: Caller) -> dict:
    form = await request.form(max_part_size=2 * 1024**3)
    upload = _upload_field(form)
    hub_id = form.get("hub_id")
    stored = await run_in_threadpool(request.app.state.files.upload, actor, upload.filename, upload.file,
                              hub_id if isinstance(hub_id, str) else None)
    return {"file_id": stored.id}


@router.post("/v2/zoom_events/files/multipart", status_code=201, summary="Upload a part of a multipart upload")
async def upload_part(request: Request, actor: Caller) -> dict:
    form = await request.form(max_part_size=200 * 1024**2)
    upload = _upload_field(form)
    context = form.get("upload_context")
    number, etag = await run_in_threadpool(request.app.state.files.upload_part, actor,
                                    context if isinstance(context, str) else "", form.get("part_number"), upload.file)
    return {"part_number_etag": {"part_number": number, "etag": etag}}


@router.post("/v2/zoom_events/files/multipart/upload", status_code=201, summary="Start or complete a multipart upload")
def multipart_upload(request: Request, actor: Caller, body: Annotated[dict[str, Any], Body()]) -> dict:
    files = request.app.state.files
    if body.get("method") == "CreateMultipartUpload":
        return {"upload_id": files.start_multipart(actor, body.get("file_name"), body.get("file_length"), body.get("hub_id"))}
    if body.get("method") == "CompleteMultipartUpload":
        return {"file_id": files.complete_multipart(actor, body.get("upload_id"), body.get("part_count")).id}
    raise ValidationFailed.one("method", "method is CreateMultipartUpload or CompleteMultipartUpload.")


@router.get("/v2/zoom_events/hubs/{hubId}/videos", summary="List a hub's videos")
def hub_videos(request: Request, actor: Caller, hub_id: Annotated[str, Path(alias="hubId")], folder_id: Annotated[str | None, Query()] = None,
               page_size: PageSize = 30, next_page_token: PageToken = None) -> dict:
    query = ("hub_videos", hub_id, folder_id or "")
    pages = request.app.state.pages
    page = request.app.state.files.hub_videos(actor, hub_id, check_page_size(page_size), pages.decode(next_page_token, *query))
    # townhall's hub videos are the videos uploaded to the hub: there are no folders to look in.
    items = [] if folder_id else page.items
    public_url = request.app.state.settings.public_url
    return {"total_records": 0 if folder_id else page.total, "next_page_token": "" if folder_id else pages.encode(page.next_after, *query),
            "videos": [{k: v for k, v in {
                "video_id": f.id, "name": f.name, "source_type": "UPLOAD", "status": "done", "play_link": links.file(public_url, f.id),
                "duration": None if f.duration_seconds is None else max(1, round(f.duration_seconds / 60)),
            }.items() if v is not None} for f in items]}


@router.get("/files/{file_id}", include_in_schema=False)
def serve_file(request: Request, file_id: str) -> Response:
    served = request.app.state.files.served(file_id)
    if served is None:
        return Response("File not found.", status_code=404, media_type="text/plain")
    return FileResponse(served.path, media_type=served.content_type, filename=served.name, content_disposition_type="inline")
