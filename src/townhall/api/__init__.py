"""The Zoom Events REST API: one router per Zoom resource, one table of error codes."""
