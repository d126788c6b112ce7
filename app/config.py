"""Settings, read from the environment (prefix ``SEEDBED_``)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUSINESS_TIMEZONE = "Asia/Shanghai"


def default_workers() -> int:
    """One worker per core this process may run on, at most four (each holds its own ~100 MB)."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SEEDBED_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default="sqlite:///./data/seedbed.db",
        description="SQLAlchemy URL: the embedded SQLite file by default, postgresql+psycopg://… in production.",
    )
    sqlite_busy_timeout_ms: int = 5000
    database_pool_size: int = 10
    read_threads: int | None = Field(
        default=None, ge=1, le=64,
        description="Reads one worker process serves at once, each in a thread. Python runs one thread at a time: "
        "more threads only take turns at it, and the turns cost (with eight, a page of firms took twice the CPU). "
        "Unset: one when `seedbed serve` runs several workers (the other workers are the other lanes), two with "
        "one worker (a lane free beside a long report).")
    workers: int = Field(
        default_factory=lambda: default_workers(), ge=1, le=64,
        description="Worker processes of `seedbed serve`: one per core this process may run on, at most four. "
        "A worker runs Python on one core at a time.")
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    log_level: str = "INFO"
    bureau_name: str = Field(default="区科学技术局", max_length=60,
                             description="The office signing the annual report (落款), e.g. 武陵区科学技术局.")
    token_ttl_hours: float = Field(default=12, gt=0, description="Lifetime of a login (session) token.")
    login_window_minutes: int = Field(default=15, gt=0, description="Window in which failed logins are counted.")
    login_max_failures_per_user: int = Field(
        default=5, gt=0, description="Failed logins of one username from one address before it waits a window "
        "(each further failure doubles the wait, up to a day).")
    login_max_failures_per_address: int = Field(
        default=20, gt=0, description="Failed logins from one address, any usernames, per window.")
    web_dist: Path = Field(
        default=PROJECT_ROOT / "web" / "dist",
        description="The built web app (`npm run build` in web/), served at `/`.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For is believed; from any "
        "other peer the header is ignored.")
    max_body_bytes: int = Field(default=1024 * 1024, gt=0,
                                description="Largest request body of every route but uploads (imports).")
    sqlite_write_wait_seconds: float = Field(
        default=15, gt=0, description="SQLite: how long a write waits for its turn before a 503 + Retry-After.")

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # A comma-separated environment variable is friendlier than JSON for an operator.
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for proxy in value:
            ipaddress.ip_network(proxy, strict=False)  # a typo must stop the server, not trust nobody silently
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
