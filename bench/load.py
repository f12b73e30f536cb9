"""Benchmark: the whole service under media-centre traffic, against its bare route, in one run.

    .venv/bin/python bench/load.py --database postgresql --workers 2
    .venv/bin/python bench/load.py --database sqlite --workers 1 --scale 0.05 --duration 20
    .venv/bin/python bench/load.py --database postgresql --workers 2 --profile

Steps:

1. **World**: a database built by ``bench/world.py`` at ``--scale`` (1.0 = 200,000 titles,
   10,000 users, 2,000,000 plays), kept between runs and rebuilt only when missing or
   incomplete: ``bench/out/world-<scale>.db`` on SQLite, ``opentrakt_world_<scale>`` on the
   PostgreSQL server behind ``--admin-url``.
2. **Server**: ``opentrakt serve --workers N`` on it, with ``OPENTRAKT_BENCH_BARE_ROUTE`` on.
3. **Warm-up** (``--warmup`` seconds of the mix) fills every worker's connection pool, prepared
   statements and credential cache.
4. **Mixed** (``--duration`` seconds): ``wrk`` with ``bench/load.lua`` on ``--connections``
   keep-alive connections, each in its own wrk thread, closed loop: the throughput the service
   sustains. Per 100 requests: 42 playback (watching pings, scrobbles, check-ins and their
   cancellation, in the order a media centre sends them per user), 20 ``user/lastactivity``
   polls, 12 library reads with ``min``, 12 summaries (movie, show, episode), 7 calendars,
   4 progress reads, 3 searches; reads send credentials by HTTP Basic or in a POST body, half
   each. Latency percentiles are per kind, from every request's own latency.
5. **Bare** (``--duration`` seconds, same connections): ``/bench/bare``, the same server and
   ASGI application answering ``{}``: the ceiling of the stack, for the ratio.
6. **server/time** (as bare): the cheapest v1 call (routing, the API-key lookup, one
   statement), a second baseline that says how much of the gap is the database round trip.
7. With ``--parts S``: each part of the mix alone for S seconds, for its CPU per request.

Each user's place in their playback is kept in ``bench/out/load-state-<database>-<scale>.tsv``
between runs and invocations, so no user is left checked in and no scrobble repeats a recent one.

Every measured answer must be 2xx with a body that is not a failure (and, for playback, a
success); the script prints the first failures and exits non-zero if there were any. Each run reports
CPU time per request from ``/proc``: the server's processes, PostgreSQL's backends for the
world's database, and wrk. With ``--profile``, py-spy samples every busy server process during
the mixed run and the top functions are printed (raw stacks under ``bench/out/``).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from opentrakt.config import normalise_database_url  # noqa: E402
from opentrakt.db import migrate  # noqa: E402
from opentrakt.db.engine import create_engine  # noqa: E402
from opentrakt.db.tables.discovery import discovery_refreshes  # noqa: E402
from opentrakt.discovery.neighbours import REFRESH_NAME  # noqa: E402
from playback import Cpu, CpuMeter, Sample, descendants, process_cpu, start_server  # noqa: E402
from playback_seed import admin  # noqa: E402
from world import Scale, build, show_structures, world_account, world_exists  # noqa: E402

LUA = BENCH / "load.lua"
# The parts of load.lua's mix, for --parts.
MIX = ("playback", "lastactivity", "library", "summary", "calendar", "progress", "search")
OUT = BENCH / "out"


class ServerCpuMeter(CpuMeter):
    """The server's processes only: on SQLite there are no database backends to count."""

    def sample(self) -> Sample:
        server = {pid: process_cpu(pid) for pid in descendants(self.server_pid)}
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return Sample(server, {}, children.ru_utime + children.ru_stime, 0)


@dataclass(frozen=True)
class KindResult:
    name: str
    count: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


@dataclass(frozen=True)
class Run:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    kinds: list[KindResult]
    socket_errors: dict[str, int]
    samples: list[str]
    cpu: Cpu

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def failures(self) -> int:
        return sum(kind.failures for kind in self.kinds) + sum(self.socket_errors.values())

    def cpu_ms(self, seconds: float) -> float:
        return seconds / max(1, self.requests) * 1000

    def report(self) -> str:
        cpu = self.cpu
        lines = [
            f"{self.name}: {self.rate:.0f} req/s ({self.requests} requests in {self.seconds:.1f}s), "
            f"p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, "
            f"failures {self.failures}",
            f"  CPU per request {self.cpu_ms(cpu.total):.2f} ms (server {self.cpu_ms(cpu.server):.2f}, "
            f"PostgreSQL {self.cpu_ms(cpu.postgres):.2f}, wrk {self.cpu_ms(cpu.wrk):.2f}): two idle cores "
            f"would serve at most {2 / max(cpu.total, 1e-9) * self.requests:.0f} req/s",
        ]
        if len(self.kinds) > 1:
            lines.append(
                f"  {'kind':<13} {'share':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
                f"{'max ms':>7} {'failures':>8}"
            )
            for kind in sorted(self.kinds, key=lambda k: -k.count):
                lines.append(
                    f"  {kind.name:<13} {kind.count / max(1, self.requests):6.1%} {kind.count / self.seconds:7.0f} "
                    f"{kind.p50_ms:7.1f} {kind.p95_ms:7.1f} {kind.p99_ms:7.1f} {kind.max_ms:7.1f} "
                    f"{kind.failures:8d}"
                )
        if self.socket_errors:
            lines.append(f"  socket errors: {self.socket_errors}")
        lines.extend(f"  failure: {sample}" for sample in self.samples)
        return "\n".join(lines)


@dataclass(frozen=True)
class Driver:
    """What every wrk run of one invocation shares."""

    base: str
    meter: CpuMeter
    users_file: Path
    shows_file: Path
    state_file: Path
    movies: int
    connections: int
    seed: int
    today: str

    def run(self, name: str, seconds: int, run: int, mode: str = "mixed") -> Run:
        command = [
            *("wrk", f"-t{self.connections}", f"-c{self.connections}", f"-d{seconds}s"),
            *("--timeout", "10s", "-s", str(LUA), self.base, "--"),
            *(str(self.users_file), str(self.shows_file), str(self.movies), str(run), str(self.seed)),
            *(self.today, mode, str(self.state_file), str(self.connections)),
        ]
        before = self.meter.sample()
        finished = subprocess.run(command, check=False, capture_output=True, text=True)
        if finished.returncode != 0:
            raise SystemExit(f"wrk failed ({finished.returncode}):\n{finished.stderr[-2000:]}")
        output = finished.stdout
        cpu = self.meter.spent(before, self.meter.sample())
        line = next(line for line in output.splitlines() if line.startswith("RESULT "))
        data = json.loads(line.removeprefix("RESULT "))
        kinds = [
            KindResult(
                name=kind,
                count=values["count"],
                failures=values["failures"],
                p50_ms=values["p50_us"] / 1000,
                p95_ms=values["p95_us"] / 1000,
                p99_ms=values["p99_us"] / 1000,
                max_ms=values["max_us"] / 1000,
            )
            for kind, values in data["kinds"].items()
        ]
        return Run(
            name=name,
            requests=data["requests"],
            seconds=data["duration_us"] / 1e6,
            p50_ms=data["p50_us"] / 1000,
            p95_ms=data["p95_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            kinds=kinds,
            socket_errors={k: v for k, v in data["errors"].items() if v and k != "status"},
            samples=data["samples"],
            cpu=cpu,
        )


def world_database(args: argparse.Namespace, scale: Scale) -> tuple[str, str | None]:
    """The world's async URL, and its PostgreSQL database name (None on SQLite)."""
    if args.database == "sqlite":
        return normalise_database_url(f"sqlite:///{OUT / f'world-{scale.tag}.db'}", Path(".")), None
    name = f"opentrakt_world_{scale.tag}"
    admin_url = normalise_database_url(args.admin_url, Path("."))
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


def ensure_world(args: argparse.Namespace, scale: Scale, url: str, database: str | None) -> None:
    async def complete() -> bool:
        engine = create_engine(url, null_pool=True)
        try:
            return await world_exists(engine, scale)
        finally:
            await engine.dispose()

    if not args.rebuild and asyncio.run(complete()):
        return
    print(f"building the world at scale {scale.factor:g} (once; later runs reuse it)")
    if database is None:
        path = Path(url.split(":///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        admin_url = normalise_database_url(args.admin_url, Path("."))
        asyncio.run(admin(admin_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        asyncio.run(admin(admin_url, f'CREATE DATABASE "{database}"'))
    asyncio.run(build(url, scale))


def defer_neighbour_refresh(url: str) -> None:
    """Record the recommendations' neighbour lists as just refreshed, so that the periodic refresh
    (a background job that takes a CPU for minutes on a world this size) does not fall inside the
    measured runs; recommendations are not part of the mix."""

    async def mark() -> None:
        engine = create_engine(url, null_pool=True)
        try:
            await migrate.upgrade(engine)
            now = int(time.time())
            async with engine.begin() as conn:
                await conn.execute(
                    delete(discovery_refreshes).where(discovery_refreshes.c.name == REFRESH_NAME)
                )
                await conn.execute(
                    insert(discovery_refreshes).values(
                        name=REFRESH_NAME, started_at=now, finished_at=now + 3600
                    )
                )
        finally:
            await engine.dispose()

    asyncio.run(mark())


def write_inputs(scratch: Path, url: str, scale: Scale) -> tuple[Path, Path]:
    users_file, shows_file = scratch / "users.tsv", scratch / "shows.tsv"
    with users_file.open("w") as out:
        for n in range(scale.users):
            name, sha1, key = world_account(n)
            basic = base64.b64encode(f"{name}:{sha1}".encode()).decode()
            out.write(f"{name}\t{sha1}\t{key}\t{basic}\n")
    shows_file.write_text("".join(f"{t}\t{s}\t{e}\n" for t, s, e in show_structures(url)))
    return users_file, shows_file


def busy_processes(meter: CpuMeter, before: dict[int, float]) -> list[int]:
    """Server processes that did work since ``before``: the workers, not an idle supervisor."""
    now = meter.sample().server
    return [pid for pid, cpu in now.items() if cpu - before.get(pid, 0.0) > 0.5]


def profile(pids: list[int], seconds: int, label: str) -> list[tuple[subprocess.Popen[bytes], Path]]:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    started = []
    for pid in pids:
        out = OUT / f"profile-{label}-{pid}.txt"
        command = [spy, "record", "--pid", str(pid), "--duration", str(seconds), "--rate", "200"]
        command += ["--nonblocking", "--format", "raw", "--output", str(out)]
        started.append((subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), out))
    return started


def summarise_profile(paths: list[Path], top: int = 20) -> str:
    """Shares of the samples: self time per package and per function, and time spent in (or
    below) each of the server's own functions."""
    by_package: Counter[str] = Counter()
    own: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    samples = 0
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            stack, _, count_text = line.rpartition(" ")
            count = int(count_text)
            frames = stack.split(";")
            samples += count
            leaf = frames[-1]
            own[leaf] += count
            location = leaf.rpartition(" (")[2]
            by_package[location.split("/", 1)[0] if "/" in location else location.split(".", 1)[0]] += count
            for frame in set(frames):
                if frame.rpartition(" (")[2].startswith("opentrakt/"):
                    inside[frame] += count
    if not samples:
        return "  (no samples)"

    def block(title: str, counter: Counter[str], size: int) -> list[str]:
        return [f"  {title}", *(f"    {n / samples:6.1%}  {name}" for name, n in counter.most_common(size))]

    return "\n".join(
        [
            f"  {samples} samples",
            *block("self time per package:", by_package, 12),
            *block("self time per function:", own, top),
            *block("time in the server's own functions and below:", inside, top * 2),
        ]
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0, help="world scale (see bench/world.py)")
    parser.add_argument("--duration", type=int, default=30, help="seconds of each measured run")
    parser.add_argument("--warmup", type=int, default=15, help="seconds of warm-up traffic")
    parser.add_argument(
        "--connections", type=int, default=32, help="keep-alive connections (one per wrk thread)"
    )
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db-pool-size", type=int, default=10, help="OPENTRAKT_DB_POOL_SIZE of the server")
    parser.add_argument(
        "--parts", type=int, default=0, help="also run each part of the mix alone for this many seconds"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the world again even if it is there")
    parser.add_argument(
        "--profile", action="store_true", help="py-spy the server's workers during the mixed run"
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    OUT.mkdir(exist_ok=True)
    scale = Scale(args.scale)
    url, database = world_database(args, scale)
    ensure_world(args, scale, url, database)
    defer_neighbour_refresh(url)
    scratch = Path(tempfile.mkdtemp(prefix="opentrakt-load-"))
    process: subprocess.Popen[bytes] | None = None
    os.environ["OPENTRAKT_BENCH_BARE_ROUTE"] = "true"
    try:
        users_file, shows_file = write_inputs(scratch, url, scale)
        process, base = start_server(
            url=url, workers=args.workers, pool_size=args.db_pool_size, data_dir=scratch
        )
        if database is None:
            meter: CpuMeter = ServerCpuMeter(process.pid, "", "")
        else:
            meter = CpuMeter(process.pid, normalise_database_url(args.admin_url, Path(".")), database)
        driver = Driver(
            base=base,
            meter=meter,
            users_file=users_file,
            shows_file=shows_file,
            # Kept between invocations: a user's next scrobble must not repeat one from minutes ago.
            state_file=OUT / f"load-state-{args.database}-{scale.tag}.tsv",
            movies=scale.movies,
            connections=args.connections,
            seed=int(time.time() // 60),
            today=time.strftime("%Y%m%d", time.gmtime()),
        )
        load_before = os.getloadavg()
        idle = meter.sample().server
        warm = driver.run("warm-up", args.warmup, run=0)
        spies = []
        if args.profile:
            label = f"{args.database}-w{args.workers}"
            spies = profile(busy_processes(meter, idle), args.duration, label)
        mixed = driver.run("mixed", args.duration, run=1)
        for spy, _ in spies:
            spy.wait(timeout=60)
        parts = []
        if args.parts:
            parts = [
                driver.run(kind, args.parts, run=4 + n, mode=f"only:{kind}") for n, kind in enumerate(MIX)
            ]
        bare = driver.run("bare", args.duration, run=2, mode="bare")
        server_time = driver.run("server/time", args.duration, run=3, mode="time")
        print(
            f"scale {scale.factor:g} ({scale.movies:,} movies, {scale.shows:,} shows, {scale.users:,} users, "
            f"~{scale.plays:,} plays); {args.database}, {args.workers} worker(s), pool {args.db_pool_size}; "
            f"{args.connections} connections; {args.duration}s per run; load average "
            f"{load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after"
        )
        for result in (warm, mixed, bare, server_time):
            print(result.report())
        print(
            f"mixed / bare throughput: {mixed.rate / bare.rate:.3f}; "
            f"mixed / server/time throughput: {mixed.rate / server_time.rate:.2f}"
        )
        if parts:
            print("each part of the mix alone (CPU ms per request: all = server + PostgreSQL + wrk):")
            print(
                f"  {'part':<13} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'all':>6} {'server':>6} {'PG':>6} "
                f"{'wrk':>6} {'failures':>8}"
            )
            for part in parts:
                cpu = part.cpu
                print(
                    f"  {part.name:<13} {part.rate:7.0f} {part.p50_ms:7.1f} {part.p99_ms:7.1f} "
                    f"{part.cpu_ms(cpu.total):6.2f} {part.cpu_ms(cpu.server):6.2f} "
                    f"{part.cpu_ms(cpu.postgres):6.2f} {part.cpu_ms(cpu.wrk):6.2f} {part.failures:8d}"
                )
                for sample in part.samples:
                    print(f"    failure: {sample}")
        if spies:
            print("profile of the mixed run:\n" + summarise_profile([out for _, out in spies]))
        # The warm-up is left out: its first requests meet a cold server (empty pools, and each
        # worker's first Argon2 verification, which every connection waits for at once).
        failures = sum(result.failures for result in (mixed, bare, server_time, *parts))
        if failures:
            log = (scratch / "server.log").read_text()[-4000:]
            raise SystemExit(f"{failures} failed requests; the server's log ends:\n{log}")
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
