"""Batch reads that complete search results: people and users by id, and the season and episode
numbers of shows. One query per batch of ids, however many results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.accounts.service import user_from_row
from opentrakt.catalog.models import Person
from opentrakt.catalog.queries import person_from_row
from opentrakt.db.sql import id_batches, in_ids
from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.catalog import episodes, people, seasons


@dataclass(frozen=True, slots=True)
class SeasonNumbers:
    season: int
    episodes: tuple[int, ...]  # episode numbers, ascending


async def people_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Person]:
    found: dict[int, Person] = {}
    for batch in id_batches(conn, ids):
        for row in await conn.execute(select(people).where(in_ids(conn, people.c.id, batch))):
            found[row.id] = person_from_row(row)
    return found


async def users_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, User]:
    found: dict[int, User] = {}
    for batch in id_batches(conn, ids):
        for row in await conn.execute(select(users).where(in_ids(conn, users.c.id, batch))):
            found[row.id] = user_from_row(row)
    return found


async def season_numbers(conn: AsyncConnection, show_ids: Sequence[int]) -> dict[int, list[SeasonNumbers]]:
    """Each show's seasons, newest first and specials last as the original listed them, with
    their episode numbers. A season row without episodes still counts; every show has a list."""
    numbers: dict[int, dict[int, list[int]]] = {show_id: {} for show_id in show_ids}
    for batch in id_batches(conn, list(numbers)):
        rows = await conn.execute(
            select(seasons.c.show_id, seasons.c.number).where(in_ids(conn, seasons.c.show_id, batch))
        )
        for show_id, season in rows:
            numbers[show_id].setdefault(season, [])
        rows = await conn.execute(
            select(episodes.c.show_id, episodes.c.season, episodes.c.number)
            .where(in_ids(conn, episodes.c.show_id, batch))
            .order_by(episodes.c.show_id, episodes.c.season, episodes.c.number)
        )
        for show_id, season, number in rows:
            numbers[show_id].setdefault(season, []).append(number)
    return {
        show_id: [
            SeasonNumbers(season, tuple(by_season[season]))
            for season in sorted(by_season, key=lambda n: (n == 0, -n))
        ]
        for show_id, by_season in numbers.items()
    }
