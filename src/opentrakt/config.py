"""Settings, read from ``OPENTRAKT_*`` environment variables."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting the server reads; each is the environment variable ``OPENTRAKT_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="OPENTRAKT_", extra="ignore")

    data_dir: Path = Field(Path("./data"), description="Directory for the SQLite database and other files.")
    database_url: str = Field(
        "",
        description="SQLAlchemy URL; empty means SQLite at DATA_DIR/opentrakt.db. "
        "postgresql://user@host/db is accepted as is.",
    )
    host: str = Field("127.0.0.1", description="Address `opentrakt serve` listens on.")
    port: int = Field(8080, description="Port `opentrakt serve` listens on.")
    workers: int = Field(1, description="Server processes started by `opentrakt serve`.")
    timezone_name: str = Field("PST", description="Zone name reported by server/time.")
    open_registration: bool = Field(
        False, description="Let any valid API key create accounts (otherwise the key needs create_account)."
    )
    auto_catalog: bool = Field(
        True, description="Create unknown items that writes name with enough identity."
    )
    max_body_bytes: int = Field(10 * 1024 * 1024, description="Largest request body accepted (413 above it).")
    site_url: str = Field("http://trakt.tv", description="Base of the `url` fields in responses.")
    public_url: str = Field(
        "http://127.0.0.1:8080", description="How clients reach this server; used for placeholder images."
    )
    log_level: str = Field("info", description="Logging level: debug, info, warning or error.")
    db_pool_size: int = Field(10, description="Database connections kept open per server process.")
    bench_bare_route: bool = Field(
        False,
        description="Answer {} at /bench/bare through the same server and ASGI app, as a benchmark's "
        "baseline; off in production.",
    )
    duty_interval_seconds: float = Field(
        5.0, description="Seconds between passes of the background duties (check-ins, watching); 0 = off."
    )
    shared_cache_seconds: float = Field(
        60.0,
        ge=0,
        description="Seconds each server process reuses what is the same for every caller: the "
        "global calendars (calendar/shows, calendar/premieres) and the counters and top episodes "
        "of movie and show summaries; changes show up there within that time. 0 = off.",
    )

    @field_validator("site_url", "public_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @cached_property
    def resolved_database_url(self) -> str:
        return normalise_database_url(self.database_url, self.data_dir)


def normalise_database_url(url: str, data_dir: Path) -> str:
    """Turn what an operator wrote into an async SQLAlchemy URL."""
    if not url:
        return f"sqlite+aiosqlite:///{(data_dir / 'opentrakt.db').as_posix()}"
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://", "postgresql+psycopg://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")
