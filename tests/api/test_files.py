"""Files: uploaded whole or in parts, served on the same origin; a hub's videos are those uploaded to it."""

import struct

import pytest

from townhall.client import ZoomEventsError


def _mp4(seconds: int) -> bytes:
    """The smallest MP4 whose header gives a length: ftyp, then moov with its mvhd."""
    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload
    mvhd = box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + b"\x00" * 80)
    return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + box(b"moov", mvhd)


def _auth(tenant):
    return {"Authorization": f"Bearer {tenant.token()}"}


def test_upload_serve_and_list_hub_videos(tenant, http):
    video = http.post("/v2/zoom_events/files", headers=_auth(tenant), data={"hub_id": tenant.hub_id},
                      files={"file": ("../../Welcome.mp4", _mp4(125), "video/mp4")})
    assert video.status_code == 201
    notes = http.post("/v2/zoom_events/files", headers=_auth(tenant), files={"file": ("notes.pdf", b"%PDF-1.4 notes", "application/pdf")})
    videos = tenant.sdk.request("GET", f"/zoom_events/hubs/{tenant.hub_id}/videos")["videos"]
    assert videos == [{"video_id": video.json()["file_id"], "name": "Welcome.mp4", "source_type": "UPLOAD", "status": "done",
                       "play_link": f"http://testserver/files/{video.json()['file_id']}", "duration": 2}]
    served = http.get(f"/files/{notes.json()['file_id']}")
    assert served.status_code == 200 and served.content == b"%PDF-1.4 notes"
    assert served.headers["content-type"] == "application/pdf" and "notes.pdf" in served.headers["content-disposition"]
    assert http.get("/files/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    assert tenant.sdk.request("GET", f"/zoom_events/hubs/{tenant.hub_id}/videos", params={"folder_id": "x"})["videos"] == []


def test_bad_uploads_are_refused(tenant, http, make_tenant):
    empty = http.post("/v2/zoom_events/files", headers=_auth(tenant), files={"file": ("a.mp4", b"", "video/mp4")})
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "file"
    missing = http.post("/v2/zoom_events/files", headers=_auth(tenant), data={"hub_id": tenant.hub_id})
    assert missing.status_code == 400
    other = make_tenant("Other")
    foreign = http.post("/v2/zoom_events/files", headers=_auth(other), data={"hub_id": tenant.hub_id},
                        files={"file": ("a.mp4", b"x", "video/mp4")})
    assert (foreign.status_code, foreign.json()["code"]) == (404, 2001)


def test_multipart_upload_puts_the_parts_together_in_order(tenant, http):
    first, last = b"a" * (5 * 1024 * 1024), b"tail"
    upload_id = tenant.sdk.request("POST", "/zoom_events/files/multipart/upload", json={
        "method": "CreateMultipartUpload", "file_name": "talk.webm", "file_length": str(len(first) + len(last)), "hub_id": tenant.hub_id,
    })["upload_id"]
    for number, chunk in ((2, last), (1, first)):  # parts may arrive in any order
        answer = http.post("/v2/zoom_events/files/multipart", headers=_auth(tenant),
                           data={"upload_context": upload_id, "part_number": str(number)}, files={"file": ("talk.webm", chunk)})
        assert answer.status_code == 201 and answer.json()["part_number_etag"]["part_number"] == number
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("POST", "/zoom_events/files/multipart/upload", json={"method": "CompleteMultipartUpload", "upload_id": upload_id, "part_count": "3"})
    assert "3" in info.value.errors[0]["message"]
    file_id = tenant.sdk.request("POST", "/zoom_events/files/multipart/upload", json={
        "method": "CompleteMultipartUpload", "upload_id": upload_id, "part_count": "2"})["file_id"]
    served = http.get(f"/files/{file_id}")
    assert served.content == first + last and served.headers["content-type"] == "video/webm"
    with pytest.raises(ZoomEventsError) as info:  # the upload is finished and gone
        tenant.sdk.request("POST", "/zoom_events/files/multipart/upload", json={"method": "CompleteMultipartUpload", "upload_id": upload_id, "part_count": "2"})
    assert info.value.status == 404
