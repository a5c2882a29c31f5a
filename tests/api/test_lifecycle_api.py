"""Every (status, action) pair of the lifecycle, through the API."""

import pytest

from townhall.client import ZoomEventsError
from tests.factories import event_fields


def _in_status(sdk, hub_id, status):
    event_id = sdk.create_event(**event_fields(hub_id))["event_id"]
    if status in ("published", "cancelled"):
        sdk.publish_event(event_id)
    if status == "cancelled":
        sdk.cancel_event(event_id, "Sorry.")
    return event_id


def _act(sdk, event_id, action):
    if action == "update":
        return sdk.update_event(event_id, name="New name")
    if action == "delete":
        return sdk.delete_event(event_id)
    return sdk.event_action(event_id, action)


ALLOWED = {
    ("draft", "publish"): "Published",
    ("draft", "duplicate"): "draft",
    ("draft", "update"): "draft",
    ("draft", "delete"): None,
    ("published", "cancel"): "Cancelled",
    ("published", "duplicate"): "Published",
    ("published", "update"): "Published",
    ("cancelled", "duplicate"): "Cancelled",
    ("cancelled", "delete"): None,
}
REFUSED = {
    ("draft", "cancel"): 300,
    ("published", "publish"): 300,
    ("published", "delete"): 300,
    ("cancelled", "publish"): 300,
    ("cancelled", "cancel"): 300,
    ("cancelled", "update"): 260210,
}
STATES = ("draft", "published", "cancelled")
ACTIONS = ("publish", "cancel", "duplicate", "update", "delete")


def test_every_pair_is_covered():
    assert set(ALLOWED) | set(REFUSED) == {(s, a) for s in STATES for a in ACTIONS}


@pytest.mark.parametrize(("status", "action"), list(ALLOWED))
def test_allowed(tenant, status, action):
    event_id = _in_status(tenant.sdk, tenant.hub_id, status)
    _act(tenant.sdk, event_id, action)
    expected = ALLOWED[(status, action)]
    if expected is None:
        with pytest.raises(ZoomEventsError) as info:
            tenant.sdk.get_event(event_id)
        assert info.value.code == 2002
    else:
        assert tenant.sdk.get_event(event_id)["status"] == expected


@pytest.mark.parametrize(("status", "action"), list(REFUSED))
def test_refused(tenant, status, action):
    event_id = _in_status(tenant.sdk, tenant.hub_id, status)
    before = tenant.sdk.get_event(event_id)
    with pytest.raises(ZoomEventsError) as info:
        _act(tenant.sdk, event_id, action)
    assert (info.value.status, info.value.code) == (400, REFUSED[(status, action)])
    assert info.value.message
    assert tenant.sdk.get_event(event_id) == before
