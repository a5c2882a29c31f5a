"""Hubs and hub hosts."""

import pytest

from townhall.client import ZoomEventsError
from townhall.domain.ids import new_id
from tests.factories import event_fields


def test_list_hubs_as_host(tenant):
    hubs = tenant.sdk.list_hubs("host")
    assert [h["hub_id"] for h in hubs] == [tenant.hub_id]
    assert hubs[0]["name"] == "Acme Events Hub" and hubs[0]["hub_active"] is True
    assert hubs[0]["public_url"].startswith("http://testserver/")


def test_role_type_is_required(tenant, http):
    response = http.get("/v2/zoom_events/hubs", headers={"Authorization": f"Bearer {tenant.token()}"})
    assert response.status_code == 400
    assert response.json()["code"] == 300 and response.json()["errors"][0]["field"] == "role_type"


def test_attendee_role_sees_hubs_with_published_events(tenant):
    assert tenant.sdk.list_hubs("attendee") == []
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))
    tenant.sdk.publish_event(event["event_id"])
    assert [h["hub_id"] for h in tenant.sdk.list_hubs("attendee")] == [tenant.hub_id]


def test_hubs_of_other_accounts_stay_hidden(tenant, make_tenant):
    other = make_tenant("Other")
    assert [h["hub_id"] for h in other.sdk.list_hubs()] == [other.hub_id]
    with pytest.raises(ZoomEventsError) as info:
        list(other.sdk.list_hub_hosts(tenant.hub_id))
    assert (info.value.status, info.value.code) == (404, 2001)
    with pytest.raises(ZoomEventsError) as info:
        other.sdk.add_hub_host(tenant.hub_id, "mallory@example.com")
    assert info.value.code == 2001


def test_add_list_and_remove_hosts(tenant):
    hosts = list(tenant.sdk.list_hub_hosts(tenant.hub_id))
    assert len(hosts) == 1
    added = tenant.sdk.add_hub_host(tenant.hub_id, " Alice@Example.com ")
    assert tenant.sdk.add_hub_host(tenant.hub_id, "alice@example.com") == added  # same person, not twice
    for i in range(4):
        tenant.sdk.add_hub_host(tenant.hub_id, f"host{i}@example.com")
    listed = list(tenant.sdk.list_hub_hosts(tenant.hub_id, page_size=2))
    assert len(listed) == 6 and {"host_user_id": added, "email": "alice@example.com"} in listed
    tenant.sdk.remove_hub_host(tenant.hub_id, added)
    assert all(h["host_user_id"] != added for h in tenant.sdk.list_hub_hosts(tenant.hub_id))


def test_host_errors(tenant):
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.add_hub_host(tenant.hub_id, "not an email")
    assert (info.value.status, info.value.code) == (400, 300)
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.remove_hub_host(tenant.hub_id, new_id())
    assert info.value.status == 404
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.add_hub_host(new_id(), "a@example.com")
    assert (info.value.status, info.value.code) == (404, 2001)


def test_the_last_host_cannot_be_removed(tenant):
    (only,) = list(tenant.sdk.list_hub_hosts(tenant.hub_id))
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.remove_hub_host(tenant.hub_id, only["host_user_id"])
    assert (info.value.status, info.value.code) == (400, 300)
