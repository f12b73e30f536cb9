"""Wire rules only a real ``opentrakt serve`` can show: raw request targets, bodies too large
to send, and what ends up in the server's log."""

from __future__ import annotations

import base64
import http.client
import json
import select
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from opentrakt.config import Settings
from opentrakt.runtime import Runtime
from tests.conftest import run_aside
from tests.support import Account, live_server, make_user

# One xdist worker takes the whole module, so the shared server below starts once per backend.
pytestmark = [pytest.mark.live, pytest.mark.xdist_group("live-server")]

FIFTY_MB = 50 * 1024 * 1024


@dataclass(frozen=True)
class Live:
    base: str
    account: Account
    data_dir: Path

    @property
    def address(self) -> tuple[str, int]:
        parts = urlsplit(self.base)
        assert parts.hostname and parts.port
        return parts.hostname, parts.port

    def log_text(self) -> str:
        return "".join(p.read_text(errors="replace") for p in sorted(self.data_dir.glob("server-*.log")))


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def create_account(database_url: str, data_dir: Path, name: str) -> Account:
    async def work() -> Account:
        runtime = Runtime.from_settings(Settings(database_url=database_url, data_dir=data_dir))
        try:
            return await make_user(runtime, name, password="live secret")
        finally:
            await runtime.engine.dispose()

    return run_aside(work())  # type: ignore[return-value]


@contextmanager
def running(database_url: str, tmp_path: Path, **env: str) -> Iterator[Live]:
    account = create_account(database_url, tmp_path, "alice")
    with live_server(database_url, tmp_path, **env) as base:
        yield Live(base=base, account=account, data_dir=tmp_path)


def read_reply(sock: socket.socket) -> Reply:
    response = http.client.HTTPResponse(sock)
    response.begin()
    return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())


def exchange(live: Live, head: str, body: bytes = b"") -> Reply:
    """Send exactly these bytes (no client-side path normalisation) and read the reply."""
    with socket.create_connection(live.address, timeout=10) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        return read_reply(sock)


def credentials_body(account: Account) -> bytes:
    return json.dumps(account.body).encode()


@pytest.fixture(scope="module")
def live(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """One server for the tests below that change nothing on it: starting one is the slow part."""
    with running(module_database_url, tmp_path_factory.mktemp("live")) as server:
        yield server


def test_fifty_megabyte_body_is_refused_before_it_is_sent(live: Live) -> None:
    started = time.monotonic()
    with socket.create_connection(live.address, timeout=10) as sock:
        head = (
            f"POST /account/test/{live.account.key} HTTP/1.1\r\nHost: localhost\r\n"
            f"Content-Type: application/json\r\nContent-Length: {FIFTY_MB}\r\n\r\n"
        )
        sock.sendall(head.encode() + b"{" + b" " * 65_535)
        reply = read_reply(sock)
    assert time.monotonic() - started < 5
    assert reply.status == 413
    assert reply.headers["content-type"] == "application/json"
    assert reply.json() == {"status": "failure", "error": "request body is larger than 10485760 bytes"}


def test_fifty_megabyte_chunked_body_is_cut_off(live: Live) -> None:
    chunk = b" " * (256 * 1024)
    frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    sent = 0
    started = time.monotonic()
    with socket.create_connection(live.address, timeout=10) as sock:
        head = (
            f"POST /account/test/{live.account.key} HTTP/1.1\r\nHost: localhost\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode())
        try:
            # Keep sending until the server answers; it must not wait for all 50 MB.
            while sent < FIFTY_MB and not select.select([sock], [], [], 0)[0]:
                sock.sendall(frame)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        reply = read_reply(sock)
    assert reply.status == 413
    assert reply.json()["error"] == "request body is larger than 10485760 bytes"
    assert sent < FIFTY_MB
    assert time.monotonic() - started < 10


def test_absolute_form_request_targets(live: Live) -> None:
    key = live.account.key
    body = credentials_body(live.account)
    reply = exchange(
        live,
        f"POST http://api.trakt.tv/account/test/{key} HTTP/1.1\nHost: api.trakt.tv\nContent-Length: {len(body)}\n",
        body,
    )
    assert reply.status == 200
    assert reply.json() == {"status": "success", "message": "all good!"}
    timed = exchange(
        live, f"GET https://api.trakt.tv/server/time.json/{key}?x=1 HTTP/1.1\nHost: api.trakt.tv\n"
    )
    assert timed.status == 200
    assert set(timed.json()) == {"timestamp", "timezone"}


SLOPPY_TARGETS = [
    "//server/time.json/{key}",
    "/server//time.json//{key}",
    "//server//time.json//{key}//",
    "/server/time/{key}/",
    "/server/time.json/{key}/?a=b",
]


def test_sloppy_targets_are_served_without_redirect(live: Live) -> None:
    # One server for all targets: starting one is the slow part.
    for target in SLOPPY_TARGETS:
        reply = exchange(live, f"GET {target.format(key=live.account.key)} HTTP/1.1\nHost: localhost\n")
        assert reply.status == 200, (target, reply.body)
        assert "location" not in reply.headers
        assert reply.json()["timezone"] == "PST"


def test_doubled_slashes_on_a_write_with_basic(live: Live) -> None:
    account = live.account
    token = base64.b64encode(f"{account.username}:{account.sha1}".encode()).decode()
    reply = exchange(
        live,
        f"POST //account//settings//{account.key}/ HTTP/1.1\nHost: localhost\n"
        f"Authorization: Basic {token}\nContent-Length: 2\n",
        b"{}",
    )
    assert reply.status == 200
    assert reply.json()["message"] == "All settings for alice"


def test_http_client_with_the_key_left_out(live: Live) -> None:
    host, port = live.address
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", "/server/time.json/")
        response = conn.getresponse()
        assert response.status == 401
        assert json.loads(response.read()) == {"status": "failure", "error": "invalid API key"}
    finally:
        conn.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_log_has_one_line_per_request_and_no_secrets(database_url: str, tmp_path: Path, workers: int) -> None:
    with running(database_url, tmp_path, OPENTRAKT_LOG_LEVEL="info", OPENTRAKT_WORKERS=str(workers)) as live:
        account = live.account
        token = base64.b64encode(f"{account.username}:{account.sha1}".encode()).decode()
        body = credentials_body(account)
        form = f"username={account.username}&password={account.sha1}".encode()
        requests = [
            (f"POST /account/test/{account.key} HTTP/1.1\nContent-Length: {len(body)}\n", body, 200),
            (f"POST /account/settings/{account.key} HTTP/1.1\nContent-Length: {len(form)}\n", form, 200),
            (f"GET /server/time.json/{account.key}?key={account.key} HTTP/1.1\n", b"", 200),
            (f"POST /account/test/{account.key} HTTP/1.1\nAuthorization: Basic {token}\n", b"", 200),
            (f"POST /account/test/{account.key[::-1]} HTTP/1.1\nContent-Length: {len(body)}\n", body, 401),
            (f"GET /no/such/method/{account.key} HTTP/1.1\n", b"", 404),
            (f"GET //server//time.json//{account.key}// HTTP/1.1\n", b"", 200),
        ]
        for head, payload, status in requests:
            reply = exchange(live, head + "Host: localhost\n", payload)
            assert reply.status == status, (head, reply.body)
        expected = [
            "POST /account/test/<key> 200 ",
            "POST /account/settings/<key> 200 ",
            "GET /server/time.json/<key> 200 ",
            "POST /account/test/<key> 200 ",
            "POST /account/test/<key> 401 ",
            "GET /no/such/method/<key> 404 ",
            "GET //server//time.json//<key>// 200 ",
        ]
        deadline = time.monotonic() + 5
        while not all(line in live.log_text() for line in expected) and time.monotonic() < deadline:
            time.sleep(0.05)
        log = live.log_text()
    for line in expected:
        assert line in log, log
    access = [line for line in log.splitlines() if "opentrakt.access" in line]
    assert all(line.rstrip().endswith("ms") for line in access)
    for secret in (account.key, account.key[::-1], account.sha1, token, account.password):
        assert secret not in log
