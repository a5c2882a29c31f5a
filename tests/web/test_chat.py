"""Chat in a live event's room and its sessions: said by admitted registrants, read back by the room,
and kept for the chat transcripts report."""

from sqlalchemy import select

from tests.factories import event_fields
from townhall.storage.models import Registrant

TALK = {"name": "Talk", "start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T15:45:00Z", "timezone": "UTC", "type": 2}


def _tokens(db, event):
    with db.read() as session:
        return dict(session.execute(select(Registrant.email, Registrant.join_token).where(Registrant.event_id == event)).all())


def test_people_in_the_room_chat_and_the_report_keeps_it(tenant, http, clock, db):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id, event_type="CONFERENCE"))["event_id"]
    base = f"/zoom_events/events/{event}"
    talk = tenant.sdk.request("POST", f"{base}/sessions", json=TALK)["session_id"]
    tenant.sdk.publish_event(event)
    tenant.sdk.request("POST", f"{base}/tickets", json={"tickets": [
        {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}, {"email": "grace@example.com", "first_name": "Grace"}]})
    tokens = _tokens(db, event)
    ada, grace = tokens["ada@example.com"], tokens["grace@example.com"]

    early = http.post(f"/event/{event}/room/chat", json={"t": ada, "message": "Anyone here?"})
    assert early.status_code == 403  # the event is not live yet: nobody is admitted
    clock.set(clock.now().replace(month=7, day=1, hour=15, minute=5))
    room = http.get(f"/j/{ada}", follow_redirects=True)
    assert room.status_code == 200 and 'id="chat-form"' in room.text
    said = http.post(f"/event/{event}/room/chat", json={"t": ada, "message": "Hello <b>all</b>"})
    assert said.status_code == 201 and said.json()["sender"] == "Ada Lovelace"
    assert http.post(f"/event/{event}/room/chat", json={"t": ada, "message": "   "}).status_code == 400
    clock.advance(seconds=20)
    # Without script, the form posts and comes back to the room.
    back = http.post(f"/event/{event}/room/chat", data={"t": grace, "message": "Hi Ada"}, follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == f"/event/{event}/room?t={grace}"
    shown = http.get(f"/event/{event}/room", params={"t": grace})
    assert "Hello &lt;b&gt;all&lt;/b&gt;" in shown.text and "Hi Ada" in shown.text  # escaped, never markup
    polled = http.get(f"/event/{event}/room/chat", params={"t": grace, "after": said.json()["id"]}).json()["messages"]
    assert [(m["sender"], m["message"]) for m in polled] == [("Grace", "Hi Ada")]
    assert http.get(f"/event/{event}/room/chat", params={"t": "nope"}).status_code == 403

    inside = http.get(f"/event/{event}/room/session/{talk}", params={"t": ada})
    assert 'name="session_id"' in inside.text
    clock.advance(seconds=20)
    http.post(f"/event/{event}/room/chat", json={"t": ada, "session_id": talk, "message": "Great talk"})
    in_session = http.get(f"/event/{event}/room/chat", params={"t": grace, "session_id": talk}).json()["messages"]
    assert [m["message"] for m in in_session] == ["Great talk"]
    in_room = http.get(f"/event/{event}/room/chat", params={"t": grace}).json()["messages"]
    assert [m["message"] for m in in_room] == ["Hello <b>all</b>", "Hi Ada"]

    report = tenant.sdk.request("GET", f"{base}/reports/chat_transcripts", params={"page_size": 2})
    assert report["total_records"] == 3 and report["next_page_token"]
    rest = tenant.sdk.request("GET", f"{base}/reports/chat_transcripts", params={"page_size": 2, "next_page_token": report["next_page_token"]})
    lines = report["chat_transcripts"] + rest["chat_transcripts"]
    assert [(m["chat_type"], m["chat_name"], m["sender_email"], m["message"]) for m in lines] == [
        ("Lobby Chat", "Q3 All Hands", "ada@example.com", "Hello <b>all</b>"),
        ("Lobby Chat", "Q3 All Hands", "grace@example.com", "Hi Ada"),
        ("In-meeting/webinar Chat", "Talk", "ada@example.com", "Great talk"),
    ]
    assert lines[2]["chat_channel_id"] == talk and lines[0]["message_time"] == "2026-07-01T15:05:00Z"
