"""A NUL character anywhere in a request's text is refused alike on SQLite and PostgreSQL (which
cannot store one): Zoom's code 300 on the API, a readable 400 page on the pages, nothing stored."""

import asyncio
import json

import pytest

from townhall.api.nul_guard import _checking
from townhall.client import ZoomEventsError
from townhall.domain.errors import NulInRequest

from tests.factories import event_fields

REFUSED = "Text must not contain NUL characters (\\u0000)."


@pytest.fixture
def published(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    tenant.sdk.publish_event(event["event_id"])
    return event


def test_api_bodies_and_queries_with_nul_are_refused_and_nothing_is_stored(tenant, published):
    event_id = published["event_id"]
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("POST", f"/zoom_events/events/{event_id}/tickets",
                           json={"tickets": [{"email": "ada@example.com", "first_name": "A\u0000da"}]})
    assert (info.value.status, info.value.code) == (400, 300)
    assert info.value.body["errors"] == [{"field": "body", "message": REFUSED}]
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.create_event(**{**event_fields(tenant.hub_id), "name": "Town\u0000hall"})
    assert (info.value.status, info.value.code) == (400, 300)
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("GET", f"/zoom_events/events/{event_id}/tickets", params={"email": "ada\u0000@example.com"})
    assert (info.value.status, info.value.code) == (400, 300) and info.value.body["errors"][0]["field"] == "query"
    assert list(tenant.sdk.paginate(f"/zoom_events/events/{event_id}/tickets", "tickets")) == []
    # the same request without the NUL goes through
    tenant.sdk.request("POST", f"/zoom_events/events/{event_id}/tickets", json={"tickets": [{"email": "ada@example.com", "first_name": "Ada"}]})
    assert [t["first_name"] for t in tenant.sdk.paginate(f"/zoom_events/events/{event_id}/tickets", "tickets")] == ["Ada"]


def test_a_form_with_nul_gets_a_readable_page(http, tenant, published):
    path = published["event_url"].removeprefix("http://testserver")
    response = http.post(path, data={"first_name": "Gr\u0000ace", "last_name": "Hopper", "email": "grace@example.com"})
    assert response.status_code == 400 and "text/html" in response.headers["content-type"]
    assert "contains a character no one types (NUL)" in response.text
    page = http.get(path + "%00")
    assert page.status_code == 400 and "contains a character no one types (NUL)" in page.text
    assert list(tenant.sdk.paginate(f"/zoom_events/events/{published['event_id']}/tickets", "tickets")) == []


def test_a_marker_split_between_two_body_chunks_is_found():
    body = json.dumps({"name": "a\u0000b"}).encode()
    cut = body.index(b"\\u00") + 4
    for parts in ([body[:cut], body[cut:]], [body[: cut - 3], body[cut - 3 :]], [b"name=a%", b"00b"]):
        messages = [{"type": "http.request", "body": part, "more_body": i < len(parts) - 1} for i, part in enumerate(parts)]

        async def receive():
            return messages.pop(0)

        async def read_all():
            checked = _checking(receive)
            while (await checked()).get("more_body"):
                pass

        with pytest.raises(NulInRequest):
            asyncio.run(read_all())
