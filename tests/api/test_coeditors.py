"""Co-editors: people of other accounts who see an event and change what their groups allow."""

import pytest
from sqlalchemy import select

from townhall.client import ZoomEventsError
from townhall.storage.models import User
from tests.factories import event_fields


@pytest.fixture
def event(tenant):
    return tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]


def _email_of(db, tenant):
    with db.read() as session:
        return session.scalar(select(User.email).where(User.account_id == tenant.account_id))


def _coeditors(tenant, event, operation, *entries):
    return tenant.sdk.request("PATCH", f"/zoom_events/events/{event}/coeditors", json={"operation": operation, "coeditors": list(entries)})


def _fails(call, status, code):
    with pytest.raises(ZoomEventsError) as info:
        call()
    assert (info.value.status, info.value.code) == (status, code)


def test_add_update_and_remove_coeditors(tenant, event):
    assert _coeditors(tenant, event, "add", {"email": "Pat@Example.com", "permission_groups": ["Publish", "Email"]}) == {"errors": []}
    assert tenant.sdk.request("GET", f"/zoom_events/events/{event}/coeditors") == {
        "total_records": 1, "coeditors": [{"email": "Pat@example.com", "permission_groups": ["Publish", "Email"]}]}
    assert _coeditors(tenant, event, "update", {"email": "pat@example.com", "permission_groups": ["Analytics"]}) == {"errors": []}
    assert tenant.sdk.request("GET", f"/zoom_events/events/{event}/coeditors")["coeditors"][0]["permission_groups"] == ["Analytics"]
    answer = _coeditors(tenant, event, "delete", {"email": "pat@example.com"}, {"email": "nobody@example.com"})
    assert answer == {"errors": [{"email": "nobody@example.com", "message": "Not a co-editor of this event."}]}
    assert tenant.sdk.request("GET", f"/zoom_events/events/{event}/coeditors")["total_records"] == 0


def test_at_most_three_and_never_the_own_account(tenant, event, db):
    _coeditors(tenant, event, "add", *({"email": f"c{i}@example.com", "permission_groups": []} for i in range(3)))
    answer = _coeditors(tenant, event, "add", {"email": "c4@example.com", "permission_groups": []},
                        {"email": _email_of(db, tenant), "permission_groups": []})
    assert [e["message"] for e in answer["errors"]] == [
        "An event has at most 3 co-editors.", "User not eligible for co-editor: they belong to the event's own account."]


def test_bad_requests_are_validation_errors(tenant, event):
    with pytest.raises(ZoomEventsError) as info:
        _coeditors(tenant, event, "promote", {"email": "x@example.com", "permission_groups": ["Everything"]})
    assert info.value.code == 300
    assert {e["field"] for e in info.value.errors} == {"operation", "coeditors[0].permission_groups"}


def test_a_coeditor_sees_the_event_and_changes_only_what_their_groups_allow(tenant, event, make_tenant, db):
    other = make_tenant("Partner agency")
    base = f"/zoom_events/events/{event}"
    _fails(lambda: other.sdk.request("GET", base), 404, 2002)
    _coeditors(tenant, event, "add", {"email": _email_of(db, other), "permission_groups": ["EventConfiguration"]})
    assert other.sdk.request("GET", base)["event_id"] == event
    other.sdk.request("PATCH", base, json={"name": "Renamed by the agency"})
    assert tenant.sdk.request("GET", base)["name"] == "Renamed by the agency"
    _fails(lambda: other.sdk.request("POST", f"{base}/speakers", json={"name": "Ada"}), 403, 260200)
    _fails(lambda: other.sdk.request("POST", f"{base}/event_actions", json={"operation": "publish"}), 403, 260200)
    _fails(lambda: other.sdk.request("DELETE", base), 403, 260200)
    _fails(lambda: _coeditors(other, event, "add", {"email": "friend@example.com", "permission_groups": []}), 403, 260200)
    _coeditors(tenant, event, "update", {"email": _email_of(db, other), "permission_groups": ["Publish", "EventPlanning"]})
    other.sdk.request("POST", f"{base}/speakers", json={"name": "Ada"})
    other.sdk.request("POST", f"{base}/event_actions", json={"operation": "publish"})
    _coeditors(tenant, event, "delete", {"email": _email_of(db, other)})
    _fails(lambda: other.sdk.request("GET", base), 404, 2002)
