"""The accounts service on its own: users, credentials, keys, profiles and settings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import ADMIN_PERMISSIONS, USER_PERMISSIONS, ApiKey, Permission, User
from opentrakt.accounts.passwords import sha1_hex, verified_secrets
from opentrakt.db.engine import write_connection
from opentrakt.db.tables.accounts import users
from opentrakt.errors import Conflict, Invalid, NotFound
from opentrakt.runtime import Runtime
from tests.conftest import START


@asynccontextmanager
async def transaction(runtime: Runtime) -> AsyncIterator[AsyncConnection]:
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            yield conn


async def create(
    runtime: Runtime,
    username: str,
    *,
    email: str | None = None,
    password: str = "secret",
    admin: bool = False,
) -> tuple[User, ApiKey]:
    async with transaction(runtime) as conn:
        return await accounts.create_user(
            conn,
            username=username,
            email=email or f"{username.lower()}@example.org",
            password_sha1=sha1_hex(password),
            now=START,
            admin=admin,
        )


async def authenticate(runtime: Runtime, username: str, secret: str) -> User | None:
    async with transaction(runtime) as conn:
        return await accounts.authenticate(conn, username, secret)


async def user_count(runtime: Runtime) -> int:
    async with runtime.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(users))).scalar_one()


# --- Creating users ----------------------------------------------------------------------


async def test_create_user_with_defaults(runtime: Runtime) -> None:
    user, key = await create(runtime, "Alice")
    assert user.username == "Alice"
    assert user.email == "alice@example.org"
    assert (user.joined, user.last_login) == (START, 0)
    assert not (user.protected or user.vip or user.is_admin)
    assert user.full_name is None and user.age is None
    assert key.user_id == user.id
    assert key.permissions == USER_PERMISSIONS
    assert len(key.key) == 40 and int(key.key, 16) >= 0
    async with transaction(runtime) as conn:
        prefs = await accounts.get_settings(conn, user.id)
        assert await accounts.get_api_key(conn, key.key) == key
    assert prefs.ratings_mode == "simple"
    assert prefs.timezone == "UM8"
    assert (prefs.shouts_show_badges, prefs.shouts_show_spoilers, prefs.use_24hr) == (True, False, False)


async def test_admin_key_can_create_accounts(runtime: Runtime) -> None:
    user, key = await create(runtime, "root", admin=True)
    assert user.is_admin
    assert key.permissions == ADMIN_PERMISSIONS
    assert Permission.CREATE_ACCOUNT in key.permissions


async def test_password_is_stored_only_as_argon2(runtime: Runtime) -> None:
    await create(runtime, "alice")
    async with runtime.engine.connect() as conn:
        stored = (await conn.execute(select(users.c.password_hash))).scalar_one()
    assert stored.startswith("$argon2id$")
    assert sha1_hex("secret") not in stored


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": ""}, "username must be"),
        ({"username": "a" * 33}, "username must be"),
        ({"username": "with space"}, "username must be"),
        ({"username": "émile"}, "username must be"),
        ({"username": "ctrl\x07"}, "username must be"),
        ({"username": "trailing\n"}, "username must be"),
        ({"username": None}, "username must be"),
        ({"username": 7}, "username must be"),
        ({"email": "nope"}, "a valid email address is required"),
        ({"email": "a@b\n"}, "a valid email address is required"),
        ({"email": "x" * 250 + "@b.cd"}, "a valid email address is required"),
        ({"email": ["a@b.c"]}, "a valid email address is required"),
        ({"password_sha1": "secret"}, "password must be the SHA1"),
        ({"password_sha1": sha1_hex("x")[:39]}, "password must be the SHA1"),
        ({"password_sha1": "g" * 40}, "password must be the SHA1"),
        ({"password_sha1": None}, "password must be the SHA1"),
    ],
)
async def test_create_user_validates(runtime: Runtime, fields: dict[str, Any], message: str) -> None:
    values: dict[str, Any] = {
        "username": "alice",
        "email": "alice@example.org",
        "password_sha1": sha1_hex("pw"),
    }
    async with transaction(runtime) as conn:
        with pytest.raises(Invalid) as error:
            await accounts.create_user(conn, now=START, **{**values, **fields})
    assert error.value.message.startswith(message)
    assert await user_count(runtime) == 0


@pytest.mark.parametrize("name", ["a", "A-b_c.d", "x" * 32, "0123"])
async def test_usernames_at_the_edges_are_accepted(runtime: Runtime, name: str) -> None:
    user, _ = await create(runtime, name, email="edge@example.org")
    assert user.username == name


async def test_username_is_unique_case_insensitively(runtime: Runtime) -> None:
    await create(runtime, "Alice")
    with pytest.raises(Conflict) as error:
        await create(runtime, "aLICE", email="other@example.org")
    assert error.value.message == "aLICE is already a registered username"


async def test_email_is_unique_case_insensitively(runtime: Runtime) -> None:
    await create(runtime, "alice", email="Alice@Example.org")
    with pytest.raises(Conflict) as error:
        await create(runtime, "bob", email="alice@EXAMPLE.ORG")
    assert error.value.message == "alice@EXAMPLE.ORG is already a registered e-mail"
    assert await user_count(runtime) == 1


@pytest.mark.parametrize("clash", ["username", "email"])
async def test_concurrent_creates_leave_exactly_one_user(runtime: Runtime, clash: str) -> None:
    async def attempt(i: int) -> User | Conflict:
        name = "racer" if clash == "username" else f"racer{i}"
        email = "racer@example.org" if clash == "email" else f"racer{i}@example.org"
        try:
            user, _ = await create(runtime, name if i % 2 else name.upper(), email=email)
        except Conflict as exc:
            return exc
        return user

    results = await asyncio.gather(*(attempt(i) for i in range(5)))
    created = [r for r in results if isinstance(r, User)]
    assert len(created) == 1, results
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, User))
    assert await user_count(runtime) == 1


# --- Credentials -------------------------------------------------------------------------


async def test_authenticate(runtime: Runtime) -> None:
    alice, _ = await create(runtime, "Alice")
    secret = sha1_hex("secret")
    for name in ("Alice", "alice", "ALICE"):
        found = await authenticate(runtime, name, secret)
        assert found is not None and found.id == alice.id
    # Clients send lower-case hex; upper case is the same digest.
    assert await authenticate(runtime, "alice", secret.upper()) is not None


@pytest.mark.parametrize(
    ("username", "secret"),
    [
        ("alice", sha1_hex("wrong")),
        ("alice", "secret"),
        ("alice", ""),
        ("alice", sha1_hex("secret") + "\n"),
        ("alice", sha1_hex("secret")[:-1]),
        ("", sha1_hex("secret")),
        ("nobody", sha1_hex("secret")),
        ("alice\x00", sha1_hex("secret")),
        ("alice ", sha1_hex("secret")),
        ("ålice", sha1_hex("secret")),
        ("a" * 200, sha1_hex("secret")),
    ],
)
async def test_authenticate_rejects(runtime: Runtime, username: str, secret: str) -> None:
    await create(runtime, "alice")
    assert await authenticate(runtime, username, secret) is None


async def test_password_change_invalidates_a_cached_secret(runtime: Runtime) -> None:
    await create(runtime, "alice", password="old")
    old, new = sha1_hex("old"), sha1_hex("new")
    # Twice, so the second check is answered from the verification cache.
    assert await authenticate(runtime, "alice", old) is not None
    assert await authenticate(runtime, "alice", old) is not None
    async with runtime.engine.connect() as conn:
        stored = (await conn.execute(select(users.c.password_hash))).scalar_one()
    assert verified_secrets.verify_cached(stored, old)

    async with transaction(runtime) as conn:
        await accounts.set_password(conn, "ALICE", new)
    assert await authenticate(runtime, "alice", old) is None
    assert await authenticate(runtime, "alice", new) is not None


async def test_set_password_validates(runtime: Runtime) -> None:
    await create(runtime, "alice")
    async with transaction(runtime) as conn:
        with pytest.raises(Invalid):
            await accounts.set_password(conn, "alice", "plain")
        with pytest.raises(NotFound):
            await accounts.set_password(conn, "nobody", sha1_hex("x"))
    assert await authenticate(runtime, "alice", sha1_hex("secret")) is not None


async def test_touch_last_login(runtime: Runtime) -> None:
    alice, _ = await create(runtime, "alice")
    async with transaction(runtime) as conn:
        await accounts.touch_last_login(conn, alice.id, START + 60)
        refreshed = await accounts.get_user_by_id(conn, alice.id)
    assert refreshed is not None and refreshed.last_login == START + 60


# --- API keys ----------------------------------------------------------------------------


async def test_api_keys(runtime: Runtime) -> None:
    alice, first = await create(runtime, "alice")
    async with transaction(runtime) as conn:
        extra = await accounts.add_api_key(conn, user_id=alice.id, permissions=[], now=START)
        assert extra.permissions == frozenset()
        assert await accounts.get_api_key(conn, extra.key) == extra
        assert await accounts.user_key(conn, "ALICE") == first.key
        with pytest.raises(Conflict):
            await accounts.add_api_key(conn, user_id=alice.id, permissions=[], now=START, key=first.key)
        for unknown in ("", "0" * 40, first.key.upper(), first.key + "0", "\x00", first.key[:20] + "\x00"):
            assert await accounts.get_api_key(conn, unknown) is None
        with pytest.raises(NotFound):
            await accounts.user_key(conn, "nobody")


async def test_list_users(runtime: Runtime) -> None:
    _, alice_key = await create(runtime, "alice")
    _, root_key = await create(runtime, "root", admin=True)
    async with transaction(runtime) as conn:
        await accounts.update_profile(conn, "alice", protected=True)
        listing = await accounts.list_users(conn)
    assert [(u.username, u.is_admin, u.protected, k) for u, k in listing] == [
        ("alice", False, True, alice_key.key),
        ("root", True, False, root_key.key),
    ]


# --- Profiles and settings ---------------------------------------------------------------


async def test_update_profile(runtime: Runtime) -> None:
    await create(runtime, "alice")
    async with transaction(runtime) as conn:
        updated = await accounts.update_profile(
            conn,
            "ALICE",
            full_name="Alice Ångström",
            location="Zürich",
            about="Likes 🍿\nand films",
            gender="female",
            age=31,
            protected=True,
        )
        assert (updated.full_name, updated.location, updated.gender, updated.age) == (
            "Alice Ångström",
            "Zürich",
            "female",
            31,
        )
        assert updated.about == "Likes 🍿\nand films"
        assert updated.protected
        cleared = await accounts.update_profile(conn, "alice", full_name=None, protected=False)
        assert cleared.full_name is None and not cleared.protected
        assert cleared.location == "Zürich"
        unchanged = await accounts.update_profile(conn, "alice")
        assert unchanged == cleared


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "x@y.z"}, "unknown profile fields: email"),
        ({"password_hash": "x", "is_admin": True}, "unknown profile fields: is_admin, password_hash"),
        ({"gender": "other"}, "gender must be male or female"),
        ({"gender": ["male"]}, "gender must be male or female"),
        ({"age": -1}, "age must be"),
        ({"age": 151}, "age must be"),
        ({"age": "30"}, "age must be"),
        ({"age": True}, "age must be"),
        ({"age": 30.5}, "age must be"),
        ({"full_name": "x" * 201}, "full_name must be text of at most 200 characters"),
        ({"location": 12}, "location must be text"),
        ({"about": "a\x00b"}, "about must not contain NUL characters"),
        ({"avatar_url": ["http://x"]}, "avatar_url must be text"),
        ({"protected": "yes"}, "protected must be true or false"),
        ({"vip": 1}, "vip must be true or false"),
    ],
)
async def test_update_profile_validates(runtime: Runtime, changes: dict[str, Any], message: str) -> None:
    await create(runtime, "alice")
    async with transaction(runtime) as conn:
        with pytest.raises(Invalid) as error:
            await accounts.update_profile(conn, "alice", **changes)
        assert error.value.message.startswith(message)
        user = await accounts.get_user_by_username(conn, "alice")
    assert user is not None and user.full_name is None and user.age is None and not user.protected


async def test_update_profile_of_unknown_user(runtime: Runtime) -> None:
    async with transaction(runtime) as conn:
        with pytest.raises(NotFound) as error:
            await accounts.update_profile(conn, "nobody", full_name="X")
    assert error.value.message == "user nobody not found"


@pytest.mark.parametrize("name", ["nobody", "", "al\x00ice", "émile", "a" * 100])
async def test_user_lookups_by_odd_names(runtime: Runtime, name: str) -> None:
    await create(runtime, "alice")
    async with transaction(runtime) as conn:
        assert await accounts.get_user_by_username(conn, name) is None
        with pytest.raises(NotFound):
            await accounts.require_user(conn, name)


async def test_ratings_mode(runtime: Runtime) -> None:
    alice, _ = await create(runtime, "alice")
    async with transaction(runtime) as conn:
        await accounts.set_ratings_mode(conn, "alice", "advanced")
        assert (await accounts.get_settings(conn, alice.id)).ratings_mode == "advanced"
        with pytest.raises(Invalid):
            await accounts.set_ratings_mode(conn, "alice", "stars")
        with pytest.raises(NotFound):
            await accounts.set_ratings_mode(conn, "nobody", "simple")
        with pytest.raises(NotFound):
            await accounts.get_settings(conn, alice.id + 1000)
