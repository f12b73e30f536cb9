"""Benchmark: sustained media-centre playback traffic against a real server on PostgreSQL.

    .venv/bin/python bench/playback.py
    .venv/bin/python bench/playback.py --users 1000 --duration 30 --workers 2
    .venv/bin/python bench/playback.py --admin-url postgresql://postgres@127.0.0.1:5432/postgres

The run creates a database of its own on the PostgreSQL server behind ``--admin-url``, seeds it
(``playback_seed.py``), starts ``opentrakt serve --workers 2`` on it, and drives it with ``wrk``
(a C load generator, so the client takes little of the two cores the server shares with it)
and ``bench/playback.lua``. Each simulated user repeats what a media centre sends: watching
pings, a scrobble at the end of each episode or movie, and now and then a check-in and its
cancellation. Every request is a playback write.

Three measurements, in one run against the same server:

* **saturation**: as many requests as the server takes from ``--connections`` keep-alive
  connections (closed loop): the throughput ceiling;
* **paced**: ``--paced-connections`` connections each pausing an exponentially distributed time
  between requests, offering about ``--rate`` requests per second: the latencies at that load
  (a closed loop at saturation mostly measures queueing);
* **server/time**: the saturation run's set-up, answering ``server/time``: the fixed cost of a
  request through the same stack, for the ratio.

Each run also reports the CPU time it cost per request, from ``/proc``: the server's processes,
the PostgreSQL backends serving its database, and wrk. On a machine that other work shares,
throughput and latency depend on that work; CPU per request hardly does, and bounds what two
idle cores could serve. A warm-up run first fills every worker's connection pool and credential
cache. The database is dropped afterwards unless ``--keep``.

The server's pool (``--db-pool-size``) defaults to the most connections a run uses. A worker
keeps at most that many database connections open; a burst beyond it borrows extra ones that
are closed as soon as they are handed back, so the next burst pays for a new PostgreSQL
connection (a backend started, authentication, every statement prepared again) inside the
requests being timed. Each run reports how many connections the server opened during it: 0
after the warm-up means the latencies contain none of that.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from opentrakt.config import normalise_database_url  # noqa: E402
from playback_seed import EPISODES_PER_SEASON, MOVIES, SEASONS, SHOWS, admin, seed  # noqa: E402

LUA = BENCH / "playback.lua"
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Cpu:
    """CPU seconds spent by the server's processes, its PostgreSQL backends and wrk."""

    server: float = 0.0
    postgres: float = 0.0
    wrk: float = 0.0

    @property
    def total(self) -> float:
        return self.server + self.postgres + self.wrk


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
    cpu: Cpu
    connections_opened: int  # database sessions the server opened during the run
    split: tuple[int, ...]  # wrk's connections per server worker, mid-run, busiest first

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def per_request_ms(self, seconds: float) -> float:
        return seconds / self.requests * 1000

    def line(self) -> str:
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
        cpu = self.cpu
        return (
            f"{self.name:<11} {self.rate:7.0f} req/s  p50 {self.p50_ms:6.1f} ms  p90 {self.p90_ms:6.1f} ms  "
            f"p99 {self.p99_ms:6.1f} ms  max {self.max_ms:7.1f} ms  ({self.requests} requests; {statuses})\n"
            f"{'':<11} CPU per request {self.per_request_ms(cpu.total):.2f} ms "
            f"(server {self.per_request_ms(cpu.server):.2f}, PostgreSQL {self.per_request_ms(cpu.postgres):.2f}, "
            f"wrk {self.per_request_ms(cpu.wrk):.2f}): two idle cores would serve at most "
            f"{2 / cpu.total * self.requests:.0f} req/s\n"
            f"{'':<11} {self.connections_opened} database connections opened; "
            f"client connections per worker {'/'.join(map(str, self.split)) or '?'}"
        )


def process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError):
        return None


def descendants(root: int) -> set[int]:
    found = {root}
    pids = [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]
    changed = True
    while changed:
        changed = False
        for pid in pids:
            if pid not in found and _parent(pid) in found:
                found.add(pid)
                changed = True
    return found


async def _backends(admin_url: str, database: str) -> tuple[set[int], int]:
    """The database's backends now, and how many sessions it has had (PostgreSQL 14+)."""
    connection = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await connection.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", database)
        sessions = await connection.fetchval(
            "SELECT sessions FROM pg_stat_database WHERE datname = $1", database
        )
    finally:
        await connection.close()
    return {row["pid"] for row in rows}, int(sessions or 0)


@dataclass(frozen=True)
class Sample:
    """CPU seconds so far per server process and per database backend, wrk's, and the
    database's session count."""

    server: dict[int, float]
    postgres: dict[int, float]
    wrk: float
    sessions: int


class CpuMeter:
    """Samples the CPU time of the server's process tree and of its database's backends.

    With a ``priority`` (a nice value below 0, root only) it also raises their scheduling
    priority at every sample, so that other work on a shared machine hardly delays them.
    """

    def __init__(self, server_pid: int, admin_url: str, database: str, priority: int = 0) -> None:
        self.server_pid = server_pid
        self.admin_url = admin_url
        self.database = database
        self.priority = priority

    def sample(self) -> Sample:
        server = {pid: process_cpu(pid) for pid in descendants(self.server_pid)}
        backends, sessions = asyncio.run(_backends(self.admin_url, self.database))
        postgres = {pid: process_cpu(pid) for pid in backends}
        if self.priority:
            for pid in (*server, *postgres):
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, pid, self.priority)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return Sample(server, postgres, children.ru_utime + children.ru_stime, sessions)

    @staticmethod
    def spent(before: Sample, after: Sample) -> Cpu:
        def delta(old: dict[int, float], new: dict[int, float]) -> float:
            # Processes started during the run count from zero; ones that ended are lost.
            return sum(value - old.get(pid, 0.0) for pid, value in new.items())

        return Cpu(
            server=delta(before.server, after.server),
            postgres=delta(before.postgres, after.postgres),
            wrk=after.wrk - before.wrk,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    url: str, workers: int, pool_size: int, data_dir: Path
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "OPENTRAKT_DB_POOL_SIZE": str(pool_size),
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


def worker_split(base: str, server_pid: int) -> tuple[int, ...]:
    """How the kernel spread the client connections over the server's workers (they share one
    listening socket): a worker holding most of them queues requests while the other idles."""
    if shutil.which("ss") is None:
        return ()
    port = base.rsplit(":", 1)[1]
    listing = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True
    ).stdout
    owners = [int(pid) for pid in re.findall(r"pid=(\d+)", listing)]
    counts = {pid: owners.count(pid) for pid in set(owners) if pid != server_pid}
    return tuple(sorted(counts.values(), reverse=True))


def run_wrk(
    name: str,
    base: str,
    meter: CpuMeter,
    users_file: Path,
    *,
    run: int,
    seconds: int,
    connections: int,
    threads: int,
    pace_ms: float = 0,
    kind: str = "playback",
) -> Result:
    nice = ("nice", "-n", str(meter.priority)) if meter.priority else ()
    command = [
        *nice,
        *("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA)),
        *(base, "--", str(users_file), str(run), str(pace_ms), kind, str(threads)),
    ]
    before = meter.sample()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        time.sleep(seconds / 2)
        split = worker_split(base, meter.server_pid)
        output, _ = process.communicate()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    after = meter.sample()
    cpu = meter.spent(before, after)
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
        cpu=cpu,
        connections_opened=after.sessions - before.sessions,
        split=split,
    )


def parse_args() -> argparse.Namespace:
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
    parser.add_argument(
        "--db-pool-size",
        type=int,
        default=None,
        help="OPENTRAKT_DB_POOL_SIZE of the server; default: the most connections any run uses, so "
        "that a worker never opens and closes database connections during a run (see above)",
    )
    parser.add_argument(
        "--priority",
        type=int,
        default=0,
        help="nice value for the server, its PostgreSQL backends and wrk, e.g. -15 (root only): "
        "measures as if the machine were otherwise idle",
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    if args.db_pool_size is None:
        args.db_pool_size = busiest(args)
    return args


def busiest(args: argparse.Namespace) -> int:
    """The most connections any run keeps open: all of them may land on one worker."""
    return max(args.connections, args.paced_connections)


def measure(args: argparse.Namespace, base: str, meter: CpuMeter, users_file: Path) -> list[Result]:
    common = {"users_file": users_file, "threads": args.threads}
    # As many connections as the busiest run, so that the database connections it will use are
    # open, pooled and have their statements prepared before anything is measured.
    run_wrk("warm-up", base, meter, seconds=args.warmup, connections=busiest(args), run=0, **common)
    saturation = run_wrk(
        "saturation", base, meter, seconds=args.duration, connections=args.connections, run=1, **common
    )
    paced = run_wrk(
        "paced",
        base,
        meter,
        seconds=args.duration,
        connections=args.paced_connections,
        pace_ms=args.paced_connections / args.rate * 1000,
        run=2,
        **common,
    )
    baseline = run_wrk(
        "server/time",
        base,
        meter,
        seconds=args.duration,
        connections=args.connections,
        run=3,
        kind="time",
        **common,
    )
    return [saturation, paced, baseline]


def main() -> None:
    args = parse_args()
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
        accounts = asyncio.run(seed(url, args.users))
        users_file = scratch / "users.tsv"
        users_file.write_text("".join(f"{n}\t{s}\t{k}\t{t}\n" for n, s, k, t in accounts))
        process, base = start_server(url, args.workers, args.db_pool_size, scratch)
        meter = CpuMeter(process.pid, admin_url, name, args.priority)
        load_before = os.getloadavg()[0]
        results = measure(args, base, meter, users_file)
        print(
            f"{args.users} users, {MOVIES} movies, {SHOWS * SEASONS * EPISODES_PER_SEASON} episodes; "
            f"{args.workers} workers on PostgreSQL (pool {args.db_pool_size}); wrk {args.threads} thread(s); {args.duration}s per run; "
            f"saturation and server/time on {args.connections} connections, paced on "
            f"{args.paced_connections} offering ~{args.rate:.0f} req/s; nice {args.priority}; "
            f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
        )
        for result in results:
            print(result.line())
            if result.socket_errors:
                print(f"{'':<11} socket errors: {result.socket_errors}")
        saturation, _, baseline = results
        print(f"playback / server/time throughput: {saturation.rate / baseline.rate:.2f}")
        if any(status.startswith("5") for result in results for status in result.statuses):
            print("server errors; the server's log:\n" + (scratch / "server.log").read_text()[-6000:])
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        if not args.keep:
            asyncio.run(admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
