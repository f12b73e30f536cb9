"""Benchmark: search latency through the whole v1 stack on a large catalogue.

    .venv/bin/python bench/search.py                                  # 1,000,000 titles, SQLite (temporary file)
    .venv/bin/python bench/search.py --titles 200000                   # a quicker run
    .venv/bin/python bench/search.py --database-url sqlite:///bench/out/search.db   # build once, then reuse
    .venv/bin/python bench/search.py --database-url postgresql://postgres@127.0.0.1:5432/search_bench

With --database-url the catalogue is built into that (existing, empty or migrated) database the
first time and reused on later runs with the same --titles. Requests go through the ASGI
application in process (httpx's ASGI transport): routing, API-key lookup, the search, batch
loading of the results, presenting and JSON encoding, in the path and query-string forms
alternately. The query mix (see ``queries``) covers whole titles, leading words, single common
words, stopwords, pairs of words, misspellings, accents and punctuation. ``server/time`` runs
in the same process as a baseline for the fixed cost of a request, and ``show/summary …/extended``
of a 20-season show is timed as the other large read.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

import httpx
from sqlalchemy import func, select, text

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from opentrakt.accounts import service as accounts  # noqa: E402
from opentrakt.accounts.passwords import sha1_hex  # noqa: E402
from opentrakt.app import Application  # noqa: E402
from opentrakt.config import Settings, normalise_database_url  # noqa: E402
from opentrakt.db import migrate  # noqa: E402
from opentrakt.db.engine import write_connection  # noqa: E402
from opentrakt.db.tables.accounts import users  # noqa: E402
from opentrakt.db.tables.catalog import episodes, movies, people, shows  # noqa: E402
from opentrakt.runtime import Runtime  # noqa: E402
from search_data import BIG_SHOW, BIG_SHOW_SLUG, Scale, build  # noqa: E402

BENCH_USER = "bench_runner"
FIXED_QUERIES = {
    "movies": [
        "uncle buck",
        "uncle+buck",
        "spider man",
        "spiderman",
        "amelie",
        "the matrix",
        "star wars",
        "schindlers list",
    ],
    "shows": ["cowboy bebop", "breaking bad", "simpsons"],
    "episodes": ["lisa the vegetarian"],
    "people": ["eric bana", "eric"],
    "users": ["infodump", "info"],
}
COMMON_WORDS = ["love", "night", "man", "dead", "the", "of the", "world", "star", "lov", "christmas story"]


def percentile(samples: Sequence[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def sample_texts(runtime: Runtime, kind: str, count: int, rng: random.Random) -> list[str]:
    """Stored titles (or names), picked at random through the id range."""
    column = {
        "movies": movies.c.title,
        "shows": shows.c.title,
        "episodes": episodes.c.title,
        "people": people.c.name,
        "users": users.c.username,
    }[kind]
    table = column.table
    async with runtime.engine.connect() as conn:
        top = (await conn.execute(select(func.max(table.c.id)))).scalar_one()
        picked = [rng.randint(1, top) for _ in range(count)]
        rows = await conn.execute(select(column).where(table.c.id.in_(picked)))
        return [text for (text,) in rows if text]


def queries(kind: str, texts: list[str], rng: random.Random, count: int) -> list[str]:
    """The mix: 35% whole stored texts, 20% their first word or two, 15% common words and
    stopwords, 10% a word cut short (typed prefix), 10% two words from different texts,
    5% misspelt, 5% fixed well-known titles."""
    mix: list[str] = []
    for _ in range(count):
        text = rng.choice(texts)
        words = text.split()
        roll = rng.random()
        if roll < 0.35:
            mix.append(text)
        elif roll < 0.55:
            mix.append(" ".join(words[: rng.randint(1, 2)]))
        elif roll < 0.70:
            mix.append(rng.choice(COMMON_WORDS))
        elif roll < 0.80:
            mix.append(words[0][: max(3, len(words[0]) - 2)])
        elif roll < 0.90:
            mix.append(f"{rng.choice(words)} {rng.choice(rng.choice(texts).split())}")
        elif roll < 0.95:
            mix.append(text[:-1] + "x")
        else:
            mix.append(rng.choice(FIXED_QUERIES[kind]))
    return mix


@dataclass
class Samples:
    """Per request: wall-clock time, and the CPU time this process and the database server's
    backends for this database spent on it (ms). CPU time is what the request costs; wall time
    also holds waiting for a CPU, which on a busy machine dwarfs it."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def __iadd__(self, other: Samples) -> Samples:
        self.wall += other.wall
        self.cpu += other.cpu
        return self


class CpuClock:
    """This process's CPU time plus that of the PostgreSQL backends serving it (from
    /proc/<pid>/schedstat, nanoseconds; the server must run on this machine)."""

    def __init__(self) -> None:
        self.backends: list[Path] = []

    async def follow(self, runtime: Runtime) -> None:
        if runtime.engine.dialect.name != "postgresql":
            return
        async with runtime.engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            )
            self.backends = [Path(f"/proc/{pid}/schedstat") for (pid,) in rows]

    def now(self) -> float:
        total = time.process_time()
        for path in self.backends:
            try:
                total += int(path.read_text().split()[0]) / 1e9
            except (OSError, ValueError, IndexError):
                continue
        return total


async def timed(client: httpx.AsyncClient, paths: Sequence[str], clock: CpuClock) -> Samples:
    samples = Samples()
    for path in paths:
        cpu_started, started = clock.now(), time.perf_counter()
        response = await client.get(path)
        samples.wall.append((time.perf_counter() - started) * 1000)
        samples.cpu.append((clock.now() - cpu_started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:200]}")
    return samples


def search_path(kind: str, key: str, text: str, n: int) -> str:
    if n % 2:
        return f"/search/{kind}.json/{key}?query={quote_plus(text)}"
    return f"/search/{kind}.json/{key}/{quote_plus(text)}"


async def ensure_catalogue(runtime: Runtime, scale: Scale) -> str:
    """Migrate, build the catalogue unless it is there, and return the bench user's API key."""
    await migrate.upgrade(runtime.engine)
    async with runtime.engine.connect() as conn:
        have = (await conn.execute(select(func.count()).select_from(movies))).scalar_one()
    if have == 0:
        print(
            f"building {scale.titles:,} titles ({scale.movies:,} movies, {scale.shows:,} shows, "
            f"{scale.episodes:,} episodes), {scale.people:,} people, {scale.users:,} users"
        )
        started = time.perf_counter()
        await build(runtime.engine, scale)
        print(f"built in {time.perf_counter() - started:.0f} s")
    elif have != scale.movies:
        raise SystemExit(
            f"the database holds {have:,} movies, not the {scale.movies:,} of --titles {scale.titles}"
        )
    if runtime.engine.dialect.name == "sqlite":
        async with runtime.engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE")
    else:
        async with runtime.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql("VACUUM ANALYZE")
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            user = await accounts.get_user_by_username(conn, BENCH_USER)
            if user is None:
                await accounts.create_user(
                    conn,
                    username=BENCH_USER,
                    email="bench@example.org",
                    password_sha1=sha1_hex("bench"),
                    now=1,
                )
            return await accounts.user_key(conn, BENCH_USER)


async def run(url: str, scale: Scale, requests: int) -> None:
    settings = Settings(database_url=url, data_dir=BENCH / "out", log_level="warning")
    runtime = Runtime.from_settings(settings)
    key = await ensure_catalogue(runtime, scale)
    rng = random.Random(7)
    clock = CpuClock()
    transport = httpx.ASGITransport(app=Application(runtime))
    rows: list[tuple[str, Samples]] = []
    load_before = os.getloadavg()[0]
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        baseline = [f"/server/time.json/{key}"] * requests
        await timed(client, baseline[:20], clock)
        await clock.follow(runtime)
        rows.append(("server/time (baseline)", await timed(client, baseline, clock)))
        everything = Samples()
        for kind in ("movies", "shows", "episodes", "people", "users"):
            texts = await sample_texts(runtime, kind, 2_000, rng)
            mix = queries(kind, texts, rng, requests)
            paths = [search_path(kind, key, text, n) for n, text in enumerate(mix)]
            await timed(client, paths[:20], clock)  # warm the caches
            await clock.follow(runtime)
            samples = await timed(client, paths, clock)
            everything += samples
            rows.append((f"search/{kind}", samples))
        rows.append(("search/* (all of the above)", everything))
        summary = [f"/show/summary.json/{key}/{BIG_SHOW_SLUG}/extended"] * max(20, requests // 4)
        await timed(client, summary[:5], clock)
        rows.append(
            (f"show/summary extended ({BIG_SHOW}, 20 seasons × 22)", await timed(client, summary, clock))
        )
    await runtime.engine.dispose()
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"\n{backend}, {scale.titles:,} titles, {requests} requests per search line; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} CPUs\n"
    )
    print_table(rows)


def print_table(rows: list[tuple[str, Samples]]) -> None:
    """Wall and CPU percentiles per line, and each line's CPU median against the first line's."""
    print(
        "| request | wall p50 ms | wall p95 ms | CPU p50 ms | CPU p95 ms | CPU p99 ms | CPU p50 / baseline |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    base = statistics.median(rows[0][1].cpu)
    for label, samples in rows:
        cpu_p50 = statistics.median(samples.cpu)
        print(
            f"| {label} | {statistics.median(samples.wall):.1f} | {percentile(samples.wall, 0.95):.1f} "
            f"| {cpu_p50:.1f} | {percentile(samples.cpu, 0.95):.1f} | {percentile(samples.cpu, 0.99):.1f} "
            f"| {cpu_p50 / base:.1f}× |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--titles", type=int, default=1_000_000, help="movies + shows + episodes")
    parser.add_argument("--requests", type=int, default=400, help="timed requests per search method")
    parser.add_argument("--database-url", default="", help="build into / reuse this database")
    args = parser.parse_args()
    scale = Scale(args.titles)
    if args.database_url:
        asyncio.run(run(normalise_database_url(args.database_url, BENCH), scale, args.requests))
        return
    with tempfile.TemporaryDirectory() as scratch:
        asyncio.run(run(f"sqlite+aiosqlite:///{scratch}/search.db", scale, args.requests))


if __name__ == "__main__":
    main()
