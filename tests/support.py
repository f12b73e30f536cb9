"""Helpers shared by the tests: users, keys, requests, live servers."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from opentrakt.accounts import service as accounts
from opentrakt.accounts.passwords import sha1_hex
from opentrakt.db.engine import write_connection
from opentrakt.runtime import Runtime

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SPEC = SHARED / "spec" / "v1"


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    key: str
    user_id: int

    @property
    def sha1(self) -> str:
        return sha1_hex(self.password)

    @property
    def body(self) -> dict[str, str]:
        return {"username": self.username, "password": self.sha1}

    @property
    def basic(self) -> dict[str, str]:
        token = base64.b64encode(f"{self.username}:{self.sha1}".encode()).decode()
        return {"Authorization": f"Basic {token}"}


async def make_user(
    runtime: Runtime,
    username: str,
    *,
    password: str = "secret",
    admin: bool = False,
    email: str | None = None,
    **profile: Any,
) -> Account:
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            user, key = await accounts.create_user(
                conn,
                username=username,
                email=email or f"{username}@example.org",
                password_sha1=sha1_hex(password),
                now=runtime.clock.now(),
                admin=admin,
            )
            if profile:
                await accounts.update_profile(conn, username, **profile)
    return Account(username=username, password=password, key=key.key, user_id=user.id)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PortTaken(RuntimeError):
    """Another process bound the port between free_port() and the server's bind."""


def _start_server(
    database_url: str, data_dir: Path, workers: int, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    child_env = {
        **os.environ,
        "OPENTRAKT_DATABASE_URL": database_url,
        "OPENTRAKT_DATA_DIR": str(data_dir),
        "OPENTRAKT_PORT": str(port),
        "OPENTRAKT_WORKERS": str(workers),
        "OPENTRAKT_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "OPENTRAKT_LOG_LEVEL": "warning",
        **env,
    }
    log_path = data_dir / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "opentrakt", "serve"], env=child_env, stdout=log, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                log_text = log_path.read_text()
                if "address already in use" in log_text.lower():
                    log_path.unlink()  # tests read every server log in data_dir
                    raise PortTaken(log_text)
                raise RuntimeError(f"server exited early:\n{log_text}")
            try:
                httpx.get(f"{base}/server/time.json/x", timeout=1)
                return process, base
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start:\n{log_path.read_text()}") from None
                time.sleep(0.05)
    except BaseException:
        _stop(process)
        raise


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def live_server(database_url: str, data_dir: Path, *, workers: int = 1, **env: str) -> Iterator[str]:
    """Run ``opentrakt serve`` in a child process; yields its base URL."""
    # Parallel test workers start servers at the same time, so a port found free can be taken
    # before the child binds it; that one failure is worth another port rather than a red test.
    for attempt in range(3):
        try:
            process, base = _start_server(database_url, data_dir, workers, env)
            break
        except PortTaken:
            if attempt == 2:
                raise
    try:
        yield base
    finally:
        _stop(process)
