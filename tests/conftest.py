"""Fixtures: every database test runs on SQLite, and on PostgreSQL when
OPENTRAKT_TEST_POSTGRES_URL is set (and then fails if PostgreSQL can't be reached).

Each test process (``make test`` runs several with pytest-xdist) migrates one SQLite template
and one PostgreSQL database; a test gets a copy of the template, or that database wiped back
to its migrated state (see tests/postgres_databases.py)."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from opentrakt.accounts import passwords
from opentrakt.app import Application
from opentrakt.clock import FrozenClock
from opentrakt.config import Settings, normalise_database_url
from opentrakt.db import migrate
from opentrakt.db.engine import create_engine
from opentrakt.runtime import Runtime
from tests.postgres_databases import PostgresDatabase, admin_sql, capture_wipe, database_name, with_database
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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Append each test's ``xdist_group`` to its node id, which is how ``--dist loadgroup``
    sends a group to one worker. pytest-xdist 3.8 does this by setting an attribute pytest 9 no
    longer reads, so without this shim the groups are silently ignored."""
    if not getattr(config.option, "loadgroup", False):  # set on the workers of a loadgroup run
        return
    for item in items:
        groups = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        suffix = "@" + "_".join(sorted(groups))
        if groups and not item.nodeid.endswith(suffix):  # on pytest 8, xdist has done it already
            from _pytest.nodeid import NodeId  # only pytest 9 has it

            item._id = NodeId.parse(item.nodeid + suffix)


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


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2 at production cost takes ~0.1 s a hash (far more on a busy machine), and the
    tests create and log in hundreds of users. The algorithm and the stored format stay the
    same; only the work factors drop. Live servers, in their own processes, keep the defaults."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        yield


def worker_name() -> str:
    """``gw0``, ``gw1``, … under pytest-xdist; ``main`` without it."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


async def _migrate(url: str) -> None:
    engine = create_engine(url, null_pool=True)
    await migrate.upgrade(engine)
    await engine.dispose()


@contextmanager
def new_postgres_database() -> Iterator[str]:
    """A migrated PostgreSQL database of its own, dropped afterwards; yields its URL."""
    admin_url = normalise_database_url(POSTGRES_URL, Path("."))
    name = database_name(worker_name())
    run_aside(admin_sql(admin_url, f'CREATE DATABASE "{name}"'))
    try:
        # Commits need not wait for the WAL to reach the disk: a crash loses nothing a test needs.
        run_aside(admin_sql(admin_url, f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        url = with_database(admin_url, name)
        run_aside(_migrate(url))
        yield url
    finally:
        run_aside(admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def sqlite_copy(request: pytest.FixtureRequest, directory: Path) -> str:
    template: Path = request.getfixturevalue("sqlite_template")
    target = directory / "opentrakt.db"
    shutil.copyfile(template, target)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[PostgresDatabase]:
    """This test process's PostgreSQL database, wiped before each test that uses it."""
    if not POSTGRES_URL:
        pytest.skip("OPENTRAKT_TEST_POSTGRES_URL is not set")
    with new_postgres_database() as url:
        yield PostgresDatabase(url=url, wipe_script=str(run_aside(capture_wipe(url))))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A freshly migrated database for one test: a new SQLite file, or this process's
    PostgreSQL database wiped back to its migrated state."""
    if request.param == "sqlite":
        return sqlite_copy(request, tmp_path)
    database: PostgresDatabase = request.getfixturevalue("postgres_database")
    # Wiped before rather than after the test, so each test starts clean whatever ran before.
    run_aside(database.wipe())
    return database.url


@pytest.fixture(scope="module", params=BACKENDS)
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database shared by one module's tests, never wiped between them: for a world
    (or a server) that is slow to build and that the tests only read."""
    if request.param == "sqlite":
        yield sqlite_copy(request, tmp_path_factory.mktemp("module-db"))
        return
    with new_postgres_database() as url:
        yield url


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # Nothing shared between callers for a while: tests write rows and read them back at once,
    # on a frozen clock.
    return Settings(
        database_url=database_url, data_dir=tmp_path, public_url="http://testserver", shared_cache_seconds=0
    )


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
