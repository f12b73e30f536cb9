"""Tracking speed for a heavy user, against the raw work, measured in one run.

A synthetic user with 100,000 plays across 2,000 shows (50 episodes each) and 5,000 collected
movies. Timed through the whole v1 stack (router, credentials, handler, presenters, orjson) on
the in-process ASGI app:

* ``user/library/shows/watched`` (normal and ``min``) and ``user/progress/watched``;
* ``show/episode/seen`` with 10,000 episodes in one request (a fresh user each run).

Each read is compared with its raw work: the same SQL statement(s) the handler's data needs,
run directly, plus orjson serialisation of the rows. The bulk write is compared with a plain
batched INSERT of the same 10,000 play rows. Ratio = raw time / API time (1.0 = no overhead).

    .venv/bin/python bench/tracking.py                       # SQLite in a temp directory
    .venv/bin/python bench/tracking.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from opentrakt.accounts import service as accounts
from opentrakt.accounts.passwords import sha1_hex
from opentrakt.app import Application
from opentrakt.catalog.text import fold
from opentrakt.config import Settings, normalise_database_url
from opentrakt.db import migrate
from opentrakt.db.engine import create_engine, write_connection
from opentrakt.db.tables.catalog import SOURCE_IMDB, episodes, movies, shows
from opentrakt.db.tables.tracking import episode_plays, movie_collection
from opentrakt.runtime import Runtime

SHOWS, EPISODES_PER_SHOW, MOVIES = 2_000, 50, 5_000
BULK_SEASONS, BULK_EPISODES = 100, 100  # the long-running show the bulk write marks seen
NOW = 1_700_000_000


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


async def build_world(runtime: Runtime) -> User:
    """The catalogue and the heavy user's plays and collection, by batched inserts."""
    heavy = await make_user(runtime, "heavy")
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
            episode_rows = (await conn.execute(select(episodes.c.id, episodes.c.show_id))).all()
            plays = [
                {
                    "user_id": heavy.user_id,
                    "episode_id": episode_id,
                    "show_id": show_id,
                    "watched_at": NOW,
                    "action": "seen",
                    "count": 1,
                }
                for episode_id, show_id in episode_rows
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
    return heavy


async def timed(work: Callable[[], Awaitable[Any]], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(samples):7.1f} ms  p95 {p95:7.1f} ms"


async def raw_watched(runtime: Runtime, user_id: int) -> None:
    """The data user/library/shows/watched needs, by hand: watched episode numbers and the shows."""
    async with runtime.engine.connect() as conn:
        chosen = (
            select(episode_plays.c.episode_id)
            .where(episode_plays.c.user_id == user_id)
            .group_by(episode_plays.c.episode_id)
            .subquery()
        )
        rows = (
            await conn.execute(
                select(episodes.c.show_id, episodes.c.season, episodes.c.number)
                .join(chosen, chosen.c.episode_id == episodes.c.id)
                .order_by(episodes.c.show_id, episodes.c.season.desc(), episodes.c.number)
            )
        ).all()
        show_rows = (await conn.execute(select(shows).where(shows.c.id.in_({r[0] for r in rows})))).all()
    orjson.dumps([tuple(r) for r in rows])
    orjson.dumps([tuple(r) for r in show_rows])


async def raw_progress(runtime: Runtime, user_id: int) -> None:
    """The data user/progress/watched needs: the user's watched episodes and the shows' episodes."""
    async with runtime.engine.connect() as conn:
        done = (
            await conn.execute(
                select(
                    episode_plays.c.show_id, episode_plays.c.episode_id, func.max(episode_plays.c.watched_at)
                )
                .where(episode_plays.c.user_id == user_id)
                .group_by(episode_plays.c.show_id, episode_plays.c.episode_id)
            )
        ).all()
        involved = select(episode_plays.c.show_id).where(episode_plays.c.user_id == user_id).distinct()
        catalogue = (
            await conn.execute(
                select(
                    episodes.c.show_id,
                    episodes.c.id,
                    episodes.c.season,
                    episodes.c.number,
                    episodes.c.first_aired,
                )
                .where(episodes.c.show_id.in_(involved))
                .order_by(episodes.c.show_id, episodes.c.season, episodes.c.number)
            )
        ).all()
        show_rows = (await conn.execute(select(shows).where(shows.c.id.in_(involved)))).all()
    orjson.dumps([tuple(r) for r in done])
    orjson.dumps([tuple(r) for r in catalogue])
    orjson.dumps([tuple(r) for r in show_rows])


async def main(database_url: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(database_url=database_url or "", data_dir=Path(scratch))
        engine = create_engine(settings.resolved_database_url, null_pool=True)
        await migrate.upgrade(engine)
        await engine.dispose()
        runtime = Runtime.from_settings(settings)
        app = Application(runtime)
        started = time.perf_counter()
        heavy = await build_world(runtime)
        print(
            f"world: {SHOWS} shows x {EPISODES_PER_SHOW} episodes, {MOVIES} movies, built in "
            f"{time.perf_counter() - started:.1f} s on {settings.resolved_database_url.split(':')[0]}"
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120) as client:

            async def get(path: str) -> None:
                response = await client.get(f"/{path}/{heavy.key}/heavy", headers=heavy.basic)
                assert response.status_code == 200, response.text

            reads = {
                "library/shows/watched": (
                    lambda: get("user/library/shows/watched.json"),
                    lambda: raw_watched(runtime, heavy.user_id),
                ),
                "library/shows/watched min": (
                    lambda: client.get(
                        f"/user/library/shows/watched.json/{heavy.key}/heavy/min", headers=heavy.basic
                    ),
                    lambda: raw_watched(runtime, heavy.user_id),
                ),
                "progress/watched": (
                    lambda: get("user/progress/watched.json"),
                    lambda: raw_progress(runtime, heavy.user_id),
                ),
            }
            for name, (api, raw) in reads.items():
                await api()  # warm caches and the credential check
                api_ms = await timed(api, runs)
                raw_ms = await timed(raw, runs)
                ratio = statistics.median(raw_ms) / statistics.median(api_ms)
                print(f"{name:28s} api {summary(api_ms)} | raw {summary(raw_ms)} | ratio {ratio:.2f}")

            body_episodes = [
                {"season": season, "episode": number}
                for season in range(1, BULK_SEASONS + 1)
                for number in range(1, BULK_EPISODES + 1)
            ]
            api_ms, raw_ms = [], []
            for run in range(max(3, runs // 3)):
                user = await make_user(runtime, f"bulk{run}")
                body = {**user.body, "tvdb_id": 99_999_999, "title": "Long Runner", "episodes": body_episodes}
                started = time.perf_counter()
                response = await client.post(f"/show/episode/seen/{user.key}", json=body)
                api_ms.append((time.perf_counter() - started) * 1000)
                assert response.json()["message"] == "10000 episodes marked as seen", response.text
                plain_user = await make_user(runtime, f"plain{run}")
                raw_ms.append(await _plain_insert(runtime, plain_user.user_id))
            ratio = statistics.median(raw_ms) / statistics.median(api_ms)
            print(
                f"{'show/episode/seen 10,000':28s} api {summary(api_ms)} | raw {summary(raw_ms)} | ratio {ratio:.2f}"
            )
        await runtime.engine.dispose()


async def _plain_insert(runtime: Runtime, user_id: int) -> float:
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
    started = time.perf_counter()
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            await conn.execute(insert(episode_plays), plays)
    return (time.perf_counter() - started) * 1000


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
    args = parser.parse_args()
    url = _postgres_database(args.database_url) if args.database_url else ""
    asyncio.run(main(url, args.runs))
