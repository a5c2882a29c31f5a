"""The served OpenAPI document is usable by code generators: every reference resolves and every
path parameter is declared (schemathesis found the tickets operation short of both)."""

import re

from townhall.api import tickets


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_reference_resolves_and_every_path_parameter_is_declared(http):
    document = http.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    unresolved = {ref for ref in _refs(document) if ref.removeprefix("#/components/schemas/") not in schemas}
    assert unresolved == set()
    undeclared = []
    for path, operations in document["paths"].items():
        wanted = set(re.findall(r"{(\w+)}", path))
        for method, operation in operations.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            if wanted - declared:
                undeclared.append(f"{method.upper()} {path}: {sorted(wanted - declared)}")
    assert undeclared == []
    create = document["paths"][tickets.TICKETS_PATH]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/TicketsIn"}
    assert create["responses"]["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/TicketsOut"}


def test_the_documented_route_registers_as_the_fast_one_does(app, http, tenant):
    """The FastAPI route that documents POST .../tickets answers like the plain route in front of
    it (app.py), which serves every such request: with the plain route taken away, the same call."""
    event = tenant.sdk.create_event(hub_id=tenant.hub_id, name="Docs", timezone="UTC", event_type="SIMPLE_EVENT",
                                    access_level="PRIVATE_UNRESTRICTED", meeting_type="MEETING", attendance_type="virtual",
                                    calendar=[{"start_time": "2036-01-01T10:00:00Z", "end_time": "2036-01-01T11:00:00Z"}])
    tenant.sdk.publish_event(event["event_id"])
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "endpoint", None) is not tickets.create_tickets]
    path = f"/zoom_events/events/{event['event_id']}/tickets"
    created = tenant.sdk.request("POST", path, json={"tickets": [{"email": "ada@example.com", "external_ticket_id": "X1"}, {"email": "nope"}]})
    assert [(t["email"], t["external_ticket_id"]) for t in created["tickets"]] == [("ada@example.com", "X1")]
    assert [(e["email"], e["error_code"]) for e in created["errors"]] == [("nope", "email_not_found")]
    refused = http.post(f"/v2{path}", params={"validation_level": "loose"}, json={"tickets": [{"email": "b@example.com"}]},
                        headers={"Authorization": f"Bearer {tenant.token()}"})
    assert refused.status_code == 400 and refused.json()["code"] == 300
