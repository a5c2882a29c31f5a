"""townhall: a self-hosted virtual-events platform that speaks the Zoom Events API."""

__version__ = "0.1.0"
