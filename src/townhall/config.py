"""Settings: read from the environment in this one place."""

from __future__ import annotations

from enum import Enum

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class StatusStyle(str, Enum):
    tutorial = "tutorial"
    zoom = "zoom"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOWNHALL_", extra="ignore")

    database_url: str = "sqlite:///./townhall.db"
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str | None = None
    status_style: StatusStyle = StatusStyle.tutorial

    @field_validator("public_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("status_style", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value
