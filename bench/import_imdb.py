"""Benchmark: `opentrakt import imdb` against a plain batched insert of the same rows, in one run.

    .venv/bin/python bench/import_imdb.py                                   # 1,000,000 titles + 1,000,000 episodes, SQLite
    .venv/bin/python bench/import_imdb.py --titles 50000 --episodes 50000   # a quick run
    .venv/bin/python bench/import_imdb.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Steps: write synthetic IMDb files (title.basics, title.episode, title.ratings; kept in --workdir and
reused when the scale matches), then on a freshly migrated database (1) insert the catalogue rows the
import produces - movies, shows, seasons, episodes with their IMDb ratings, genre links - with plain
batched INSERTs (executemany, one transaction per batch, the same batch size), (2) recreate the
database and run the importer on the files. Each step runs in a child process so its peak memory
(max RSS) is its own. The baseline's time excludes building its rows in Python (measured separately
and subtracted); the importer's time includes everything: decompressing, parsing, lookups, slugs.

For PostgreSQL, --database-url names a server and a database to connect to; the benchmark creates
(and drops) a database `opentrakt_bench` next to it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from imdb_data import GENRES, Scale, write_files  # noqa: E402
from opentrakt.catalog.imdb import ImportOptions, import_imdb  # noqa: E402
from opentrakt.catalog.imdb.genres import trakt_name  # noqa: E402
from opentrakt.catalog.text import fold, movie_slug, show_slug, slugify  # noqa: E402
from opentrakt.clock import Clock  # noqa: E402
from opentrakt.config import is_sqlite, normalise_database_url  # noqa: E402
from opentrakt.db import migrate  # noqa: E402
from opentrakt.db.engine import create_engine, write_connection  # noqa: E402
from opentrakt.db.tables.catalog import (  # noqa: E402
    SOURCE_IMDB,
    episodes,
    genres,
    movie_genres,
    movies,
    seasons,
    show_genres,
    shows,
)

COUNTED = (movies, shows, seasons, episodes, movie_genres, show_genres)
BENCH_DB = "opentrakt_bench"


class CpuClock:
    """CPU seconds of this process plus, on a local PostgreSQL, of the server backend serving it.

    Other work on the machine stretches wall-clock times but not CPU time, so the CPU ratio is a
    second, steadier view of the same comparison (it leaves out time spent waiting for disk).
    """

    def __init__(self, backend_pid: int | None) -> None:
        self.stat = Path(f"/proc/{backend_pid}/stat") if backend_pid else None

    @classmethod
    async def for_connection(cls, conn: Any) -> CpuClock:
        if conn.dialect.name != "postgresql":
            return cls(None)
        pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        await conn.commit()  # leave the connection outside a transaction, as the importer wants it
        return cls(pid if _exists(f"/proc/{pid}/stat") else None)

    def seconds(self) -> float:
        total = time.process_time()
        if self.stat is not None:
            fields = self.stat.read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        return total


# --- the plain-insert baseline ---------------------------------------------------------------


class Baseline:
    """Builds the rows the importer would store and inserts them with plain executemany INSERTs."""

    def __init__(self, scale: Scale, batch_size: int, genre_ids: dict[str, int]) -> None:
        self.scale = scale
        self.batch_size = batch_size
        self.genre_ids = genre_ids
        self.rows = 0

    async def run(self, conn: Any | None) -> None:
        """With ``conn`` None, only build the rows: that time is subtracted from the real run."""
        now = int(time.time())
        pending: dict[Any, list[dict[str, Any]]] = {}
        movie_id = show_id = 0
        # Pass 1, titles (an episode's show can come after it in tconst order, as with the importer).
        for r in self.scale.records():
            if r.kind not in ("movie", "tvMovie", "tvSeries", "tvMiniSeries") or r.adult:
                continue
            show = r.kind in ("tvSeries", "tvMiniSeries")
            rating, votes = r.rating or (None, None)
            row = {
                "title": r.title, "title_key": fold(r.title), "year": r.year, "runtime": r.runtime,
                "imdb_id": r.tconst, "source": SOURCE_IMDB, "created_at": now, "updated_at": now,
                "imdb_rating": rating, "imdb_votes": votes,
            }  # fmt: skip
            names = [*r.genres, "Mini Series"] if r.kind == "tvMiniSeries" else list(r.genres)
            links = {self.genre_ids[trakt_name(g)] for g in names}
            if show:
                show_id += 1
                row.update(
                    id=show_id,
                    slug=f"{show_slug(r.title)}-{r.tconst}",
                    status="Ended" if r.end_year else None,
                )
                pending.setdefault(shows, []).append(row)
                pending.setdefault(show_genres, []).extend({"show_id": show_id, "genre_id": g} for g in links)
            else:
                movie_id += 1
                row.update(id=movie_id, slug=f"{movie_slug(r.title, r.year)}-{r.tconst}")
                pending.setdefault(movies, []).append(row)
                pending.setdefault(movie_genres, []).extend(
                    {"movie_id": movie_id, "genre_id": g} for g in links
                )
            if len(pending.get(shows, ())) + len(pending.get(movies, ())) >= self.batch_size:
                await self._flush(conn, pending)
        await self._flush(conn, pending)
        # Pass 2, episodes and their seasons.
        seen_seasons: set[tuple[int, int]] = set()
        for r in self.scale.records():
            if r.kind != "tvEpisode" or r.season is None or r.show_ordinal is None:
                continue
            parent = r.show_ordinal + 1
            if (parent, r.season) not in seen_seasons:
                seen_seasons.add((parent, r.season))
                pending.setdefault(seasons, []).append({"show_id": parent, "number": r.season})
            rating, votes = r.rating or (None, None)
            pending.setdefault(episodes, []).append({
                "show_id": parent, "season": r.season, "number": r.number, "title": r.title,
                "title_key": fold(r.title), "runtime": r.runtime, "imdb_id": r.tconst, "source": SOURCE_IMDB,
                "created_at": now, "updated_at": now, "imdb_rating": rating, "imdb_votes": votes,
            })  # fmt: skip
            if len(pending[episodes]) >= self.batch_size:
                await self._flush(conn, pending)
        await self._flush(conn, pending)

    async def _flush(self, conn: Any | None, pending: dict[Any, list[dict[str, Any]]]) -> None:
        if conn is not None:
            async with conn.begin():
                for table in (movies, shows, movie_genres, show_genres, seasons, episodes):
                    if pending.get(table):
                        await conn.execute(insert(table), pending[table])
        self.rows += sum(len(rows) for rows in pending.values())
        pending.clear()


async def _genre_ids(conn: Any) -> dict[str, int]:
    """Every genre the files use, created up front as the importer would."""
    names = {trakt_name(g) for g in GENRES} | {"Mini Series"}
    known = {row.slug: row.id for row in await conn.execute(select(genres.c.slug, genres.c.id))}
    for name in sorted(names):
        if slugify(name) not in known:
            result = await conn.execute(insert(genres).values(slug=slugify(name), name=name))
            known[slugify(name)] = result.inserted_primary_key[0]
    return {name: known[slugify(name)] for name in names}


async def run_baseline(url: str, scale: Scale, batch_size: int) -> dict[str, Any]:
    engine = create_engine(url, null_pool=True)
    try:
        async with engine.connect() as conn:
            conn = await write_connection(conn)
            async with conn.begin():
                genre_ids = await _genre_ids(conn)
            cpu = await CpuClock.for_connection(conn)
            dry = Baseline(scale, batch_size, genre_ids)
            started, started_cpu = time.perf_counter(), cpu.seconds()
            await dry.run(None)
            building, building_cpu = time.perf_counter() - started, cpu.seconds() - started_cpu
            real = Baseline(scale, batch_size, genre_ids)
            started, started_cpu = time.perf_counter(), cpu.seconds()
            await real.run(conn)
            total, total_cpu = time.perf_counter() - started, cpu.seconds() - started_cpu
            counts = await _counts(conn)
    finally:
        await engine.dispose()
    return {
        "seconds": total - building,
        "cpu_seconds": total_cpu - building_cpu,
        "building_seconds": building,
        "rows": real.rows,
        "counts": counts,
    }


# --- the importer ----------------------------------------------------------------------------


async def run_import(url: str, files: list[Path], batch_size: int, again: bool) -> dict[str, Any]:
    engine = create_engine(url, null_pool=True)
    try:
        result: dict[str, Any] = {}
        for label in ("first", "again") if again else ("first",):
            async with engine.connect() as conn:
                cpu = await CpuClock.for_connection(conn)
                started_cpu = cpu.seconds()
                report = await import_imdb(
                    conn, files, clock=Clock(), options=ImportOptions(batch_size=batch_size)
                )
                cpu_seconds = cpu.seconds() - started_cpu
            result[label] = {
                "seconds": report.seconds,
                "cpu_seconds": cpu_seconds,
                "lines": report.rows,
                "files": {
                    f.kind.value: {"rows": f.rows, "added": f.added, "updated": f.updated, "unchanged": f.unchanged,
                                   "staged": f.staged, "skipped": f.skipped_total, "seconds": round(f.seconds, 2)}
                    for f in report.files
                },
            }  # fmt: skip
        async with engine.connect() as conn:
            result["counts"] = await _counts(conn)
    finally:
        await engine.dispose()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


async def _counts(conn: Any) -> dict[str, int]:
    return {t.name: (await conn.execute(select(func.count()).select_from(t))).scalar_one() for t in COUNTED}


# --- orchestration ---------------------------------------------------------------------------


def _exists(path: str) -> bool:
    return Path(path).exists()


def _remove_sqlite_files(url: str) -> None:
    path = url.split(":///", 1)[1]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def fresh_database(url: str) -> str:
    """An empty, migrated database for one step; returns its async URL."""
    if is_sqlite(url):
        _remove_sqlite_files(url)
        target = url
    else:
        admin = create_engine(url, null_pool=True)
        async with admin.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
            await conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
        await admin.dispose()
        target = make_url(url).set(database=BENCH_DB).render_as_string(hide_password=False)
    engine = create_engine(target, null_pool=True)
    await migrate.upgrade(engine)
    await engine.dispose()
    return target


async def drop_database(url: str) -> None:
    if not is_sqlite(url):
        admin = create_engine(url, null_pool=True)
        async with admin.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        await admin.dispose()


def child(step: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--step",
        step,
        "--database-url",
        url,
        "--titles",
        str(args.titles),
        "--episodes",
        str(args.episodes),
        "--batch-size",
        str(args.batch_size),
        "--workdir",
        str(args.workdir),
    ]
    if args.reimport:
        command.append("--reimport")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def files_for(args: argparse.Namespace) -> list[Path]:
    folder = args.workdir / f"imdb-{args.titles}-{args.episodes}"
    paths = [folder / f"title.{name}.tsv.gz" for name in ("basics", "episode", "ratings")]
    if not all(p.exists() for p in paths):
        started = time.perf_counter()
        write_files(Scale(args.titles, args.episodes), folder)
        print(f"wrote {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--titles", type=int, default=1_000_000, help="non-episode titles in title.basics")
    parser.add_argument(
        "--episodes", type=int, default=1_000_000, help="tvEpisode titles (and title.episode rows)"
    )
    parser.add_argument("--database-url", default="", help="default: SQLite in --workdir")
    parser.add_argument("--batch-size", type=int, default=ImportOptions().batch_size)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/opentrakt-bench"))
    parser.add_argument("--reimport", action="store_true", help="also time a second import of the same files")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run both steps N times; report the fastest of each"
    )
    parser.add_argument("--step", choices=("baseline", "import"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    url = normalise_database_url(args.database_url, args.workdir)
    scale = Scale(args.titles, args.episodes)

    if args.step == "baseline":
        print(json.dumps(asyncio.run(run_baseline(url, scale, args.batch_size))))
        return
    if args.step == "import":
        print(json.dumps(asyncio.run(run_import(url, files_for(args), args.batch_size, args.reimport))))
        return

    files = files_for(args)
    runs = []
    for _ in range(args.repeat):
        baseline = child("baseline", asyncio.run(fresh_database(url)), args)
        imported = child("import", asyncio.run(fresh_database(url)), args)
        runs.append((baseline, imported))
    asyncio.run(drop_database(url))
    # The fastest of several runs is the one least disturbed by other work on the machine.
    baseline = min((b for b, _i in runs), key=lambda b: b["seconds"])
    imported = min((i for _b, i in runs), key=lambda i: i["first"]["seconds"])
    report(args, url, files, baseline, imported)


def report(
    args: argparse.Namespace, url: str, files: list[Path], baseline: dict[str, Any], imported: dict[str, Any]
) -> None:
    first = imported["first"]
    backend = "SQLite" if is_sqlite(url) else "PostgreSQL"
    size = sum(p.stat().st_size for p in files) / 1e6
    ratio = baseline["seconds"] / first["seconds"]
    print(
        f"backend: {backend}; scale: {args.titles:,} titles + {args.episodes:,} episodes; batch {args.batch_size:,}"
    )
    print(f"files: {first['lines']:,} data lines, {size:.1f} MB gzip")
    for kind, f in first["files"].items():
        print(
            f"  {kind:16} {f['rows']:>10,} rows  {f['seconds']:>7.1f} s  added {f['added']:,} updated {f['updated']:,} "
            f"staged {f['staged']:,} skipped {f['skipped']:,}"
        )
    print(
        f"import:     {first['seconds']:8.1f} s  {first['lines'] / first['seconds']:>9,.0f} lines/s  "
        f"peak RSS {imported['peak_rss_mb']:.0f} MB"
    )
    print(
        f"baseline:   {baseline['seconds']:8.1f} s  {baseline['rows'] / baseline['seconds']:>9,.0f} rows/s  "
        f"({baseline['rows']:,} rows; building them took {baseline['building_seconds']:.1f} s, not counted)"
    )
    print(f"ratio (baseline time / import time): {ratio:.2f}  (target >= 0.5)")
    cpu_ratio = baseline["cpu_seconds"] / first["cpu_seconds"]
    print(
        f"CPU seconds: import {first['cpu_seconds']:.1f}, baseline {baseline['cpu_seconds']:.1f}, ratio {cpu_ratio:.2f}"
    )
    if "again" in imported:
        again = imported["again"]
        print(
            f"re-import, nothing changed: {again['seconds']:.1f} s  {again['lines'] / again['seconds']:,.0f} lines/s"
        )
    same = imported["counts"] == baseline["counts"]
    print(
        f"rows stored: {imported['counts']}"
        + ("  (same as the baseline)" if same else f"\n  baseline: {baseline['counts']}")
    )


if __name__ == "__main__":
    main()
