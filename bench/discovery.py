"""Benchmark: trending, calendars and recommendations through the whole v1 stack at scale.

    .venv/bin/python bench/discovery.py --titles 100000                       # a quicker run, SQLite
    .venv/bin/python bench/discovery.py --database-url sqlite:///bench/out/discovery-1m.db   # build once, reuse
    .venv/bin/python bench/discovery.py --database-url postgresql://postgres@127.0.0.1:5432/discovery_bench_1m

The catalogue is ``search_data``'s (1,000,000 titles by default: 70% movies, 5% shows, 25%
episodes). On top of it, once per database (``discovery_data``): 10,000 users in all, 1,000,000
plays (half movies, half episodes; popular titles get far more, heavy users far more than light
ones, most plays in the last months and a few thousand in the last day), ratings for a tenth of
the played movies and shows, 300 people watching or checked in now, episodes spread over the year
around "now" so that calendars have something to show, and one user following 400 shows. The
server's clock is frozen at that "now".

After seeding (and on a reused database with ``--refresh``) the precomputed recommendation
neighbours are refreshed once, as the server's background duty does, and the time it takes is
printed; the planner statistics are then refreshed too (ANALYZE). Timed, each request through the ASGI application in
process (routing, API key, credentials, the query, presenting, JSON): ``movies/trending``,
``shows/trending``, ``user/calendar/shows`` of the user following 400 shows,
``recommendations/movies`` and ``recommendations/shows`` as typical users (a sample of users with
a median-ish history, each request another user), and ``server/time`` as the baseline. Each line
gives p50/p95 wall time and CPU time per request (this process plus, on PostgreSQL, the backends
serving it). Target: p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from sqlalchemy import func, select

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from discovery_data import CALENDAR_USER, NOW, PASSWORD, seed, typical_users  # noqa: E402
from opentrakt.accounts.passwords import sha1_hex  # noqa: E402
from opentrakt.app import Application  # noqa: E402
from opentrakt.clock import FrozenClock  # noqa: E402
from opentrakt.config import Settings, normalise_database_url  # noqa: E402
from opentrakt.db.tables.tracking import movie_plays  # noqa: E402
from opentrakt.discovery.neighbours import refresh_neighbours  # noqa: E402
from opentrakt.runtime import Runtime  # noqa: E402
from search import BENCH_USER, CpuClock, Samples, ensure_catalogue, print_table  # noqa: E402
from search_data import Scale  # noqa: E402


async def timed(
    client: httpx.AsyncClient, requests: Sequence[tuple[str, dict[str, str] | None]], clock: CpuClock
) -> Samples:
    samples = Samples()
    for path, body in requests:
        cpu_started, started = clock.now(), time.perf_counter()
        response = await client.post(path, json=body) if body is not None else await client.get(path)
        samples.wall.append((time.perf_counter() - started) * 1000)
        samples.cpu.append((clock.now() - cpu_started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:200]}")
    return samples


async def analyze(runtime: Runtime) -> None:
    """Fresh planner statistics: the seeded rows and the neighbours came after the catalogue's."""
    if runtime.engine.dialect.name == "sqlite":
        async with runtime.engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE")
        return
    async with runtime.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql("VACUUM ANALYZE")


async def run(url: str, scale: Scale, requests: int, refresh: bool) -> None:
    settings = Settings(database_url=url, data_dir=BENCH / "out", log_level="warning")
    runtime = Runtime.from_settings(settings, clock=FrozenClock(NOW))
    key = await ensure_catalogue(runtime, scale)
    async with runtime.engine.connect() as conn:
        seeded = (await conn.execute(select(func.count()).select_from(movie_plays))).scalar_one()
    if not seeded:
        started = time.perf_counter()
        await seed(runtime.engine, scale)
        print(f"seeded users, plays, ratings and airings in {time.perf_counter() - started:.0f} s")
        refresh = True
    refresh_seconds = 0.0
    if refresh:
        started = time.perf_counter()
        await refresh_neighbours(runtime.engine, now=NOW)
        refresh_seconds = time.perf_counter() - started
        print(f"neighbour refresh: {refresh_seconds:.1f} s")
    if refresh:
        await analyze(runtime)
    rng = random.Random(11)
    viewers = await typical_users(runtime.engine, requests, rng)
    password = sha1_hex(PASSWORD)
    clock = CpuClock()
    transport = httpx.ASGITransport(app=Application(runtime))
    rows: list[tuple[str, Samples]] = []
    load_before = os.getloadavg()[0]
    plans: list[tuple[str, list[tuple[str, dict[str, str] | None]]]] = [
        ("server/time (baseline)", [(f"/server/time.json/{key}", None)] * requests),
        ("movies/trending", [(f"/movies/trending.json/{key}", None)] * requests),
        ("shows/trending", [(f"/shows/trending.json/{key}", None)] * requests),
        (
            "user/calendar/shows (400 shows followed, 7 days)",
            [(f"/user/calendar/shows.json/{key}/{CALENDAR_USER}", None)] * requests,
        ),
    ]
    for kind in ("movies", "shows"):
        plans.append(
            (
                f"recommendations/{kind} (typical users)",
                [
                    (f"/recommendations/{kind}/{key}", {"username": name, "password": password})
                    for name in viewers
                ],
            )
        )
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120) as client:
        for label, plan in plans:
            await timed(client, plan[:10], clock)  # warm the caches
            await clock.follow(runtime)
            rows.append((label, await timed(client, plan, clock)))
        sizes = {
            "movies/trending": len((await client.get(f"/movies/trending.json/{key}")).json()),
            "shows/trending": len((await client.get(f"/shows/trending.json/{key}")).json()),
            "calendar airings": sum(
                len(day["episodes"])
                for day in (await client.get(f"/user/calendar/shows.json/{key}/{CALENDAR_USER}")).json()
            ),
        }
    await runtime.engine.dispose()
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"\n{backend}, {scale.titles:,} titles, {requests} requests per line (as {BENCH_USER}'s key); "
        f"answers: {sizes}; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, "
        f"{os.cpu_count()} CPUs\n"
    )
    print_table(rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--titles", type=int, default=1_000_000, help="movies + shows + episodes")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per line")
    parser.add_argument("--database-url", default="", help="build into / reuse this database")
    parser.add_argument(
        "--refresh", action="store_true", help="refresh the neighbours even on a reused database"
    )
    args = parser.parse_args()
    scale = Scale(args.titles)
    if args.database_url:
        url = normalise_database_url(args.database_url, BENCH)
        asyncio.run(run(url, scale, args.requests, args.refresh))
        return
    with tempfile.TemporaryDirectory() as scratch:
        asyncio.run(run(f"sqlite+aiosqlite:///{scratch}/discovery.db", scale, args.requests, True))


if __name__ == "__main__":
    main()
