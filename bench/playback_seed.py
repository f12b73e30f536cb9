"""Seeding the playback benchmark's database: users with keys, and a catalogue to watch.

1,000 users (``viewer0000`` …) with API keys, 300 movies (``tt9000000`` …, 100 minutes) and
200 shows (TVDB ids from 900000, 45 minutes) of four 20-episode seasons. ``bench/playback.lua``
derives the items it names from the same numbers.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from opentrakt.accounts.models import USER_PERMISSIONS
from opentrakt.accounts.passwords import hash_secret, sha1_hex
from opentrakt.accounts.service import new_api_key
from opentrakt.catalog.text import fold, movie_slug, show_slug
from opentrakt.config import normalise_database_url
from opentrakt.db import migrate
from opentrakt.db.engine import create_engine
from opentrakt.db.tables.accounts import api_keys, user_settings, users
from opentrakt.db.tables.catalog import SOURCE_IMDB, episodes, movies, seasons, shows

PASSWORD = "bench-secret"
NOW = int(time.time())
MOVIES, SHOWS, SEASONS, EPISODES_PER_SEASON = 300, 200, 4, 20
FIRST_TVDB = 900_000
Account = tuple[str, str, str, int]  # username, SHA1 of the password, API key, the show they watch


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


async def seed(url: str, user_count: int) -> list[Account]:
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
