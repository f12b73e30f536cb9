"""Account services: creating users, checking credentials, keys, profiles and settings."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import (
    ADMIN_PERMISSIONS,
    USER_PERMISSIONS,
    ApiKey,
    Permission,
    User,
    UserSettings,
)
from opentrakt.accounts.passwords import hash_secret, is_sha1_hex, verified_secrets
from opentrakt.db.tables.accounts import api_keys, user_settings, users
from opentrakt.errors import Conflict, Invalid, NotFound

# \Z rather than $: $ would also accept a trailing newline.
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,32}\Z")
EMAIL_PATTERN = re.compile(r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\Z")
GENDERS = frozenset({"male", "female"})

_USER_COLUMNS = (
    users.c.id,
    users.c.username,
    users.c.email,
    users.c.full_name,
    users.c.gender,
    users.c.age,
    users.c.location,
    users.c.about,
    users.c.avatar_url,
    users.c.protected,
    users.c.vip,
    users.c.is_admin,
    users.c.joined,
    users.c.last_login,
)


def user_from_row(row: Row[Any]) -> User:
    return User(
        id=row.id,
        username=row.username,
        email=row.email,
        full_name=row.full_name,
        gender=row.gender,
        age=row.age,
        location=row.location,
        about=row.about,
        avatar_url=row.avatar_url,
        protected=bool(row.protected),
        vip=bool(row.vip),
        is_admin=bool(row.is_admin),
        joined=row.joined,
        last_login=row.last_login,
    )


def username_key(username: str) -> str:
    return username.casefold()


def validate_username(username: object) -> str:
    if not isinstance(username, str) or not USERNAME_PATTERN.match(username):
        raise Invalid("username must be 1-32 letters, digits, '_', '-' or '.'")
    return username


def validate_email(email: object) -> str:
    if not isinstance(email, str) or len(email) > 254 or not EMAIL_PATTERN.match(email):
        raise Invalid("a valid email address is required")
    return email


def validate_password_hex(password: object) -> str:
    if not isinstance(password, str) or not is_sha1_hex(password):
        raise Invalid("password must be the SHA1 hex digest of the password (40 hex characters)")
    return password.lower()


def new_api_key() -> str:
    return secrets.token_hex(20)


async def create_user(
    conn: AsyncConnection,
    *,
    username: object,
    email: object,
    password_sha1: object,
    now: int,
    admin: bool = False,
) -> tuple[User, ApiKey]:
    """Create a user with default settings and a personal API key."""
    username = validate_username(username)
    email = validate_email(email)
    secret = validate_password_hex(password_sha1)
    await _ensure_free(conn, username, email)
    password_hash = await asyncio.to_thread(hash_secret, secret)
    try:
        async with conn.begin_nested():
            user_id = (
                await conn.execute(
                    insert(users)
                    .values(
                        username=username,
                        username_key=username_key(username),
                        email=email,
                        email_key=email.casefold(),
                        password_hash=password_hash,
                        protected=False,
                        vip=False,
                        is_admin=admin,
                        joined=now,
                        last_login=0,
                    )
                    .returning(users.c.id)
                )
            ).scalar_one()
    except IntegrityError:
        # A concurrent request took the name or address between our check and our insert.
        await _ensure_free(conn, username, email)
        raise Conflict(f"{username} is already a registered username") from None
    await conn.execute(insert(user_settings).values(user_id=user_id))
    permissions = ADMIN_PERMISSIONS if admin else USER_PERMISSIONS
    key = await add_api_key(conn, user_id=user_id, permissions=permissions, now=now)
    user = await get_user_by_id(conn, user_id)
    assert user is not None
    return user, key


async def _ensure_free(conn: AsyncConnection, username: str, email: str) -> None:
    taken = await conn.execute(
        select(users.c.username_key, users.c.email_key).where(
            (users.c.username_key == username_key(username)) | (users.c.email_key == email.casefold())
        )
    )
    for row in taken:
        if row.username_key == username_key(username):
            raise Conflict(f"{username} is already a registered username")
        raise Conflict(f"{email} is already a registered e-mail")


async def add_api_key(
    conn: AsyncConnection,
    *,
    user_id: int,
    permissions: Iterable[Permission],
    now: int,
    key: str | None = None,
) -> ApiKey:
    key = key or new_api_key()
    perms = frozenset(permissions)
    try:
        async with conn.begin_nested():
            await conn.execute(
                insert(api_keys).values(
                    key=key, user_id=user_id, permissions=",".join(sorted(perms)), created_at=now
                )
            )
    except IntegrityError:
        raise Conflict("that API key is already in use") from None
    return ApiKey(key=key, user_id=user_id, permissions=perms)


def _parse_permissions(text: str) -> frozenset[Permission]:
    return frozenset(Permission(p) for p in text.split(",") if p)


# Prebuilt, as _KEY_AND_USER below: every request without credentials runs it.
_API_KEY = select(api_keys.c.user_id, api_keys.c.permissions).where(api_keys.c.key == bindparam("key"))


async def get_api_key(conn: AsyncConnection, key: str) -> ApiKey | None:
    if "\x00" in key:
        return None  # PostgreSQL text can't hold NUL: no key has one, and the query would fail.
    row = (await conn.execute(_API_KEY, {"key": key})).first()
    if row is None:
        return None
    return ApiKey(key=key, user_id=row.user_id, permissions=_parse_permissions(row.permissions))


async def get_user_by_id(conn: AsyncConnection, user_id: int) -> User | None:
    row = (await conn.execute(select(*_USER_COLUMNS).where(users.c.id == user_id))).first()
    return user_from_row(row) if row else None


def _could_be_username(name: str) -> bool:
    # Names no account can have are answered without a query; PostgreSQL would reject a NUL.
    return bool(USERNAME_PATTERN.match(name))


async def get_user_by_username(conn: AsyncConnection, username: str) -> User | None:
    if not _could_be_username(username):
        return None
    row = (
        await conn.execute(select(*_USER_COLUMNS).where(users.c.username_key == username_key(username)))
    ).first()
    return user_from_row(row) if row else None


async def require_user(conn: AsyncConnection, username: str) -> User:
    user = await get_user_by_username(conn, username)
    if user is None:
        raise NotFound(f"user {username} not found")
    return user


async def authenticate(conn: AsyncConnection, username: str, password_sha1: str) -> User | None:
    """The user whose name and SHA1 password digest match, or None."""
    if not _could_be_username(username) or not is_sha1_hex(password_sha1):
        return None
    row = (
        await conn.execute(
            select(*_USER_COLUMNS, users.c.password_hash).where(
                users.c.username_key == username_key(username)
            )
        )
    ).first()
    if row is None:
        return None
    ok = await _verify(row.password_hash, password_sha1)
    return user_from_row(row) if ok else None


# Built once: it runs on nearly every request, and a prebuilt statement spares SQLAlchemy building
# it and working out its cache key each time.
_KEY_AND_USER = (
    select(
        api_keys.c.user_id.label("key_user_id"), api_keys.c.permissions, *_USER_COLUMNS, users.c.password_hash
    )
    .select_from(api_keys.outerjoin(users, users.c.username_key == bindparam("username_key")))
    .where(api_keys.c.key == bindparam("key"))
)


async def get_api_key_and_user(
    conn: AsyncConnection, key: str, username: str, password_sha1: str
) -> tuple[ApiKey | None, User | None]:
    """``get_api_key`` and ``authenticate`` in one query, since nearly every request needs both."""
    if "\x00" in key or not _could_be_username(username) or not is_sha1_hex(password_sha1):
        return await get_api_key(conn, key), None
    parameters = {"key": key, "username_key": username_key(username)}
    row = (await conn.execute(_KEY_AND_USER, parameters)).first()
    if row is None:
        return None, None
    api_key = ApiKey(key=key, user_id=row.key_user_id, permissions=_parse_permissions(row.permissions))
    if row.id is None or not await _verify(row.password_hash, password_sha1):
        return api_key, None
    return api_key, user_from_row(row)


async def _verify(stored_hash: str, secret: str) -> bool:
    if verified_secrets.verify_cached(stored_hash, secret):
        return True
    return await asyncio.to_thread(verified_secrets.verify, stored_hash, secret)


async def touch_last_login(conn: AsyncConnection, user_id: int, now: int) -> None:
    await conn.execute(update(users).where(users.c.id == user_id).values(last_login=now))


async def set_password(conn: AsyncConnection, username: str, password_sha1: object) -> None:
    secret = validate_password_hex(password_sha1)
    user = await require_user(conn, username)
    password_hash = await asyncio.to_thread(hash_secret, secret)
    await conn.execute(update(users).where(users.c.id == user.id).values(password_hash=password_hash))


# Nullable text fields and their longest accepted length (the column widths, where there are any).
_PROFILE_TEXT = {"full_name": 200, "location": 200, "about": 10_000, "avatar_url": 2_000}
_PROFILE_FLAGS = frozenset({"protected", "vip"})
PROFILE_FIELDS = frozenset({*_PROFILE_TEXT, *_PROFILE_FLAGS, "gender", "age"})


def _validate_profile(changes: dict[str, Any]) -> None:
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise Invalid(f"unknown profile fields: {', '.join(sorted(unknown))}")
    for name, limit in _PROFILE_TEXT.items():
        value = changes.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > limit:
            raise Invalid(f"{name} must be text of at most {limit} characters")
        if "\x00" in value:
            raise Invalid(f"{name} must not contain NUL characters")
    for name in _PROFILE_FLAGS & set(changes):
        if not isinstance(changes[name], bool):
            raise Invalid(f"{name} must be true or false")
    if changes.get("gender") not in (None, *GENDERS):
        raise Invalid("gender must be male or female")
    age = changes.get("age")
    # bool is an int subclass; True is not an age.
    if age is not None and not (isinstance(age, int) and not isinstance(age, bool) and 0 <= age <= 150):
        raise Invalid("age must be a whole number from 0 to 150")


async def update_profile(conn: AsyncConnection, username: str, **changes: Any) -> User:
    _validate_profile(changes)
    user = await require_user(conn, username)
    if changes:
        await conn.execute(update(users).where(users.c.id == user.id).values(**changes))
    updated = await get_user_by_id(conn, user.id)
    assert updated is not None
    return updated


async def list_users(conn: AsyncConnection) -> list[tuple[User, str | None]]:
    """Every user with their oldest API key."""
    first_key = (
        select(api_keys.c.user_id, func.min(api_keys.c.id).label("key_id"))
        .group_by(api_keys.c.user_id)
        .subquery()
    )
    rows = await conn.execute(
        select(*_USER_COLUMNS, api_keys.c.key)
        .select_from(users)
        .outerjoin(first_key, first_key.c.user_id == users.c.id)
        .outerjoin(api_keys, api_keys.c.id == first_key.c.key_id)
        .order_by(users.c.id)
    )
    return [(user_from_row(row), row.key) for row in rows]


async def user_key(conn: AsyncConnection, username: str) -> str:
    user = await require_user(conn, username)
    key = (
        await conn.execute(
            select(api_keys.c.key).where(api_keys.c.user_id == user.id).order_by(api_keys.c.id).limit(1)
        )
    ).scalar()
    if key is None:
        raise NotFound(f"{user.username} has no API key")
    return key


async def get_settings(conn: AsyncConnection, user_id: int) -> UserSettings:
    row = (await conn.execute(select(user_settings).where(user_settings.c.user_id == user_id))).first()
    if row is None:
        raise NotFound("settings not found")
    return UserSettings(
        timezone=row.timezone,
        use_24hr=bool(row.use_24hr),
        ratings_mode=row.ratings_mode,
        shouts_show_badges=bool(row.shouts_show_badges),
        shouts_show_spoilers=bool(row.shouts_show_spoilers),
        sharing_text_watching=row.sharing_text_watching,
        sharing_text_watched=row.sharing_text_watched,
    )


RATINGS_MODES = frozenset({"simple", "advanced"})


async def set_ratings_mode(conn: AsyncConnection, username: str, mode: str) -> None:
    if mode not in RATINGS_MODES:
        raise Invalid("ratings mode must be simple or advanced")
    user = await require_user(conn, username)
    await conn.execute(
        update(user_settings).where(user_settings.c.user_id == user.id).values(ratings_mode=mode)
    )
