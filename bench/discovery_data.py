"""People's activity for the discovery benchmark, on top of ``search_data``'s catalogue.

Deterministic for a given scale. Popularity follows a power law over a shuffled catalogue (an
item's index is drawn as ``size × random⁴``: the first titles get thousands of times the plays
of the median one); users' activity is log-normal (a median user has about 50 plays, a heavy
one over a thousand); play times fall off exponentially into the past (a mean age of 120 days),
so trending's last day holds about 8,000 plays, as a busy server would have.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from opentrakt.accounts.passwords import hash_secret, sha1_hex
from opentrakt.db.engine import write_connection
from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.catalog import episodes, movies, shows
from opentrakt.db.tables.playback import STATE_CHECKIN, STATE_WATCHING, playback_sessions
from opentrakt.db.tables.ratings import movie_ratings, show_ratings
from opentrakt.db.tables.tracking import (
    ACTION_SCROBBLE,
    ACTION_SEEN,
    episode_collection,
    episode_plays,
    movie_plays,
    show_watchlist,
)
from search_data import NOW, Scale

__all__ = ["CALENDAR_USER", "NOW", "PASSWORD", "seed", "typical_users"]

USERS = 10_000
PLAYS = 1_000_000
WATCHING_NOW = 300
FOLLOWED_SHOWS = 400
CALENDAR_USER = "calendar_fan"
PASSWORD = "bench"
VIEWER_PREFIX = "viewer"
DAY = 86_400
BATCH = 5_000


def _power_index(rng: random.Random, size: int) -> int:
    """An index into a popularity-ordered list: low indexes are drawn far more often."""
    return min(size - 1, int(size * rng.random() ** 4))


def _played_at(rng: random.Random) -> int:
    return NOW - int(rng.expovariate(1 / (120 * DAY)))


async def _write(engine: AsyncEngine, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    batch: list[dict[str, Any]] = []
    written = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            written += await _flush(engine, table, batch)
    if batch:
        written += await _flush(engine, table, batch)
    return written


async def _flush(engine: AsyncEngine, table: Table, batch: list[dict[str, Any]]) -> int:
    async with engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            await conn.execute(insert(table), batch)
    count = len(batch)
    batch.clear()
    return count


async def _ids(engine: AsyncEngine, column: Any) -> list[int]:
    async with engine.connect() as conn:
        return list((await conn.execute(select(column).order_by(column))).scalars())


async def seed(engine: AsyncEngine, scale: Scale, report: Callable[[str], None] = print) -> None:
    """Users, plays, ratings, playback states, airings and the calendar user's shows."""
    rng = random.Random(20_240_715)
    have = len(await _ids(engine, users.c.id))
    password_hash = hash_secret(sha1_hex(PASSWORD))

    def user_rows() -> Iterator[dict[str, Any]]:
        for n in range(max(0, USERS - have - 1)):
            name = f"{VIEWER_PREFIX}{n}"
            yield {
                "username": name,
                "username_key": name,
                "email": f"{name}@example.org",
                "email_key": f"{name}@example.org",
                "password_hash": password_hash,
                "joined": NOW - DAY * 400,
            }
        yield {
            "username": CALENDAR_USER,
            "username_key": CALENDAR_USER,
            "email": "fan@example.org",
            "email_key": "fan@example.org",
            "password_hash": password_hash,
            "joined": NOW - DAY * 400,
        }

    await _write(engine, users, user_rows())
    user_ids = await _ids(engine, users.c.id)
    movie_ids = await _ids(engine, movies.c.id)
    show_ids = await _ids(engine, shows.c.id)
    rng.shuffle(movie_ids)
    rng.shuffle(show_ids)
    async with engine.connect() as conn:
        by_show: dict[int, list[int]] = {}
        for episode_id, show_id in await conn.execute(select(episodes.c.id, episodes.c.show_id)):
            by_show.setdefault(show_id, []).append(episode_id)
    show_ids = [show_id for show_id in show_ids if show_id in by_show]
    activity = list(itertools.accumulate(math.exp(rng.gauss(0, 1.2)) for _ in user_ids))
    per_kind = PLAYS // 2
    movie_pairs: dict[tuple[int, int], int] = {}
    show_pairs: dict[tuple[int, int], int] = {}

    def movie_play_rows() -> Iterator[dict[str, Any]]:
        for user_id in rng.choices(user_ids, cum_weights=activity, k=per_kind):
            movie_id = movie_ids[_power_index(rng, len(movie_ids))]
            at = _played_at(rng)
            movie_pairs[(user_id, movie_id)] = at
            yield {
                "user_id": user_id,
                "movie_id": movie_id,
                "watched_at": at,
                "action": ACTION_SCROBBLE,
                "count": 1,
            }

    def episode_play_rows() -> Iterator[dict[str, Any]]:
        for user_id in rng.choices(user_ids, cum_weights=activity, k=per_kind):
            show_id = show_ids[_power_index(rng, len(show_ids))]
            at = _played_at(rng)
            show_pairs[(user_id, show_id)] = at
            yield {
                "user_id": user_id,
                "show_id": show_id,
                "episode_id": rng.choice(by_show[show_id]),
                "watched_at": at,
                "action": ACTION_SEEN,
                "count": 1,
            }

    report(f"  movie_plays: {await _write(engine, movie_plays, movie_play_rows()):,}")
    report(f"  episode_plays: {await _write(engine, episode_plays, episode_play_rows()):,}")

    def rating_rows(pairs: dict[tuple[int, int], int], key: str) -> Iterator[dict[str, Any]]:
        for (user_id, item_id), at in pairs.items():
            if rng.random() < 0.1:
                rating = max(1, min(10, round(rng.gauss(7.5, 2))))
                yield {"user_id": user_id, key: item_id, "rating": rating, "rated_at": at}

    report(f"  movie_ratings: {await _write(engine, movie_ratings, rating_rows(movie_pairs, 'movie_id')):,}")
    report(f"  show_ratings: {await _write(engine, show_ratings, rating_rows(show_pairs, 'show_id')):,}")

    def session_rows() -> Iterator[dict[str, Any]]:
        for n, user_id in enumerate(rng.sample(user_ids, WATCHING_NOW)):
            state = STATE_CHECKIN if n % 3 == 0 else STATE_WATCHING
            row: dict[str, Any] = {
                "user_id": user_id,
                "state": state,
                "movie_id": None,
                "show_id": None,
                "episode_id": None,
                "started_at": NOW - 600,
            }
            if n % 2:
                row.update(item_type="movie", movie_id=movie_ids[_power_index(rng, len(movie_ids))])
            else:
                show_id = show_ids[_power_index(rng, len(show_ids))]
                row.update(item_type="episode", show_id=show_id, episode_id=by_show[show_id][0])
            row.update(updated_at=NOW - 60, ends_at=NOW + 3000, duration=60, progress=20)
            yield row

    report(f"  playback_sessions: {await _write(engine, playback_sessions, session_rows()):,}")
    await _spread_airings(engine)
    await _follow_shows(engine, rng, show_ids, by_show)


async def _spread_airings(engine: AsyncEngine) -> None:
    """Each show airs through the year around now: episode n of season s a week after the last."""
    async with engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            offset = (episodes.c.show_id * 7919) % 365 * DAY
            episode_index = (episodes.c.season - 1) * 26 + episodes.c.number
            await conn.execute(
                update(episodes).values(
                    first_aired=NOW - 200 * DAY + offset + (episode_index % 40) * 7 * DAY + 20 * 3600
                )
            )


async def _follow_shows(
    engine: AsyncEngine, rng: random.Random, show_ids: list[int], by_show: dict[int, list[int]]
) -> None:
    """The calendar user watchlists 400 shows and has collected an episode of 100 more."""
    async with engine.connect() as conn:
        user_id = (
            await conn.execute(select(users.c.id).where(users.c.username == CALENDAR_USER))
        ).scalar_one()
    followed = rng.sample(show_ids, FOLLOWED_SHOWS + 100)
    await _write(
        engine,
        show_watchlist,
        (
            {"user_id": user_id, "show_id": show_id, "listed_at": NOW - DAY}
            for show_id in followed[:FOLLOWED_SHOWS]
        ),
    )
    await _write(
        engine,
        episode_collection,
        (
            {
                "user_id": user_id,
                "show_id": show_id,
                "episode_id": by_show[show_id][0],
                "collected_at": NOW - DAY,
            }
            for show_id in followed[FOLLOWED_SHOWS:]
        ),
    )


async def typical_users(engine: AsyncEngine, count: int, rng: random.Random) -> list[str]:
    """Viewers (who can log in) whose number of movie plays is between the 40th and 80th
    percentile of everyone's: what a typical user's recommendations cost."""
    async with engine.connect() as conn:
        per_user = (
            select(movie_plays.c.user_id, func.count().label("plays"))
            .group_by(movie_plays.c.user_id)
            .subquery()
        )
        rows = list(
            await conn.execute(
                select(users.c.username, per_user.c.plays)
                .join(per_user, per_user.c.user_id == users.c.id)
                .where(users.c.username.like(f"{VIEWER_PREFIX}%"))
                .order_by(per_user.c.plays, users.c.id)
            )
        )
    middle = [name for name, _ in rows[len(rows) * 40 // 100 : len(rows) * 80 // 100]]
    return [rng.choice(middle) for _ in range(count)]
