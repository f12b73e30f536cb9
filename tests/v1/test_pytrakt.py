"""PyTrakt 0.3.6, a v1-era client, unchanged except for its base URL, against a live server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trakt
import trakt._core as trakt_core
import trakt.account as trakt_account
import trakt.errors

from opentrakt.accounts import service as accounts
from opentrakt.config import Settings
from opentrakt.runtime import Runtime
from tests.conftest import run_aside
from tests.support import Account, live_server, make_user

pytestmark = pytest.mark.live


def create_admin(database_url: str, data_dir: Path) -> Account:
    async def work() -> Account:
        runtime = Runtime.from_settings(Settings(database_url=database_url, data_dir=data_dir))
        try:
            return await make_user(runtime, "admin", admin=True)
        finally:
            await runtime.engine.dispose()

    return run_aside(work())  # type: ignore[return-value]


@pytest.fixture
def pointed_client(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    """A live server with an admin user, and PyTrakt aimed at it with the admin's key."""
    admin = create_admin(database_url, tmp_path)
    # requests honours proxy variables; the server is on loopback.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with live_server(database_url, tmp_path) as base:
        monkeypatch.setattr(trakt.BaseAPI, "base_url", base + "/")
        monkeypatch.setattr(trakt, "api_key", admin.key, raising=False)
        yield admin
    for name in ("_TRAKT_US_NAME_", "_TRAKT_PASS_WD_"):
        vars(trakt_core).pop(name, None)


def test_pytrakt_account_calls(pointed_client: Account) -> None:
    created = trakt_account.create_account("newbie", "hunter2", "newbie@example.org")
    assert created == {"status": "success", "message": "created account for newbie"}

    again = trakt_account.create_account("NewBie", "hunter2", "other@example.org")
    assert again == {"status": "failure", "error": "NewBie is already a registered username"}

    assert trakt_account.test("newbie", "hunter2") is True
    assert trakt_account.test("NEWBIE", "hunter2") is True
    assert trakt_account.test("newbie", "wrong") is False
    assert trakt_account.test("nobody", "hunter2") is False

    settings = trakt_account.settings("newbie", "hunter2")
    assert settings["status"] == "success"
    assert settings["message"] == "All settings for newbie"
    assert settings["profile"]["username"] == "newbie"
    assert settings["profile"]["last_login"] > 0  # account/test above counts as a log-in
    assert settings["viewing"]["ratings"]["mode"] == "simple"
    assert settings["account"]["protected"] is False

    refused = trakt_account.settings("newbie", "wrong")
    assert refused == {"status": "failure", "error": "failed authentication"}


def test_pytrakt_server_time_and_authenticate(pointed_client: Account) -> None:
    timestamp = int(trakt.server_time)
    assert abs(timestamp - time.time()) < 60

    trakt.authenticate(pointed_client.username, pointed_client.password)
    assert vars(trakt_core)["_TRAKT_US_NAME_"] == pointed_client.username
    # BaseAPI._post_ sends the stored credentials as an unlabelled JSON body.
    settings = trakt.BaseAPI._post_(f"account/settings/{pointed_client.key}")
    assert settings["message"] == "All settings for admin"

    with pytest.raises(trakt.errors.InvalidCredentials):
        trakt.authenticate(pointed_client.username, "not the password")


def key_of(database_url: str, data_dir: Path, username: str) -> str:
    async def work() -> str:
        runtime = Runtime.from_settings(Settings(database_url=database_url, data_dir=data_dir))
        try:
            async with runtime.engine.connect() as conn:
                return await accounts.user_key(conn, username)
        finally:
            await runtime.engine.dispose()

    return run_aside(work())  # type: ignore[return-value]


def test_pytrakt_with_keys_that_cannot_create_accounts(
    pointed_client: Account, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trakt_account.create_account("first", "pw", "first@example.org")
    # An ordinary user's key works for everything but account creation.
    monkeypatch.setattr(trakt, "api_key", key_of(database_url, tmp_path, "first"))
    assert trakt_account.test("first", "pw") is True
    assert trakt_account.create_account("second", "pw", "second@example.org") == {
        "status": "failure",
        "error": "invalid development API permission (create_account)",
    }
    monkeypatch.setattr(trakt, "api_key", "0" * 40)
    assert trakt_account.create_account("second", "pw", "second@example.org") == {
        "status": "failure",
        "error": "invalid API key",
    }
    assert trakt_account.test("first", "pw") is False
