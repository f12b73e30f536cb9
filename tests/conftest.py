"""Fixtures: every database test runs on SQLite, and on PostgreSQL when
OPENTRAKT_TEST_POSTGRES_URL is set (and then fails if PostgreSQL can't be reached)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from opentrakt.app import Application
from opentrakt.clock import FrozenClock
from opentrakt.config import Settings, normalise_database_url
from opentrakt.db import migrate
from opentrakt.db.engine import create_engine
from opentrakt.runtime import Runtime
from tests.support import SHARED

POSTGRES_URL = os.environ.get("OPENTRAKT_TEST_POSTGRES_URL", "")
START = 1_700_000_000  # 2023-11-14 22:13:20 UTC: the frozen clock's start

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[] if POSTGRES_URL else [pytest.mark.skip(reason="OPENTRAKT_TEST_POSTGRES_URL is not set")],
    ),
]


def run_aside(coro: Coroutine[object, object, object]) -> object:
    """Run a coroutine to completion on its own loop, outside the tests' loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (spec and sample data) is not next to this checkout")
    return SHARED


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test instead of migrating again."""
    path = tmp_path_factory.mktemp("template") / "opentrakt.db"

    async def build() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}", null_pool=True)
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        await engine.dispose()

    run_aside(build())
    return path


async def _admin_sql(admin_url: str, statement: str) -> None:
    admin = create_engine(admin_url, null_pool=True)
    try:
        async with admin.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(statement))
    finally:
        await admin.dispose()


async def _migrate(url: str) -> None:
    engine = create_engine(url, null_pool=True)
    await migrate.upgrade(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[tuple[str, str]]:
    """A migrated PostgreSQL template database for this session: (admin URL, template name)."""
    if not POSTGRES_URL:
        pytest.skip("OPENTRAKT_TEST_POSTGRES_URL is not set")
    admin_url = normalise_database_url(POSTGRES_URL, Path("."))
    name = f"opentrakt_tmpl_{uuid.uuid4().hex[:12]}"
    run_aside(_admin_sql(admin_url, f'CREATE DATABASE "{name}"'))
    try:
        run_aside(_migrate(_with_database(admin_url, name)))
        yield admin_url, name
    finally:
        run_aside(_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database of its own for one test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "opentrakt.db"
        shutil.copyfile(template, target)
        yield f"sqlite+aiosqlite:///{target}"
        return
    admin_url, template_name = request.getfixturevalue("postgres_template")
    name = f"opentrakt_t_{uuid.uuid4().hex[:12]}"
    run_aside(_admin_sql(admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    try:
        yield _with_database(admin_url, name)
    finally:
        run_aside(_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path, public_url="http://testserver")


@pytest.fixture
async def runtime(settings: Settings, clock: FrozenClock) -> AsyncIterator[Runtime]:
    runtime = Runtime.from_settings(settings, clock)
    yield runtime
    await runtime.engine.dispose()


@pytest.fixture
def app(runtime: Runtime) -> Application:
    return Application(runtime)


@pytest.fixture
async def client(app: Application) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
