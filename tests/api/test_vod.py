"""VOD channels: a hub's videos in channels, registration with personal join links, the player page
that reports viewing, and the registrations report."""

import re
import struct

import pytest

from townhall.client import ZoomEventsError

VOD = "/zoom_events/hubs/{hub}/vod_channels"


def _mp4(seconds: int) -> bytes:
    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload
    mvhd = box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + b"\x00" * 80)
    return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + box(b"moov", mvhd)


def _upload(http, tenant, name="Intro.mp4", seconds=300, hub=True):
    answer = http.post("/v2/zoom_events/files", headers={"Authorization": f"Bearer {tenant.token()}"},
                       data={"hub_id": tenant.hub_id} if hub else {}, files={"file": (name, _mp4(seconds), "video/mp4")})
    assert answer.status_code == 201
    return answer.json()["file_id"]


def _fails(call, status, code):
    with pytest.raises(ZoomEventsError) as info:
        call()
    assert (info.value.status, info.value.code) == (status, code), info.value.message
    return info.value


@pytest.fixture
def channels(tenant):
    return VOD.format(hub=tenant.hub_id)


def test_channel_lifecycle(tenant, channels, http):
    sdk = tenant.sdk
    hub_list = sdk.request("POST", channels, json={"name": "Cooking", "description": "Recipes", "type": "VIDEO_LIST_HUB"})
    assert (hub_list["status"], hub_list["is_published_to_hub"]) == ("DRAFT", False)
    embedded = sdk.request("POST", channels, json={"name": "Embed", "type": "SINGLE_VIDEO_EMBEDDED"})
    assert embedded["status"] == "PUBLISHED"  # embedded channels are published from the start
    channel = hub_list["channel_id"]
    assert "channel_link" not in sdk.request("GET", f"{channels}/{channel}")
    sdk.request("PATCH", f"{channels}/{channel}", json={"name": "Cooking 101", "settings": {"allow_domain_list": ["example.com"]}})
    assert sdk.request("POST", f"{channels}/{channel}/actions", json={"operation": "publish"}) == {"status": "published"}
    detail = sdk.request("GET", f"{channels}/{channel}")
    assert detail["name"] == "Cooking 101" and detail["is_published_to_hub"] is True
    assert detail["channel_link"] == f"http://testserver/vod/{channel}" and detail["settings"]["allow_domain_list"] == ["example.com"]
    script = sdk.request("GET", f"{channels}/{embedded['channel_id']}")["embed_script"]
    assert "/static/vod-embed.js" in script and embedded["channel_id"] in script
    assert http.get("/static/vod-embed.js").status_code == 200
    assert http.get(f"/vod/{embedded['channel_id']}/embed").status_code == 200
    listed = sdk.request("GET", channels, params={"page_size": 1})
    assert listed["total_records"] == 2 and len(listed["vod_channels"]) == 1 and listed["next_page_token"]
    sdk.request("DELETE", f"{channels}/{channel}")
    _fails(lambda: sdk.request("GET", f"{channels}/{channel}"), 404, 261101)
    _fails(lambda: sdk.request("POST", channels, json={"name": "x", "type": "PODCAST"}), 400, 300)
    _fails(lambda: sdk.request("GET", VOD.format(hub="AAAAAAAAAAAAAAAAAAAAAA")), 404, 2001)


def test_videos_come_from_the_hub(tenant, channels, http, make_tenant):
    sdk = tenant.sdk
    channel = sdk.request("POST", channels, json={"name": "Talks", "type": "VIDEO_LIST_HUB"})["channel_id"]
    intro, keynote = _upload(http, tenant, "Intro.mp4", 300), _upload(http, tenant, "Keynote.mp4", 3600)
    loose = _upload(http, tenant, "NotInTheHub.mp4", hub=False)
    other = make_tenant("Globex")
    theirs = _upload(http, other, "Theirs.mp4")
    errors = sdk.request("POST", f"{channels}/{channel}/videos", json={"video_ids": [intro, keynote, loose, theirs, intro]})["errors"]
    assert [e["video_id"] for e in errors] == [loose, theirs]
    videos = sdk.request("GET", f"{channels}/{channel}/videos")
    assert [(v["video_id"], v["name"], v["duration"]) for v in videos["videos"]] == [(intro, "Intro.mp4", 5), (keynote, "Keynote.mp4", 60)]
    assert videos["videos"][0]["play_link"] == f"http://testserver/files/{intro}"
    assert sdk.request("POST", f"{channels}/{channel}/videos", json={"video_ids": [intro]})["errors"][0]["video_id"] == intro
    sdk.request("DELETE", f"{channels}/{channel}/videos/{intro}")
    _fails(lambda: sdk.request("DELETE", f"{channels}/{channel}/videos/{intro}"), 404, 261102)
    assert [v["video_id"] for v in sdk.request("GET", f"{channels}/{channel}/videos")["videos"]] == [keynote]
    single = sdk.request("POST", channels, json={"name": "One", "type": "SINGLE_VIDEO_EMBEDDED"})["channel_id"]
    _fails(lambda: sdk.request("POST", f"{channels}/{single}/videos", json={"video_ids": [intro, keynote]}), 400, 300)


def test_registration_questions_join_links_and_the_report(tenant, channels, http):
    sdk = tenant.sdk
    channel = sdk.request("POST", channels, json={"name": "Talks", "type": "VIDEO_LIST_HUB"})["channel_id"]
    video = _upload(http, tenant, "Keynote.mp4", 600)
    sdk.request("POST", f"{channels}/{channel}/videos", json={"video_ids": [video]})
    questions = {"questions": [{"field_name": "job_title", "required": True, "title": "Job title"}],
                 "custom_questions": [{"title": "Diet?", "type": "single_radio", "required": False, "answers": ["Vegan", "Any"]}]}
    sdk.request("PUT", f"{channels}/{channel}/registration_questions", json=questions)
    got = sdk.request("GET", f"{channels}/{channel}/registration_questions")
    assert got["questions"][0]["field_name"] == "job_title" and got["custom_questions"][0]["title"] == "Diet?"

    path = f"{channels}/{channel}/registrations"
    _fails(lambda: sdk.request("POST", path, json={"registrations": [{"email": "jill@example.com"}]}), 400, 260504)  # job_title is required
    made = sdk.request("POST", path, json={"registrations": [
        {"email": "Jill@Example.com", "first_name": "Jill", "last_name": "Chill", "job_title": "Chef",
         "custom_questions": [{"title": "Diet?", "answer": "Vegan"}]},
        {"email": "bob@example.com", "job_title": "Cook"}]})["registrations"]
    assert [r["email"] for r in made] == ["Jill@example.com", "bob@example.com"]
    again = sdk.request("POST", path, json={"registrations": [{"email": "jill@example.com", "job_title": "Chef"}]})["registrations"]
    assert again[0]["registration_id"] == made[0]["registration_id"]  # registered already: the same registration
    listed = sdk.request("GET", path, params={"email": "jill@example.com"})
    assert listed["total_records"] == 1 and listed["registrations"][0]["job_title"] == "Chef"
    assert listed["registrations"][0]["custom_questions"] == [{"title": "Diet?", "answer": "Vegan"}]
    _fails(lambda: sdk.request("POST", path, json={"registrations": [{"email": f"p{i}@example.com"} for i in range(31)]}), 400, 300)

    link = made[0]["join_link"]
    token = link.rsplit("/", 1)[1]
    assert link == f"http://testserver/vod/j/{token}"
    assert http.get(f"/vod/j/{token}").status_code == 404  # the channel is not published yet
    sdk.request("POST", f"{channels}/{channel}/actions", json={"operation": "publish"})
    page = http.get(f"/vod/j/{token}")
    assert page.status_code == 200 and f"/files/{video}" in page.text and "Jill@example.com" in page.text
    for seconds in (15, 240, 120, 99999):  # kept at its most, never past the video's length
        assert http.post(f"/vod/j/{token}/watched", json={"video_id": video, "seconds": seconds}).status_code == 204
    assert http.post(f"/vod/j/{token}/watched", json={"video_id": "AAAAAAAAAAAAAAAAAAAAAA", "seconds": 5}).status_code == 400
    assert http.post("/vod/j/nope/watched", json={"video_id": video, "seconds": 5}).status_code == 400

    report = sdk.request("GET", f"{channels}/{channel}/reports/registrations")["registrations"]
    jill = next(r for r in report if r["email"] == "Jill@example.com")
    assert jill["video_watch_duration"] == [{"video_id": video, "video_name": "Keynote.mp4", "duration": 600}]
    assert {"title": "Diet?", "answer": "Vegan"} in jill["questions"] and {"title": "Job Title", "answer": "Chef"} in jill["questions"]
    assert next(r for r in report if r["email"] == "bob@example.com")["video_watch_duration"] == []


def test_the_channel_page_registers_people_within_its_rules(tenant, channels, http):
    sdk = tenant.sdk
    channel = sdk.request("POST", channels, json={"name": "Talks", "type": "VIDEO_LIST_HUB"})["channel_id"]
    sdk.request("PATCH", f"{channels}/{channel}", json={"settings": {"allow_domain_list": ["example.com"]}})
    assert http.get(f"/vod/{channel}").status_code == 404  # a draft has no page
    sdk.request("POST", f"{channels}/{channel}/actions", json={"operation": "publish"})
    page = http.get(f"/vod/{channel}")
    assert page.status_code == 200 and "Register to watch" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"csrf_token": csrf, "first_name": "Ann", "last_name": "Lee"}
    missing = http.post(f"/vod/{channel}", data={**form, "email": ""})
    assert missing.status_code == 400 and 'id="email-error"' in missing.text
    elsewhere = http.post(f"/vod/{channel}", data={**form, "email": "ann@elsewhere.org"})
    assert elsewhere.status_code == 400 and "form-notice" in elsewhere.text
    done = http.post(f"/vod/{channel}", data={**form, "email": "ann@example.com"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/vod/j/")
    assert http.get(done.headers["location"]).status_code == 200
    registrations = sdk.request("GET", f"{channels}/{channel}/registrations")["registrations"]
    assert [(r["email"], r["first_name"]) for r in registrations] == [("ann@example.com", "Ann")]
