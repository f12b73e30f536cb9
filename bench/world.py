"""The whole-service benchmark's world: a catalogue, users and their history, written in bulk.

    .venv/bin/python bench/world.py --database-url sqlite:///bench/out/world.db
    .venv/bin/python bench/world.py --database-url postgresql://postgres@127.0.0.1:5432/world --scale 0.05

At ``--scale 1`` (the default): 200,000 titles (198,000 movies and 2,000 shows with full
episode lists, 1 to 10 seasons of 8 to 24 weekly episodes, a quarter of the shows still airing
so calendars have something to show), 10,000 users with API keys, 2,000,000 plays (70 % episodes,
watched in order from the first, 30 % movies), and per user about 20 collected movies, the
collected episodes of the show they watch most, 8 movies and 2 shows on the watchlist, 15 rated
movies and 2 rated shows, 10 follows, and the last-activity summary that goes with it all.
Popularity is skewed (a few titles get most of the attention), so summaries and aggregates
have hot and cold rows as a real server does. Everything is deterministic for a given scale.

Every user's password is ``bench-secret`` and every row shares one Argon2 hash of it: hashing
10,000 passwords would take many minutes, and a server answers known credentials from its
verified-credentials cache either way. API keys and usernames are derived from the user's
number (``world_account``), so the load driver needs no query to know them.

Rows go in with ``COPY`` on PostgreSQL and raw ``executemany`` on SQLite, in batches, into a
freshly migrated database; PostgreSQL is vacuumed and analysed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import random
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from opentrakt.accounts.models import USER_PERMISSIONS  # noqa: E402
from opentrakt.accounts.passwords import hash_secret, sha1_hex  # noqa: E402
from opentrakt.catalog.text import fold, slugify  # noqa: E402
from opentrakt.config import is_sqlite, normalise_database_url  # noqa: E402
from opentrakt.db import migrate  # noqa: E402
from opentrakt.db.engine import create_engine, write_connection  # noqa: E402
from opentrakt.db.tables.accounts import api_keys, user_settings, users  # noqa: E402
from opentrakt.db.tables.catalog import SOURCE_IMDB, episodes, movies, seasons, shows  # noqa: E402
from opentrakt.db.tables.network import follows  # noqa: E402
from opentrakt.db.tables.ratings import movie_ratings, show_ratings  # noqa: E402
from opentrakt.db.tables.tracking import (  # noqa: E402
    ACTION_SCROBBLE,
    episode_collection,
    episode_plays,
    movie_collection,
    movie_plays,
    movie_watchlist,
    show_watchlist,
    user_last_activity,
)
from search_data import Words  # noqa: E402

PASSWORD = "bench-secret"
PASSWORD_SHA1 = sha1_hex(PASSWORD)
NOW = int(time.time()) // 86_400 * 86_400  # midnight UTC today: episodes air on whole days
WEEK = 7 * 86_400
FIRST_MOVIE_IMDB = 1_000_000  # movie n is tt{FIRST_MOVIE_IMDB + n}
FIRST_SHOW_TVDB = 100_000  # show n has TVDB id FIRST_SHOW_TVDB + n
FIRST_EPISODE_TVDB = 10_000_000
BATCH = 50_000


@dataclass(frozen=True, slots=True)
class Scale:
    """How big the world is; ``factor`` 1.0 is the default scale."""

    factor: float = 1.0

    def _scaled(self, full: int, least: int) -> int:
        return max(least, round(full * self.factor))

    @property
    def shows(self) -> int:
        return self._scaled(2_000, 10)

    @property
    def movies(self) -> int:
        return self._scaled(200_000, 100) - self.shows

    @property
    def users(self) -> int:
        return self._scaled(10_000, 20)

    @property
    def plays(self) -> int:
        return self._scaled(2_000_000, 2_000)

    @property
    def tag(self) -> str:
        """A name for databases and files holding a world of this scale."""
        return f"{self.factor:g}".replace(".", "_")


def world_account(n: int) -> tuple[str, str, str]:
    """User n's (username, SHA1 of the password, API key)."""
    key = hashlib.sha1(f"opentrakt-world-key-{n}".encode()).hexdigest()
    return f"viewer{n:05d}", PASSWORD_SHA1, key


def movie_imdb_id(n: int) -> str:
    return f"tt{FIRST_MOVIE_IMDB + n:07d}"


def popular(rng: random.Random, count: int) -> int:
    """An index in [0, count), low indices far more likely: a few titles get most attention."""
    return min(count - 1, int(count * rng.random() ** 3))


@dataclass(slots=True)
class ShowPlan:
    show_id: int
    seasons: int
    per_season: int
    first_episode_id: int
    aired: int  # episodes aired by NOW; they come first in (season, number) order

    @property
    def episodes(self) -> int:
        return self.seasons * self.per_season


class Sink:
    """Buffers rows per table and writes each full batch in one COPY / executemany."""

    def __init__(self, conn: AsyncConnection, postgres: bool) -> None:
        self.conn = conn
        self.postgres = postgres
        self.buffers: dict[str, list[tuple[Any, ...]]] = {}
        self.columns: dict[str, tuple[str, ...]] = {}
        self.padding: dict[str, tuple[Any, ...]] = {}
        self.written: dict[str, int] = {}

    async def add(self, table: Table, columns: tuple[str, ...], row: tuple[Any, ...]) -> None:
        if table.name not in self.buffers:
            self.buffers[table.name] = []
            self.columns[table.name] = columns + tuple(self._defaults(table, columns))
            self.padding[table.name] = tuple(self._defaults(table, columns).values())
        buffer = self.buffers[table.name]
        buffer.append(row + self.padding[table.name])
        if len(buffer) >= BATCH:
            # Tables first seen earlier hold the rows these refer to: they go first.
            for name in self.buffers:
                await self._flush(name)
                if name == table.name:
                    break

    @staticmethod
    def _defaults(table: Table, columns: tuple[str, ...]) -> dict[str, Any]:
        """The Python-side defaults SQLAlchemy would add, since COPY and raw SQL don't."""
        return {
            column.name: column.default.arg
            for column in table.columns
            if column.name not in columns and column.default is not None and column.default.is_scalar
        }

    async def add_all(self, table: Table, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            await self.add(table, columns, row)

    async def _flush(self, name: str) -> None:
        rows, columns = self.buffers[name], self.columns[name]
        if not rows:
            return
        if self.postgres:
            raw = await self.conn.get_raw_connection()
            await raw.driver_connection.copy_records_to_table(name, records=rows, columns=columns)
        else:
            marks = ", ".join("?" for _ in columns)
            await self.conn.exec_driver_sql(
                f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", rows
            )
        self.written[name] = self.written.get(name, 0) + len(rows)
        rows.clear()

    async def close(self) -> None:
        for name in list(self.buffers):
            await self._flush(name)


@dataclass
class World:
    """The generator's state while it writes: the catalogue plan that users' history draws on."""

    scale: Scale
    rng: random.Random = field(default_factory=lambda: random.Random(20_241_126))
    show_plans: list[ShowPlan] = field(default_factory=list)
    follows: list[tuple[int, int, int, int]] = field(default_factory=list)

    async def write_catalogue(self, sink: Sink) -> None:
        words = Words(self.rng)
        movie_columns = ("id", "slug", "title", "year", "runtime", "imdb_id", "imdb_rating", "imdb_votes")
        movie_columns += ("title_key", "source", "created_at", "updated_at")
        for n in range(self.scale.movies):
            title, year = words.title(), self.rng.randint(1930, 2024)
            votes = int(2_000_000 / (1 + n) ** 0.8)  # popularity falls with the index, as `popular` draws
            row = (n + 1, f"{slugify(title)}-{year}-{n}", title, year, self.rng.randint(80, 150))
            row += (
                movie_imdb_id(n),
                round(self.rng.uniform(4, 9), 1),
                votes,
                fold(title),
                SOURCE_IMDB,
                NOW,
                NOW,
            )
            await sink.add(movies, movie_columns, row)
        show_columns = ("id", "slug", "title", "year", "first_aired", "runtime", "status", "tvdb_id")
        show_columns += ("imdb_id", "title_key", "source", "created_at", "updated_at")
        season_columns = ("show_id", "number")
        episode_columns = ("id", "show_id", "season", "number", "title", "first_aired", "runtime", "tvdb_id")
        episode_columns += ("source", "created_at", "updated_at")
        episode_id = 1
        for n in range(self.scale.shows):
            plan = ShowPlan(
                n + 1, self.rng.randint(1, 10), self.rng.choice((8, 10, 13, 22, 24)), episode_id, 0
            )
            # A quarter still airing (their next episodes in the coming weeks), the rest ended.
            ahead = self.rng.randint(1, 8) if n % 4 == 0 else -self.rng.randint(0, 300)
            plan.aired = max(1, min(plan.episodes, plan.episodes - ahead))
            start = NOW - (plan.aired - 1) * WEEK - WEEK // 2 + 3600 * self.rng.randint(0, 23)
            title = words.title()
            status = "Continuing" if ahead > 0 else "Ended"
            runtime = self.rng.choice((22, 45, 60))
            row = (plan.show_id, f"{slugify(title)}-{n}", title, 1990 + n % 35, start, runtime, status)
            row += (FIRST_SHOW_TVDB + n, f"tt{5_000_000 + n:07d}", fold(title), SOURCE_IMDB, NOW, NOW)
            await sink.add(shows, show_columns, row)
            await sink.add_all(
                seasons, season_columns, ((plan.show_id, s) for s in range(1, plan.seasons + 1))
            )
            for index in range(plan.episodes):
                season, number = 1 + index // plan.per_season, 1 + index % plan.per_season
                row = (episode_id, plan.show_id, season, number, f"Episode {number}", start + index * WEEK)
                row += (runtime, FIRST_EPISODE_TVDB + episode_id, SOURCE_IMDB, NOW, NOW)
                await sink.add(episodes, episode_columns, row)
                episode_id += 1
            self.show_plans.append(plan)

    async def write_people(self, sink: Sink, password_hash: str) -> None:
        """Users, their keys and settings, history, collections, watchlists, ratings, follows."""
        rng, scale = self.rng, self.scale
        mean_plays = scale.plays / scale.users
        permissions = ",".join(sorted(USER_PERMISSIONS))
        user_columns = ("id", "username", "username_key", "email", "email_key", "password_hash")
        user_columns += ("protected", "vip", "is_admin", "joined", "last_login")
        for n in range(scale.users):
            user_id = n + 1
            username, _, key = world_account(n)
            email = f"{username}@bench.example"
            joined = NOW - rng.randint(30, 3_000) * 86_400
            row = (user_id, username, username, email, email, password_hash, False, False, False, joined, 0)
            await sink.add(users, user_columns, row)
            await sink.add(user_settings, ("user_id",), (user_id,))
            await sink.add(
                api_keys, ("key", "user_id", "permissions", "created_at"), (key, user_id, permissions, joined)
            )
            budget = min(int(5 * mean_plays), max(5, int(rng.expovariate(1 / mean_plays))))
            last = await self._history(sink, user_id, joined, budget)
            await self._lists(sink, user_id, n, joined)
            activity = ("user_id", "movie_watched", "movie_scrobble", "episode_watched", "episode_scrobble")
            activity += ("movie_collection", "episode_collection", "movie_rating", "show_rating")
            activity += ("movie_watchlist", "show_watchlist")
            movie_last, episode_last = last
            row = (user_id, movie_last, movie_last, episode_last, episode_last, joined, joined)
            row += (joined, joined, joined, joined)
            await sink.add(user_last_activity, activity, row)
        await sink.close()
        await sink.add_all(
            follows, ("follower_id", "followed_id", "requested_at", "approved_at"), self.follows
        )

    async def _history(self, sink: Sink, user_id: int, joined: int, budget: int) -> tuple[int, int]:
        """Plays: shows from their first episode on, and distinct movies. Latest play times."""
        rng = self.rng
        episode_budget = budget * 7 // 10
        span = NOW - joined
        episode_last = movie_last = 0
        watched_shows: set[int] = set()
        columns = ("user_id", "episode_id", "show_id", "watched_at", "action", "count")
        while episode_budget > 0 and len(watched_shows) < len(self.show_plans):
            plan = self.show_plans[popular(rng, len(self.show_plans))]
            if plan.show_id in watched_shows:
                continue
            watched_shows.add(plan.show_id)
            count = min(episode_budget, plan.aired)
            episode_budget -= count
            start = NOW - rng.randint(1, span)
            for index in range(count):
                watched_at = min(NOW - 60, start + index * 3_600 * rng.randint(1, 48))
                episode_last = max(episode_last, watched_at)
                row = (user_id, plan.first_episode_id + index, plan.show_id, watched_at, ACTION_SCROBBLE, 1)
                await sink.add(episode_plays, columns, row)
            if len(watched_shows) == 1:  # the show they watch most is the one they collect
                collected = ((user_id, plan.first_episode_id + i, plan.show_id, joined) for i in range(count))
                await sink.add_all(
                    episode_collection, ("user_id", "episode_id", "show_id", "collected_at"), collected
                )
        watched_movies = {popular(rng, self.scale.movies) for _ in range(budget - budget * 7 // 10)}
        columns = ("user_id", "movie_id", "watched_at", "action", "count")
        for movie in watched_movies:
            watched_at = NOW - rng.randint(60, span)
            movie_last = max(movie_last, watched_at)
            await sink.add(movie_plays, columns, (user_id, movie + 1, watched_at, ACTION_SCROBBLE, 1))
        rated = list(itertools.islice(watched_movies, 15))
        await sink.add_all(
            movie_ratings,
            ("user_id", "movie_id", "rating", "rated_at"),
            ((user_id, movie + 1, rng.randint(1, 10), joined) for movie in rated),
        )
        await sink.add_all(
            show_ratings,
            ("user_id", "show_id", "rating", "rated_at"),
            ((user_id, show_id, rng.randint(1, 10), joined) for show_id in sorted(watched_shows)[:2]),
        )
        return movie_last, episode_last

    async def _lists(self, sink: Sink, user_id: int, n: int, joined: int) -> None:
        rng, scale = self.rng, self.scale
        collected = {popular(rng, scale.movies) for _ in range(20)}
        await sink.add_all(
            movie_collection,
            ("user_id", "movie_id", "collected_at"),
            ((user_id, m + 1, joined) for m in collected),
        )
        listed = {popular(rng, scale.movies) for _ in range(8)}
        await sink.add_all(
            movie_watchlist, ("user_id", "movie_id", "listed_at"), ((user_id, m + 1, joined) for m in listed)
        )
        listed_shows = {popular(rng, scale.shows) for _ in range(2)}
        await sink.add_all(
            show_watchlist,
            ("user_id", "show_id", "listed_at"),
            ((user_id, s + 1, joined) for s in listed_shows),
        )
        followed = {rng.randrange(scale.users) for _ in range(10)} - {n}
        # Written once every user is: many follow someone whose row comes later.
        self.follows.extend((user_id, f + 1, joined, joined) for f in sorted(followed))


# The rating aggregates kept on the items, from the rating rows written above.
_AGGREGATES = """
UPDATE {items} SET rating_votes = agg.votes, rating_total = agg.total,
    rating_loved = agg.loved, rating_hated = agg.hated
FROM (SELECT {key} AS item_id, count(*) AS votes, sum(rating) AS total,
             sum(CASE WHEN rating >= 6 THEN 1 ELSE 0 END) AS loved,
             sum(CASE WHEN rating <= 5 THEN 1 ELSE 0 END) AS hated
      FROM {ratings} GROUP BY {key}) AS agg
WHERE {items}.id = agg.item_id
"""


async def _finish(engine: AsyncEngine, postgres: bool) -> None:
    async with engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            for items, key, ratings in (
                ("movies", "movie_id", "movie_ratings"),
                ("shows", "show_id", "show_ratings"),
            ):
                await conn.execute(text(_AGGREGATES.format(items=items, key=key, ratings=ratings)))
            if postgres:
                # Ids were written explicitly; later inserts must continue after them.
                for table in ("users", "movies", "shows", "episodes"):
                    await conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                        )
                    )
    if postgres:
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))


async def world_exists(engine: AsyncEngine, scale: Scale) -> bool:
    """True when the database holds a complete world of this scale (the last table written is full)."""
    try:
        async with engine.connect() as conn:
            counted = (await conn.execute(select(func.count()).select_from(user_last_activity))).scalar_one()
            movie_count = (await conn.execute(select(func.count()).select_from(movies))).scalar_one()
    except Exception:
        return False
    return counted == scale.users and movie_count == scale.movies


async def build(url: str, scale: Scale, report: Any = print) -> dict[str, int]:
    """Migrate an empty database at ``url`` and write the world; rows written per table."""
    engine = create_engine(url, null_pool=True)
    postgres = not is_sqlite(url)
    started = time.perf_counter()
    try:
        await migrate.upgrade(engine)
        password_hash = await asyncio.to_thread(hash_secret, PASSWORD_SHA1)
        world = World(scale)
        async with engine.connect() as conn:
            conn = await write_connection(conn)
            async with conn.begin():
                sink = Sink(conn, postgres)
                await world.write_catalogue(sink)
                await sink.close()
                report(f"  catalogue written in {time.perf_counter() - started:.0f}s")
                await world.write_people(sink, password_hash)
                await sink.close()
        report(f"  users and history written in {time.perf_counter() - started:.0f}s")
        await _finish(engine, postgres)
    finally:
        await engine.dispose()
    report(
        f"  world built in {time.perf_counter() - started:.0f}s: "
        + ", ".join(f"{n} {c:,}" for n, c in sink.written.items())
    )
    return sink.written


def show_structures(url: str) -> list[tuple[int, int, int]]:
    """(TVDB id, seasons, episodes per season) of every show in the world, for the load driver."""

    async def read() -> list[tuple[int, int, int]]:
        engine = create_engine(url, null_pool=True)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(
                    select(shows.c.tvdb_id, func.max(episodes.c.season), func.max(episodes.c.number))
                    .join(episodes, episodes.c.show_id == shows.c.id)
                    .group_by(shows.c.tvdb_id)
                    .order_by(shows.c.tvdb_id)
                )
                return [(tvdb, season_count, per_season) for tvdb, season_count, per_season in rows]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="an empty database (SQLite file or PostgreSQL)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 200,000 titles, 10,000 users, 2,000,000 plays"
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    url = normalise_database_url(args.database_url, Path("."))
    scale = Scale(args.scale)
    print(
        f"building a world of {scale.movies:,} movies, {scale.shows:,} shows, {scale.users:,} users, ~{scale.plays:,} plays"
    )
    asyncio.run(build(url, scale))


if __name__ == "__main__":
    main()
