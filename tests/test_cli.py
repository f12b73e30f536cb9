"""The ``opentrakt`` command: user management, database commands, help and failures.

Commands run against a fresh SQLite data directory, and against the per-test PostgreSQL
database when that backend is switched on.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import Permission, User
from opentrakt.accounts.passwords import sha1_hex
from opentrakt.cli import app
from opentrakt.config import is_sqlite, normalise_database_url
from opentrakt.db import migrate
from opentrakt.db.engine import create_engine
from tests.conftest import run_aside

KEY_LINE = re.compile(r"^[0-9a-f]{40}$")


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """Environment for the command: SQLite in a new data directory, or the test's PostgreSQL."""
    data_dir = tmp_path / "data"
    if is_sqlite(database_url):
        # The default: no URL, so the command creates and migrates DATA_DIR/opentrakt.db itself.
        return {"OPENTRAKT_DATA_DIR": str(data_dir), "OPENTRAKT_DATABASE_URL": ""}
    return {"OPENTRAKT_DATA_DIR": str(data_dir), "OPENTRAKT_DATABASE_URL": database_url}


def invoke(env: dict[str, str], *args: str) -> Result:
    # The command runs its own event loop; keep it off the thread the async tests use.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(CliRunner().invoke, app, list(args), env=env).result()


def ok(env: dict[str, str], *args: str) -> list[str]:
    result = invoke(env, *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout.splitlines()


def assert_one_line_error(result: Result, starts: str = "error: ") -> str:
    assert result.exit_code != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(starts), lines[0]
    assert not any(KEY_LINE.match(line) for line in result.stdout.splitlines())
    return lines[0]


def database_of(env: dict[str, str]) -> str:
    return normalise_database_url(env["OPENTRAKT_DATABASE_URL"], Path(env["OPENTRAKT_DATA_DIR"]))


def lookup_user(env: dict[str, str], name: str) -> User | None:
    async def work() -> User | None:
        engine = create_engine(database_of(env), null_pool=True)
        try:
            async with engine.connect() as conn:
                return await accounts.get_user_by_username(conn, name)
        finally:
            await engine.dispose()

    return run_aside(work())  # type: ignore[return-value]


def login_works(env: dict[str, str], name: str, password: str) -> bool:
    async def work() -> bool:
        engine = create_engine(database_of(env), null_pool=True)
        try:
            async with engine.connect() as conn:
                return await accounts.authenticate(conn, name, sha1_hex(password)) is not None
        finally:
            await engine.dispose()

    return bool(run_aside(work()))


def key_permissions(env: dict[str, str], key: str) -> frozenset[Permission]:
    async def work() -> frozenset[Permission]:
        engine = create_engine(database_of(env), null_pool=True)
        try:
            async with engine.connect() as conn:
                found = await accounts.get_api_key(conn, key)
                assert found is not None
                return found.permissions
        finally:
            await engine.dispose()

    return run_aside(work())  # type: ignore[return-value]


def add_user(env: dict[str, str], name: str, *extra: str, password: str = "pw") -> str:
    lines = ok(
        env, "user", "add", name, "--email", f"{name.lower()}@example.org", "--password", password, *extra
    )
    assert KEY_LINE.match(lines[-1]), lines
    return lines[-1]


# --- Help --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "mentions"),
    [
        ((), ("serve", "methods", "db", "user")),
        (("serve",), ("--host", "--port", "--workers")),
        (("methods",), ()),
        (("db",), ("upgrade", "current")),
        (("db", "upgrade"), ()),
        (("db", "current"), ()),
        (("user",), ("add", "key", "passwd", "set", "list")),
        (("user", "add"), ("--email", "--password", "--admin")),
        (("user", "key"), ()),
        (("user", "passwd"), ("--password",)),
        (("user", "set"), ("--protected", "--public", "--full-name", "--location", "--about")),
        (("user", "list"), ()),
    ],
)
def test_help_for_every_command(command: tuple[str, ...], mentions: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout
    for word in mentions:
        assert word in result.stdout, word


def command_paths() -> list[tuple[str, ...]]:
    """Every command and sub-command the CLI has, hidden developer ones included."""
    paths: list[tuple[str, ...]] = []

    def walk(command: Any, prefix: tuple[str, ...]) -> None:
        paths.append(prefix)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*prefix, name))

    walk(typer.main.get_command(app), ())
    return paths


def test_help_is_complete_for_the_whole_command_tree() -> None:
    paths = command_paths()
    assert {("user", "add"), ("db", "upgrade"), ("serve",), ("methods",)} <= set(paths)
    for path in paths:
        result = CliRunner().invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.stdout, path


# --- Users -------------------------------------------------------------------------------


def test_user_add_prints_the_key_last(cli_env: dict[str, str]) -> None:
    lines = ok(cli_env, "user", "add", "alice", "--email", "alice@example.org", "--password", "secret")
    assert lines[0] == "created user alice"
    key = lines[-1]
    assert KEY_LINE.match(key)
    assert ok(cli_env, "user", "key", "alice") == [key]
    assert ok(cli_env, "user", "key", "ALICE") == [key]
    assert login_works(cli_env, "alice", "secret")
    assert Permission.CREATE_ACCOUNT not in key_permissions(cli_env, key)
    assert ok(cli_env, "user", "list") == [f"alice\t-\t{key}"]


def test_user_add_admin(cli_env: dict[str, str]) -> None:
    lines = ok(cli_env, "user", "add", "root", "--email", "root@example.org", "--password", "pw", "--admin")
    assert lines[0] == "created admin user root"
    assert Permission.CREATE_ACCOUNT in key_permissions(cli_env, lines[-1])
    user = lookup_user(cli_env, "root")
    assert user is not None and user.is_admin


def test_user_passwd(cli_env: dict[str, str]) -> None:
    add_user(cli_env, "alice", password="old")
    assert ok(cli_env, "user", "passwd", "alice", "--password", "new") == ["password changed for alice"]
    assert login_works(cli_env, "alice", "new")
    assert not login_works(cli_env, "alice", "old")


def test_user_set(cli_env: dict[str, str]) -> None:
    key = add_user(cli_env, "alice")
    lines = ok(
        cli_env,
        "user",
        "set",
        "alice",
        "--protected",
        "--full-name",
        "Alice Ångström",
        "--location",
        "Zürich",
        "--about",
        "Films & 🍿",
    )
    assert lines == ["updated alice"]
    user = lookup_user(cli_env, "alice")
    assert user is not None
    assert (user.protected, user.full_name, user.location, user.about) == (
        True,
        "Alice Ångström",
        "Zürich",
        "Films & 🍿",
    )
    assert ok(cli_env, "user", "list") == [f"alice\tprotected\t{key}"]

    ok(cli_env, "user", "set", "alice", "--public")
    user = lookup_user(cli_env, "alice")
    assert user is not None and not user.protected
    assert user.full_name == "Alice Ångström"


def test_user_list(cli_env: dict[str, str]) -> None:
    assert ok(cli_env, "user", "list") == []
    alice = add_user(cli_env, "alice")
    root = add_user(cli_env, "root", "--admin")
    ok(cli_env, "user", "set", "root", "--protected")
    assert ok(cli_env, "user", "list") == [f"alice\t-\t{alice}", f"root\tadmin,protected\t{root}"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("user", "add", "ALICE", "--email", "other@example.org", "--password", "pw"), "ALICE is already"),
        (("user", "add", "bob", "--email", "Alice@Example.org", "--password", "pw"), "Alice@Example.org is"),
        (("user", "add", "bad name", "--email", "b@example.org", "--password", "pw"), "username must be"),
        (("user", "add", "émile", "--email", "e@example.org", "--password", "pw"), "username must be"),
        (("user", "add", "tab\tname", "--email", "t@example.org", "--password", "pw"), "username must be"),
        (("user", "add", "a" * 33, "--email", "a@example.org", "--password", "pw"), "username must be"),
        (("user", "add", "bob", "--email", "not-an-email", "--password", "pw"), "a valid email"),
        (("user", "add", "bob", "--email", "", "--password", "pw"), "a valid email"),
        (("user", "key", "nobody"), "user nobody not found"),
        (("user", "passwd", "nobody", "--password", "x"), "user nobody not found"),
        (("user", "set", "nobody", "--protected"), "user nobody not found"),
        (("user", "set", "alice", "--age", "200"), "age must be"),
        (("user", "set", "alice", "--gender", "robot"), "gender must be"),
        (("user", "set", "alice", "--ratings-mode", "stars"), "ratings mode must be"),
        (("user", "set", "alice", "--full-name", "x" * 201), "full_name must be"),
    ],
)
def test_bad_input_is_one_error_line(cli_env: dict[str, str], args: tuple[str, ...], message: str) -> None:
    add_user(cli_env, "alice")
    line = assert_one_line_error(invoke(cli_env, *args))
    assert line.startswith(f"error: {message}"), line
    # Nothing half-done: alice is untouched and nobody else exists.
    assert [row.split("\t")[0] for row in ok(cli_env, "user", "list")] == ["alice"]
    user = lookup_user(cli_env, "alice")
    assert user is not None and user.age is None and user.full_name is None


# --- Database commands -------------------------------------------------------------------


def test_db_upgrade_is_idempotent(cli_env: dict[str, str]) -> None:
    head = migrate.head_revision()
    assert head is not None
    assert ok(cli_env, "db", "upgrade") == [f"database at revision {head}"]
    assert ok(cli_env, "db", "upgrade") == [f"database at revision {head}"]
    assert ok(cli_env, "db", "current") == [head]
    add_user(cli_env, "alice")
    assert ok(cli_env, "db", "upgrade") == [f"database at revision {head}"]
    assert lookup_user(cli_env, "alice") is not None


def test_db_current_on_an_empty_database(tmp_path: Path) -> None:
    env = {"OPENTRAKT_DATA_DIR": str(tmp_path), "OPENTRAKT_DATABASE_URL": ""}
    assert ok(env, "db", "current") == ["empty"]


# --- Misconfiguration --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("OPENTRAKT_PORT", "abc", "error: invalid configuration: OPENTRAKT_PORT: "),
        ("OPENTRAKT_WORKERS", "two", "error: invalid configuration: OPENTRAKT_WORKERS: "),
        (
            "OPENTRAKT_OPEN_REGISTRATION",
            "maybe",
            "error: invalid configuration: OPENTRAKT_OPEN_REGISTRATION: ",
        ),
        ("OPENTRAKT_MAX_BODY_BYTES", "10MB", "error: invalid configuration: OPENTRAKT_MAX_BODY_BYTES: "),
        ("OPENTRAKT_DATABASE_URL", "nonsense", "error: database error: "),
        (
            "OPENTRAKT_DATABASE_URL",
            "postgresql://nobody@127.0.0.1:1/none",
            "error: cannot reach the database: ",
        ),
    ],
)
@pytest.mark.parametrize("command", [("user", "list"), ("db", "upgrade"), ("user", "key", "alice")])
def test_misconfiguration_is_one_error_line(
    tmp_path: Path, variable: str, value: str, message: str, command: tuple[str, ...]
) -> None:
    env = {"OPENTRAKT_DATA_DIR": str(tmp_path), "OPENTRAKT_DATABASE_URL": "", variable: value}
    assert_one_line_error(invoke(env, *command), message)


# --- The installed entry point -----------------------------------------------------------


def run_entry_point(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opentrakt", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_entry_point_user_add_and_key(cli_env: dict[str, str]) -> None:
    added = run_entry_point(cli_env, "user", "add", "alice", "--email", "a@example.org", "--password", "pw")
    assert added.returncode == 0, added.stderr
    key = added.stdout.splitlines()[-1]
    assert KEY_LINE.match(key)
    shown = run_entry_point(cli_env, "user", "key", "alice")
    assert (shown.returncode, shown.stdout) == (0, f"{key}\n")


@pytest.mark.parametrize(
    ("args", "env", "code", "message"),
    [
        (("user", "add", "bob"), {}, 2, "error: Missing option '--email'."),
        (("user", "set", "bob", "--age", "old"), {}, 2, "error: Invalid value for '--age'"),
        (("user", "frobnicate"), {}, 2, "error: No such command 'frobnicate'."),
        (("user", "key", "nobody"), {}, 1, "error: user nobody not found"),
        (("serve",), {"OPENTRAKT_PORT": "abc"}, 1, "error: invalid configuration: OPENTRAKT_PORT: "),
        (("serve", "--port", "x"), {}, 2, "error: Invalid value for '--port'"),
    ],
)
def test_entry_point_failures_are_one_line(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], code: int, message: str
) -> None:
    base = {"OPENTRAKT_DATA_DIR": str(tmp_path), "OPENTRAKT_DATABASE_URL": ""}
    result = run_entry_point({**base, **env}, *args)
    assert result.returncode == code, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message), lines[0]
    assert "Traceback" not in result.stderr


def test_entry_point_without_arguments_shows_help(tmp_path: Path) -> None:
    result = run_entry_point({}, "user")
    assert result.returncode != 0
    assert "Usage:" in result.stdout + result.stderr
    assert "passwd" in result.stdout + result.stderr
