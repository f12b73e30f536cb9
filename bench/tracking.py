"""Tracking speed for a heavy user, against the raw work, measured in one run.

A synthetic user with 100,000 plays across 2,000 shows (50 episodes each) and 5,000 collected
movies. Timed through the whole v1 stack (router, credentials, handler, presenters, orjson) on
the in-process ASGI app:

* ``user/library/shows/watched`` (normal and ``min``) and ``user/progress/watched``;
* ``user/progress/watched`` of a second user, behind on every show (all episodes watched but the
  last of each: 98,000 plays), which takes progress' per-episode path;
* ``show/episode/seen`` with 10,000 episodes in one request (a fresh user each run).

Each read is compared with its raw work: the very statements the handler sends (the tracking
service's own statement builders, then the catalogue reads of the shows it names), run
directly, plus orjson serialisation of the rows. The bulk write is compared with a plain
batched INSERT of the same 10,000 play rows. Ratio = raw time / API time (1.0 = no overhead).

Every figure is given as wall time and as CPU time (this process, plus on a local PostgreSQL
the server backends of the bench database): on a shared machine wall time also holds waiting
for a CPU, so the CPU ratio is the steadier one. The load average is printed with the results,
with a reference loop's time before and after (the machine's speed: see ``reference_loop``).

    .venv/bin/python bench/tracking.py                       # SQLite in a temp directory
    .venv/bin/python bench/tracking.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

The ``gc`` figures are the part of this process's CPU time spent in Python's cyclic garbage
collector; ``--server-gc`` (formerly ``--freeze-gc``) runs the collector as each server process
does once started (``app.settle_collector``: the start-up heap frozen, fewer young collections).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url

from opentrakt.accounts import service as accounts
from opentrakt.accounts.passwords import sha1_hex
from opentrakt.app import Application, settle_collector
from opentrakt.catalog.queries import EPISODE_RECORD_COLUMNS, SHOW_RECORD_COLUMNS
from opentrakt.catalog.text import fold
from opentrakt.config import Settings, normalise_database_url
from opentrakt.db import migrate
from opentrakt.db.engine import create_engine, write_connection
from opentrakt.db.sql import id_batches, in_ids
from opentrakt.db.tables.catalog import SOURCE_IMDB, episodes, genres, movies, show_genres, shows
from opentrakt.db.tables.tracking import episode_plays, movie_collection
from opentrakt.runtime import Runtime
from opentrakt.tracking.library import show_episodes_query
from opentrakt.tracking.progress import (
    SeasonScope,
    seasons_query,
    shows_query,
    specials_completed_query,
    unfinished_query,
)
from search import CpuClock

SHOWS, EPISODES_PER_SHOW, MOVIES = 2_000, 50, 5_000
BULK_SEASONS, BULK_EPISODES = 100, 100  # the long-running show the bulk write marks seen
NOW = 1_700_000_000
JSON = {"content-type": "application/json"}


class User:
    def __init__(self, name: str, key: str, user_id: int) -> None:
        sha1 = sha1_hex("secret")
        self.user_id, self.key = user_id, key
        self.body = {"username": name, "password": sha1}
        token = httpx.BasicAuth(name, sha1)._auth_header
        self.basic = {"Authorization": token}


async def make_user(runtime: Runtime, name: str) -> User:
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            user, key = await accounts.create_user(
                conn, username=name, email=f"{name}@example.org", password_sha1=sha1_hex("secret"), now=NOW
            )
    return User(name, key.key, user.id)


async def build_world(runtime: Runtime) -> tuple[User, User]:
    """The catalogue, the heavy user's plays and collection, and a user who watched all but the
    last episode of every show, by batched inserts."""
    heavy = await make_user(runtime, "heavy")
    behind = await make_user(runtime, "behind")
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            await conn.execute(
                insert(shows),
                [
                    {
                        "slug": f"show-{n}",
                        "title": f"Show {n}",
                        "title_key": fold(f"Show {n}"),
                        "year": 2000 + n % 20,
                        "tvdb_id": 100_000 + n,
                        "source": SOURCE_IMDB,
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                    for n in range(SHOWS)
                ],
            )
            show_ids = list((await conn.execute(select(shows.c.id).order_by(shows.c.id))).scalars())
            rows = [
                {
                    "show_id": show_id,
                    "season": 1 + e // 10,
                    "number": 1 + e % 10,
                    "title": f"Episode {e}",
                    "first_aired": NOW - 86_400 * (EPISODES_PER_SHOW - e),
                    "source": SOURCE_IMDB,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for show_id in show_ids
                for e in range(EPISODES_PER_SHOW)
            ]
            for start in range(0, len(rows), 10_000):
                await conn.execute(insert(episodes), rows[start : start + 10_000])
            await conn.execute(
                insert(movies),
                [
                    {
                        "slug": f"movie-{n}",
                        "title": f"Movie {n}",
                        "title_key": fold(f"Movie {n}"),
                        "year": 1950 + n % 70,
                        "imdb_id": f"tt{5_000_000 + n}",
                        "source": SOURCE_IMDB,
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                    for n in range(MOVIES)
                ],
            )
            episode_rows = (
                await conn.execute(
                    select(episodes.c.id, episodes.c.show_id, episodes.c.season, episodes.c.number)
                )
            ).all()
            last_episode = (1 + (EPISODES_PER_SHOW - 1) // 10, 1 + (EPISODES_PER_SHOW - 1) % 10)
            plays = [
                {
                    "user_id": user.user_id,
                    "episode_id": episode_id,
                    "show_id": show_id,
                    "watched_at": NOW,
                    "action": "seen",
                    "count": 1,
                }
                for user in (heavy, behind)
                for episode_id, show_id, season, number in episode_rows
                if user is heavy or (season, number) != last_episode
            ]
            for start in range(0, len(plays), 10_000):
                await conn.execute(insert(episode_plays), plays[start : start + 10_000])
            movie_ids = list((await conn.execute(select(movies.c.id))).scalars())
            await conn.execute(
                insert(movie_collection),
                [{"user_id": heavy.user_id, "movie_id": m, "collected_at": NOW} for m in movie_ids],
            )
            bulk_show = (
                await conn.execute(
                    insert(shows)
                    .values(
                        slug="long-runner",
                        title="Long Runner",
                        title_key="long runner",
                        year=1990,
                        tvdb_id=99_999_999,
                        source=SOURCE_IMDB,
                        created_at=NOW,
                        updated_at=NOW,
                    )
                    .returning(shows.c.id)
                )
            ).scalar_one()
            await conn.execute(
                insert(episodes),
                [
                    {
                        "show_id": bulk_show,
                        "season": s,
                        "number": n,
                        "first_aired": NOW - 86_400,
                        "source": SOURCE_IMDB,
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                    for s in range(1, BULK_SEASONS + 1)
                    for n in range(1, BULK_EPISODES + 1)
                ],
            )
    return heavy, behind


class CollectorClock:
    """CPU time this process spends in Python's cyclic garbage collector (a share of the CPU
    figures: a collection of the oldest generation walks every object the process holds)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0
        gc.callbacks.append(self._on_collection)

    def _on_collection(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.seconds += time.process_time() - self._started


COLLECTOR = CollectorClock()


@dataclass
class Samples:
    """Milliseconds per run: wall-clock, CPU, and the garbage collector's part of that CPU."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    gc: list[float] = field(default_factory=list)


async def measure(samples: Samples, work: Callable[[], Awaitable[Any]], clock: CpuClock) -> Any:
    started, cpu_started, gc_started = time.perf_counter(), clock.now(), COLLECTOR.seconds
    result = await work()
    samples.wall.append((time.perf_counter() - started) * 1000)
    samples.cpu.append((clock.now() - cpu_started) * 1000)
    samples.gc.append((COLLECTOR.seconds - gc_started) * 1000)
    return result


async def timed_pairs(
    api: Callable[[], Awaitable[Any]], raw: Callable[[], Awaitable[Any]], runs: int, clock: CpuClock
) -> tuple[Samples, Samples]:
    """``runs`` samples of each, alternating, so that both see the same machine: a shared
    machine's speed drifts within seconds, which skewed ratios taken from two separate series."""
    api_samples, raw_samples = Samples(), Samples()
    for _ in range(runs):
        await measure(api_samples, api, clock)
        await measure(raw_samples, raw, clock)
    return api_samples, raw_samples


def p95(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(name: str, api: Samples, raw: Samples) -> None:
    wall = statistics.median(raw.wall) / statistics.median(api.wall)
    cpu = statistics.median(raw.cpu) / statistics.median(api.cpu)
    print(
        f"{name:26s} api {statistics.median(api.wall):5.0f} ms (p95 {p95(api.wall):5.0f}, "
        f"cpu {statistics.median(api.cpu):4.0f}, gc {statistics.median(api.gc):3.0f}) | "
        f"raw {statistics.median(raw.wall):5.0f} ms (p95 {p95(raw.wall):5.0f}, "
        f"cpu {statistics.median(raw.cpu):4.0f}, gc {statistics.median(raw.gc):3.0f}) | "
        f"ratio {wall:.2f}, cpu {cpu:.2f}"
    )


async def _show_rows(
    conn: Any, show_ids: Sequence[int], *, with_genres: bool = True
) -> list[tuple[Any, ...]]:
    """The catalogue reads the handlers make for the shows they list: genres (unless the objects
    have none), then rows, in the batches the handlers use (one on PostgreSQL, a few hundred ids
    each on SQLite)."""
    found: list[tuple[Any, ...]] = []
    for batch in id_batches(conn, show_ids if with_genres else ()):
        genre_rows = await conn.execute(
            select(show_genres.c.show_id, genres.c.name)
            .join(genres, genres.c.id == show_genres.c.genre_id)
            .where(in_ids(conn, show_genres.c.show_id, batch))
            .order_by(show_genres.c.show_id, genres.c.name)
        )
        found.extend(tuple(row) for row in genre_rows)
    for batch in id_batches(conn, show_ids):
        found.extend(
            tuple(row)
            for row in await conn.execute(select(*SHOW_RECORD_COLUMNS).where(in_ids(conn, shows.c.id, batch)))
        )
    return found


async def raw_watched(runtime: Runtime, user_id: int, *, minimal: bool = False) -> None:
    """user/library/shows/watched's statements, run directly: the library statement, then the
    shows it names (without genres for ``min``)."""
    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(show_episodes_query(conn, user_id, "watched"))).all()
        show_rows = await _show_rows(conn, [row[0] for row in rows], with_genres=not minimal)
    orjson.dumps([tuple(row) for row in rows])
    orjson.dumps(show_rows)


async def raw_progress(runtime: Runtime, user_id: int, *, caught_up: bool = True) -> None:
    """user/progress/watched's statements, run directly: progress' own (one row per show, one per
    season, completed specials per show and, for a user behind on every show, the episodes left
    per season), then the shows and next episodes they name. For a user who has watched every
    episode, the handler sends neither the statement for episodes left nor the next episodes'."""
    async with runtime.engine.connect() as conn:
        show_rows = (await conn.execute(shows_query(conn, user_id, "watched"))).all()
        scope = SeasonScope(user_id, "watched", int(time.time()), [row[0] for row in show_rows])
        season_rows = (await conn.execute(seasons_query(conn, scope))).all()
        specials_rows = (await conn.execute(specials_completed_query(conn, scope))).all()
        left_rows = [] if caught_up else (await conn.execute(unfinished_query(conn, scope))).all()
        catalogue = await _show_rows(conn, [row[0] for row in show_rows], with_genres=False)
        next_ids = [orjson.loads(row[2])[0][1] for row in left_rows]
        next_rows = [
            tuple(row)
            for batch in id_batches(conn, next_ids)
            for row in await conn.execute(
                select(*EPISODE_RECORD_COLUMNS).where(in_ids(conn, episodes.c.id, batch))
            )
        ]
    for rows in (show_rows, season_rows, specials_rows, left_rows, next_rows):
        orjson.dumps([tuple(row) for row in rows])
    orjson.dumps(catalogue)


PROGRESS_VARIANTS = {
    "default": "",
    "full": "/all/title/full",
    "normal-activity": "/all/activity/normal",
    "least-completed": "/all/least-completed",
}


async def save_progress(client: httpx.AsyncClient, heavy: User, directory: Path) -> None:
    """The heavy user's progress responses, byte for byte, to compare before and after a change."""
    bodies: dict[str, bytes] = {}
    for name, suffix in PROGRESS_VARIANTS.items():
        response = await client.get(
            f"/user/progress/watched.json/{heavy.key}/heavy{suffix}", headers=heavy.basic
        )
        assert response.status_code == 200, response.text
        bodies[f"progress-{name}.json"] = response.content
    _write_files(directory, bodies)


def _write_files(directory: Path, files: dict[str, bytes]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (directory / name).write_bytes(content)


def reference_loop() -> float:
    """Seconds for ten million Python additions: how fast this machine is right now.

    Virtual machines of the same kind differ, and one machine's speed drifts with its neighbours'
    load; absolute times from runs whose reference differs are not comparable (ratios are).
    """
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.perf_counter() - started


async def profiled(name: str, work: Callable[[], Awaitable[Any]], directory: Path | None) -> Any:
    """One more call of ``work``, under pyinstrument when a profile directory is given."""
    if directory is None:
        return None
    from pyinstrument import Profiler  # the bench extra

    profiler = Profiler(interval=0.0005, async_mode="enabled")
    with profiler:
        result = await work()
    slug = name.replace("/", "-").replace(" ", "-").replace(",", "")
    _write_files(directory, {f"{slug}.txt": profiler.output_text(unicode=True, show_all=False).encode()})
    return result


async def main(
    database_url: str,
    runs: int,
    server_gc: bool,
    save_dir: Path | None = None,
    profile_dir: Path | None = None,
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(database_url=database_url or "", data_dir=Path(scratch))
        engine = create_engine(settings.resolved_database_url, null_pool=True)
        await migrate.upgrade(engine)
        await engine.dispose()
        runtime = Runtime.from_settings(settings)
        app = Application(runtime)
        started = time.perf_counter()
        heavy, behind = await build_world(runtime)
        if runtime.engine.dialect.name == "postgresql":
            # Autovacuum would vacuum and analyse the freshly loaded tables within a minute: without
            # statistics the planner takes the user's 100,000 plays for a few hundred, and without
            # the visibility map an index-only scan still visits every row.
            async with runtime.engine.connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("VACUUM ANALYZE"))
        print(
            f"world: {SHOWS} shows x {EPISODES_PER_SHOW} episodes, {MOVIES} movies, built in "
            f"{time.perf_counter() - started:.1f} s on {settings.resolved_database_url.split(':')[0]}"
        )
        if server_gc:
            # As a server process after start-up: the ~110,000 objects that imports and set-up
            # leave behind frozen out of the collector's passes, young collections less often.
            gc.collect()
            settle_collector()
        load_before, speed_before = os.getloadavg()[0], reference_loop()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120) as client:

            async def get(path: str, user: User = heavy) -> None:
                response = await client.get(f"/{path}/{user.key}/{user.body['username']}", headers=user.basic)
                assert response.status_code == 200, response.text

            if save_dir is not None:
                await save_progress(client, heavy, save_dir)

            reads = {
                "library/shows/watched": (
                    lambda: get("user/library/shows/watched.json"),
                    lambda: raw_watched(runtime, heavy.user_id),
                ),
                "library/shows/watched min": (
                    lambda: client.get(
                        f"/user/library/shows/watched.json/{heavy.key}/heavy/min", headers=heavy.basic
                    ),
                    lambda: raw_watched(runtime, heavy.user_id, minimal=True),
                ),
                "progress/watched": (
                    lambda: get("user/progress/watched.json"),
                    lambda: raw_progress(runtime, heavy.user_id),
                ),
                "progress/watched behind": (
                    lambda: get("user/progress/watched.json", behind),
                    lambda: raw_progress(runtime, behind.user_id, caught_up=False),
                ),
            }
            clock = CpuClock()
            for name, (api, raw) in reads.items():
                await api()  # warm caches and the credential check
                await raw()
                await clock.follow(runtime)
                report(name, *await timed_pairs(api, raw, runs, clock))
                await profiled(name, api, profile_dir)

            body_episodes = [
                {"season": season, "episode": number}
                for season in range(1, BULK_SEASONS + 1)
                for number in range(1, BULK_EPISODES + 1)
            ]
            api_seen, raw_seen = Samples(), Samples()
            for run in range(max(3, runs)):
                user = await make_user(runtime, f"bulk{run}")
                # As a client's first call would, this verifies the new user's password (Argon2,
                # deliberately slow; later requests hit the server's cache), so that the timed
                # request measures the write, as the reads' warm-up call does for them.
                warm = await client.post(f"/account/test/{user.key}", json=user.body)
                assert warm.status_code == 200, warm.text
                body = {**user.body, "tvdb_id": 99_999_999, "title": "Long Runner", "episodes": body_episodes}
                content = orjson.dumps(body)  # encoding the body is the client's work, not timed
                await clock.follow(runtime)
                response = await measure(
                    api_seen,
                    partial(client.post, f"/show/episode/seen/{user.key}", content=content, headers=JSON),
                    clock,
                )
                assert response.json()["message"] == "10000 episodes marked as seen", response.text
                if run == 0 and profile_dir is not None:
                    again = await make_user(runtime, "profiled")
                    await client.post(f"/account/test/{again.key}", json=again.body)
                    content = orjson.dumps({**body, **again.body})
                    await profiled(
                        "show/episode/seen 10,000",
                        partial(
                            client.post, f"/show/episode/seen/{again.key}", content=content, headers=JSON
                        ),
                        profile_dir,
                    )
                plain_user = await make_user(runtime, f"plain{run}")
                await _plain_insert(runtime, plain_user.user_id, clock, raw_seen)
            report("show/episode/seen 10,000", api_seen, raw_seen)
        print(
            f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} CPUs; "
            f"reference loop {speed_before:.2f} s before, {reference_loop():.2f} s after"
        )
        await runtime.engine.dispose()


async def _plain_insert(runtime: Runtime, user_id: int, clock: CpuClock, samples: Samples) -> None:
    """The same 10,000 play rows, inserted with one executemany in one transaction."""
    async with runtime.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(episodes.c.id, episodes.c.show_id).where(
                    episodes.c.show_id
                    == select(shows.c.id).where(shows.c.tvdb_id == 99_999_999).scalar_subquery()
                )
            )
        ).all()
    plays = [
        {"user_id": user_id, "episode_id": e, "show_id": s, "watched_at": NOW, "action": "seen", "count": 1}
        for e, s in rows
    ]

    async def write() -> None:
        async with runtime.engine.connect() as conn:
            conn = await write_connection(conn)
            async with conn.begin():
                await conn.execute(insert(episode_plays), plays)

    await clock.follow(runtime)
    await measure(samples, write, clock)


def _postgres_database(admin_url: str) -> str:
    """A fresh database next to the one the URL names, for the bench."""

    async def create() -> str:
        url = normalise_database_url(admin_url, Path("."))
        engine = create_engine(url, null_pool=True)
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("DROP DATABASE IF EXISTS opentrakt_bench_tracking WITH (FORCE)"))
            await conn.execute(text("CREATE DATABASE opentrakt_bench_tracking"))
        await engine.dispose()
        return make_url(url).set(database="opentrakt_bench_tracking").render_as_string(hide_password=False)

    return asyncio.run(create())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL server URL (default: SQLite in a temp dir)"
    )
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each read")
    parser.add_argument(
        "--server-gc",
        "--freeze-gc",
        dest="server_gc",
        action="store_true",
        help="once the world is built, run the garbage collector as a server process does after start-up",
    )
    parser.add_argument(
        "--save-progress",
        type=Path,
        metavar="DIR",
        help="write the heavy user's user/progress/watched responses to DIR (to compare them byte for byte)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="after the timed runs, profile one more call of each request with pyinstrument into DIR",
    )
    args = parser.parse_args()
    url = _postgres_database(args.database_url) if args.database_url else ""
    asyncio.run(main(url, args.runs, args.server_gc, args.save_progress, args.profile))
