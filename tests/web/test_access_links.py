"""Access links: managed through the API, and each a door to registration with its own rules."""

import pytest
from sqlalchemy import select

from townhall.client import ZoomEventsError
from townhall.storage.models import Registrant
from tests.factories import event_fields
from tests.web.test_registration_page import _csrf


def _form(http, path, email):
    """What a person types on the page at `path`, with the page's CSRF token."""
    return {"first_name": "Pat", "last_name": "Lee", "email": email, "csrf_token": _csrf(http.get(path).text)}


@pytest.fixture
def event(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    tenant.sdk.publish_event(event)
    return event


def _link(tenant, event, **fields):
    return tenant.sdk.request("POST", f"/zoom_events/events/{event}/access_links", json={
        "name": "Partners", "type": "registration", "authentication_method": "bypass_auth", **fields})


def test_access_link_lifecycle(tenant, event):
    first = _link(tenant, event, is_default=True)
    second = _link(tenant, event, name="Press", allow_domain_list=["Press.example"])
    assert first["url"] == f"http://testserver/ev/{first['access_link_id']}" and second["allow_domain_list"] == ["press.example"]
    with pytest.raises(ZoomEventsError) as info:
        _link(tenant, event)
    assert (info.value.status, info.value.code) == (400, 261203)
    with pytest.raises(ZoomEventsError) as info:
        _link(tenant, event, name="Other", ticket_type_id="AAAAAAAAAAAAAAAAAAAAAA")
    assert info.value.code == 261202
    path = f"/zoom_events/events/{event}/access_links"
    tenant.sdk.request("PATCH", f"{path}/{second['access_link_id']}", json={"is_default": True})
    defaults = {l["name"]: l["is_default"] for l in tenant.sdk.request("GET", path)["access_links"]}
    assert defaults == {"Partners": False, "Press": True}  # one default at a time
    tenant.sdk.request("DELETE", f"{path}/{first['access_link_id']}")
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("GET", f"{path}/{first['access_link_id']}")
    assert (info.value.status, info.value.code) == (404, 261201)


def test_registration_through_a_link_keeps_to_its_domains(tenant, event, http):
    link = _link(tenant, event, allow_domain_list=["partner.example"])
    page = http.get(f"/ev/{link['access_link_id']}")
    assert page.status_code == 200 and "partner.example" in page.text and f'action="/ev/{link["access_link_id"]}"' in page.text
    refused = http.post(f"/ev/{link['access_link_id']}", data=_form(http, f"/ev/{link['access_link_id']}", email="ada@elsewhere.example"))
    assert refused.status_code == 400
    taken = http.post(f"/ev/{link['access_link_id']}", data=_form(http, f"/ev/{link['access_link_id']}", email="ada@partner.example"),
                      follow_redirects=False)
    assert taken.status_code == 303 and "/registered?r=" in taken.headers["location"]
    # The event's own page has no such rule.
    assert http.post(f"/event/{event}", data=_form(http, f"/event/{event}", email="bob@elsewhere.example"), follow_redirects=False).status_code == 303
    assert http.get("/ev/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404


def test_group_join_link_registers_with_its_ticket_type_and_goes_straight_to_the_join_link(tenant, event, http, db):
    (default,) = tenant.sdk.request("GET", f"/zoom_events/events/{event}/ticket_types")["ticket_types"]
    link = _link(tenant, event, name="Team", type="group-join", ticket_type_id=default["ticket_type_id"])
    answer = http.post(f"/ev/{link['access_link_id']}", data=_form(http, f"/ev/{link['access_link_id']}", email="team@example.com"),
                       follow_redirects=False)
    with db.read() as session:
        token = session.scalar(select(Registrant.join_token).where(Registrant.event_id == event, Registrant.email == "team@example.com"))
    assert answer.status_code == 303 and answer.headers["location"] == f"/j/{token}"
