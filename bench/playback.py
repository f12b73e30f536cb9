"""Benchmark: sustained media-centre playback traffic against a real server on PostgreSQL.

    .venv/bin/python bench/playback.py
    .venv/bin/python bench/playback.py --users 1000 --duration 30 --workers 2
    .venv/bin/python bench/playback.py --admin-url postgresql://postgres@127.0.0.1:5432/postgres

The run creates a database of its own on the PostgreSQL server behind ``--admin-url``, seeds
1,000 users with API keys, 300 movies and 200 shows of four 20-episode seasons, starts
``opentrakt serve --workers 2`` on it, and drives it with ``wrk`` (a C load generator, so the
client takes little of the two cores the server shares with it) and ``bench/playback.lua``.
Each simulated user repeats what a media centre sends: watching pings, a scrobble at the end of each episode
or movie, and now and then a check-in and its cancellation.

Three measurements, in one run against the same server:

* **saturation**: as many requests as the server takes from ``--connections`` keep-alive
  connections (closed loop): the throughput ceiling;
* **paced**: ``--paced-connections`` connections each pausing an exponentially distributed time
  between requests, offering about ``--rate`` requests per second: the latencies at that load
  (a closed loop at saturation mostly measures queueing);
* **server/time**: the saturation run's set-up, answering ``server/time``: the fixed cost of a
  request through the same stack, for the ratio.

A warm-up run first fills every worker's connection pool and credential cache. The database is
dropped afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from opentrakt.accounts.models import USER_PERMISSIONS
from opentrakt.accounts.passwords import hash_secret, sha1_hex
from opentrakt.accounts.service import new_api_key
from opentrakt.catalog.text import fold, movie_slug, show_slug
from opentrakt.config import normalise_database_url
from opentrakt.db import migrate
from opentrakt.db.engine import create_engine
from opentrakt.db.tables.accounts import api_keys, user_settings, users
from opentrakt.db.tables.catalog import SOURCE_IMDB, episodes, movies, seasons, shows

BENCH = Path(__file__).resolve().parent
LUA = BENCH / "playback.lua"
PASSWORD = "bench-secret"
NOW = int(time.time())
MOVIES, SHOWS, SEASONS, EPISODES_PER_SEASON = 300, 200, 4, 20
FIRST_TVDB = 900_000


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int]
    socket_errors: dict[str, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def line(self) -> str:
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
        return (
            f"{self.name:<11} {self.rate:8.0f} req/s   p50 {self.p50_ms:6.1f} ms   p90 {self.p90_ms:6.1f} ms   "
            f"p99 {self.p99_ms:6.1f} ms   max {self.max_ms:7.1f} ms   ({self.requests} requests; {statuses})"
        )


async def admin(admin_url: str, statement: str) -> None:
    engine = create_engine(normalise_database_url(admin_url, Path(".")), null_pool=True)
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


def rows_in_chunks(rows: list[dict[str, Any]], size: int = 2000) -> list[list[dict[str, Any]]]:
    return [rows[start : start + size] for start in range(0, len(rows), size)]


async def seed(url: str, user_count: int) -> list[tuple[str, str, str, int]]:
    """Users, keys and catalogue; (username, sha1, key, show tvdb id) per user."""
    engine = create_engine(url, null_pool=True)
    await migrate.upgrade(engine)
    # One Argon2 hash shared by every user: hashing 1,000 passwords would take minutes, and
    # after the warm-up each worker answers from its verified-credentials cache either way.
    password_hash = await asyncio.to_thread(hash_secret, sha1_hex(PASSWORD))
    names = [f"viewer{n:04d}" for n in range(user_count)]
    keys = [new_api_key() for _ in names]
    async with engine.begin() as conn:
        user_rows = [
            {
                "username": name,
                "username_key": name,
                "email": f"{name}@bench.example",
                "email_key": f"{name}@bench.example",
                "password_hash": password_hash,
                "protected": False,
                "vip": False,
                "is_admin": False,
                "joined": NOW,
                "last_login": 0,
            }
            for name in names
        ]
        ids = [
            row.id
            for row in await conn.execute(
                insert(users).returning(users.c.id, sort_by_parameter_order=True), user_rows
            )
        ]
        await conn.execute(insert(user_settings), [{"user_id": user_id} for user_id in ids])
        permissions = ",".join(sorted(USER_PERMISSIONS))
        await conn.execute(
            insert(api_keys),
            [
                {"key": key, "user_id": user_id, "permissions": permissions, "created_at": NOW}
                for key, user_id in zip(keys, ids, strict=True)
            ],
        )
        movie_rows = []
        for n in range(MOVIES):
            title = f"Bench Movie {n}"
            movie_rows.append(
                {
                    "slug": movie_slug(title, 2000),
                    "title": title,
                    "year": 2000,
                    "runtime": 100,
                    "imdb_id": f"tt{9_000_000 + n:07d}",
                    "title_key": fold(title),
                    "source": SOURCE_IMDB,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
        await conn.execute(insert(movies), movie_rows)
        for n in range(SHOWS):
            tvdb_id = FIRST_TVDB + n
            title = f"Bench Show {tvdb_id}"
            show_id = (
                await conn.execute(
                    insert(shows)
                    .values(
                        slug=show_slug(title),
                        title=title,
                        year=2010,
                        runtime=45,
                        tvdb_id=tvdb_id,
                        title_key=fold(title),
                        source=SOURCE_IMDB,
                        created_at=NOW,
                        updated_at=NOW,
                    )
                    .returning(shows.c.id)
                )
            ).scalar_one()
            await conn.execute(
                insert(seasons), [{"show_id": show_id, "number": s} for s in range(1, SEASONS + 1)]
            )
            episode_rows = [
                {
                    "show_id": show_id,
                    "season": s,
                    "number": e,
                    "title": f"Episode {e}",
                    "title_key": f"episode {e}",
                    "source": SOURCE_IMDB,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for s in range(1, SEASONS + 1)
                for e in range(1, EPISODES_PER_SEASON + 1)
            ]
            for chunk in rows_in_chunks(episode_rows):
                await conn.execute(insert(episodes), chunk)
    await engine.dispose()
    sha = sha1_hex(PASSWORD)
    return [
        (name, sha, key, FIRST_TVDB + n % SHOWS)
        for n, (name, key) in enumerate(zip(names, keys, strict=True))
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, workers: int, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "OPENTRAKT_DATABASE_URL": url,
        "OPENTRAKT_DATA_DIR": str(data_dir),
        "OPENTRAKT_PORT": str(port),
        "OPENTRAKT_WORKERS": str(workers),
        "OPENTRAKT_LOG_LEVEL": "warning",
    }
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "opentrakt", "serve"], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited:\n{(data_dir / 'server.log').read_text()}")
        try:
            httpx.get(f"{base}/server/time.json/x", timeout=1)
            return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not start")


def run_wrk(
    name: str,
    base: str,
    users_file: Path,
    *,
    run: int,
    seconds: int,
    connections: int,
    threads: int,
    pace_ms: float = 0,
    kind: str = "playback",
) -> Result:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        base,
        "--",
        str(users_file),
        str(run),
        str(pace_ms),
        kind,
        str(threads),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    return Result(
        name=name,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        statuses=data["statuses"],
        socket_errors={k: v for k, v in data["errors"].items() if v and k != "status"},
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=30, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=15, help="seconds of warm-up traffic")
    parser.add_argument("--connections", type=int, default=16, help="connections of the saturation runs")
    parser.add_argument("--paced-connections", type=int, default=64)
    parser.add_argument("--rate", type=float, default=550, help="requests per second the paced run offers")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    if args.users % args.threads:
        raise SystemExit("--users must be a multiple of --threads")

    admin_url = normalise_database_url(args.admin_url, Path("."))
    name = f"opentrakt_playback_bench_{uuid.uuid4().hex[:8]}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    asyncio.run(admin(admin_url, f'CREATE DATABASE "{name}"'))
    scratch = Path(tempfile.mkdtemp(prefix="opentrakt-bench-"))
    process: subprocess.Popen[bytes] | None = None
    try:
        started = time.monotonic()
        accounts = asyncio.run(seed(url, args.users))
        users_file = scratch / "users.tsv"
        users_file.write_text("".join(f"{n}\t{s}\t{k}\t{t}\n" for n, s, k, t in accounts))
        print(
            f"seeded {args.users} users, {MOVIES} movies, {SHOWS * SEASONS * EPISODES_PER_SEASON} episodes "
            f"in {time.monotonic() - started:.1f}s"
        )
        process, base = start_server(url, args.workers, scratch)
        print(f"server: {args.workers} workers on PostgreSQL ({name}); wrk {args.threads} thread(s)")
        common = {"users_file": users_file, "threads": args.threads}
        run_wrk("warm-up", base, seconds=args.warmup, connections=args.connections, run=0, **common)
        pace_ms = args.paced_connections / args.rate * 1000
        results = [
            run_wrk("saturation", base, seconds=args.duration, connections=args.connections, run=1, **common),
            run_wrk(
                "paced",
                base,
                seconds=args.duration,
                connections=args.paced_connections,
                pace_ms=pace_ms,
                run=2,
                **common,
            ),
            run_wrk(
                "server/time",
                base,
                seconds=args.duration,
                connections=args.connections,
                run=3,
                kind="time",
                **common,
            ),
        ]
        print(
            f"{args.users} users, {args.duration}s per run, saturation and server/time on {args.connections} "
            f"connections, paced on {args.paced_connections} offering ~{args.rate:.0f} req/s"
        )
        for result in results:
            print(result.line())
            if result.socket_errors:
                print(f"            socket errors: {result.socket_errors}")
        saturation, _, baseline = results
        print(f"playback / server/time throughput: {saturation.rate / baseline.rate:.2f}")
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        if not args.keep:
            asyncio.run(admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
