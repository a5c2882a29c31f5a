"""FastAPI's OpenTelemetry instrumentation: off unless the settings turn it on, and then a span
for each request through the process's tracer provider."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from townhall.app import create_app
from townhall.config import Settings
from townhall.storage.uow import Database

_EXPORTER = InMemorySpanExporter()


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    """The process's tracer provider, as an OpenTelemetry SDK set up around townhall would make it
    (it can be set once per process; other tests' apps leave it alone, as townhall does by default)."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    yield _EXPORTER


def _requests(settings: Settings, db: Database, exporter: InMemorySpanExporter) -> list:
    exporter.clear()
    with TestClient(create_app(settings, db=db)) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/v2/zoom_events/hubs", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    return exporter.get_finished_spans()


def test_off_by_default_even_with_a_tracer_provider(settings: Settings, db: Database, spans: InMemorySpanExporter) -> None:
    assert settings.opentelemetry is False
    assert _requests(settings, db, spans) == ()


def test_on_a_span_for_each_request(settings: Settings, db: Database, spans: InMemorySpanExporter) -> None:
    found = _requests(settings.model_copy(update={"opentelemetry": True}), db, spans)
    server = [s for s in found if s.kind == trace.SpanKind.SERVER]
    assert [s.attributes.get("http.request.method") for s in server] == ["GET", "GET"]
    assert sorted(s.attributes.get("http.response.status_code") for s in server) == [200, 401]
