"""Exhibitors, sponsors and sponsor tiers: conferences only."""

import pytest

from townhall.client import ZoomEventsError
from tests.factories import event_fields


@pytest.fixture
def conference(tenant):
    return tenant.sdk.create_event(**event_fields(tenant.hub_id, event_type="CONFERENCE"))["event_id"]


def _tiers(tenant, event):
    return tenant.sdk.request("GET", f"/zoom_events/events/{event}/sponsor_tiers")["sponsor_tiers"]


def _sponsor(tier, **overrides):
    return {"name": "Analytical Engines Ltd", "is_sponsor": True, "tier_id": tier, "contact_name": "Ada Lovelace",
            "contact_email": "ada@example.com", "website": "https://example.com", **overrides}


def test_a_conference_starts_with_four_sponsor_tiers(tenant, conference):
    assert [t["name"] for t in _tiers(tenant, conference)] == ["Platinum", "Gold", "Silver", "Bronze"]


def test_exhibitor_lifecycle(tenant, conference):
    platinum, gold = (t["tier_id"] for t in _tiers(tenant, conference)[:2])
    path = f"/zoom_events/events/{conference}/exhibitors"
    created = tenant.sdk.request("POST", path, json=_sponsor(platinum))
    exhibitor = created["exhibitor_id"]
    assert created["tier_id"] == platinum and created["is_sponsor"] is True and created["associated_sessions"] == []
    # PATCH names the tier `sponsor_tier`, as Zoom's spec does.
    tenant.sdk.request("PATCH", f"{path}/{exhibitor}", json={"sponsor_tier": gold, "description": "Booth 12"})
    fetched = tenant.sdk.request("GET", f"{path}/{exhibitor}")
    assert fetched["tier_id"] == gold and fetched["description"] == "Booth 12" and fetched["name"] == "Analytical Engines Ltd"
    tenant.sdk.request("PATCH", f"{path}/{exhibitor}", json={"is_sponsor": False})
    assert "tier_id" not in tenant.sdk.request("GET", f"{path}/{exhibitor}")
    assert tenant.sdk.request("GET", path)["total_records"] == 1
    tenant.sdk.request("DELETE", f"{path}/{exhibitor}")
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("GET", f"{path}/{exhibitor}")
    assert (info.value.status, info.value.code) == (404, 2006)


def test_a_sponsor_needs_a_tier_of_this_event(tenant, conference):
    path = f"/zoom_events/events/{conference}/exhibitors"
    for body in (_sponsor(None), _sponsor("AAAAAAAAAAAAAAAAAAAAAA")):
        with pytest.raises(ZoomEventsError) as info:
            tenant.sdk.request("POST", path, json={k: v for k, v in body.items() if v is not None})
        assert info.value.code == 300 and info.value.errors[0]["field"] == "tier_id"
    exhibitor = {k: v for k, v in _sponsor(None, is_sponsor=False).items() if v is not None}
    plain = tenant.sdk.request("POST", path, json=exhibitor)
    assert plain["is_sponsor"] is False


def test_required_fields_are_reported_together(tenant, conference):
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("POST", f"/zoom_events/events/{conference}/exhibitors", json={"is_sponsor": False, "contact_email": "nope"})
    assert {e["field"] for e in info.value.errors} == {"name", "contact_name", "contact_email"}


def test_other_event_types_are_refused_with_1006(tenant):
    event = tenant.sdk.create_event(**event_fields(tenant.hub_id))["event_id"]
    for method, suffix in (("GET", "/exhibitors"), ("GET", "/sponsor_tiers"), ("POST", "/exhibitors")):
        with pytest.raises(ZoomEventsError) as info:
            tenant.sdk.request(method, f"/zoom_events/events/{event}{suffix}", json={} if method == "POST" else None)
        assert (info.value.status, info.value.code) == (400, 1006)


def test_malformed_and_unknown_exhibitor_ids(tenant, conference, make_tenant):
    path = f"/zoom_events/events/{conference}/exhibitors"
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("GET", f"{path}/not-an-id")
    assert (info.value.status, info.value.code) == (400, 1020)
    with pytest.raises(ZoomEventsError) as info:
        make_tenant("Other").sdk.request("GET", path)
    assert (info.value.status, info.value.code) == (404, 2002)


def test_associated_sessions_must_be_the_events_own(tenant, conference):
    platinum = _tiers(tenant, conference)[0]["tier_id"]
    session = tenant.sdk.request("POST", f"/zoom_events/events/{conference}/sessions", json={
        "name": "Demo", "start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T15:30:00Z", "timezone": "UTC", "type": 4})["session_id"]
    path = f"/zoom_events/events/{conference}/exhibitors"
    with pytest.raises(ZoomEventsError) as info:
        tenant.sdk.request("POST", path, json=_sponsor(platinum, associated_sessions=[session, "AAAAAAAAAAAAAAAAAAAAAA"]))
    assert (info.value.status, info.value.code) == (400, 26402)
    created = tenant.sdk.request("POST", path, json=_sponsor(platinum, associated_sessions=[session]))
    assert created["associated_sessions"] == [session]
    tenant.sdk.request("DELETE", f"/zoom_events/events/{conference}/sessions/{session}")
    assert tenant.sdk.request("GET", f"{path}/{created['exhibitor_id']}")["associated_sessions"] == []
