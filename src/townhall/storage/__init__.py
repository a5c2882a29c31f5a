"""Persistence: tables, the unit of work, repositories and migrations."""
