"""Python SDK for the Zoom Events API, for townhall or Zoom itself. Imports nothing from the server."""

from townhall.client.sdk import ZoomEvents, ZoomEventsError

__all__ = ["ZoomEvents", "ZoomEventsError"]
