"""The items on a custom list: adding, removing and reading them in rank order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import values_in
from opentrakt.db.tables.lists import custom_list_items, custom_lists
from opentrakt.errors import Invalid
from opentrakt.lists.models import MAX_ITEMS, AddResult, CustomList, ItemRef, ListItem
from opentrakt.social.events import ITEM_ADDED, ActivityEvent, record_events


def too_many() -> Invalid:
    return Invalid(f"a list holds at most {MAX_ITEMS} items")


async def _existing_keys(conn: AsyncConnection, list_id: int, keys: Sequence[str]) -> set[str]:
    if not keys:
        return set()
    rows = await conn.execute(
        select(custom_list_items.c.item_key).where(
            custom_list_items.c.list_id == list_id, values_in(conn, custom_list_items.c.item_key, list(keys))
        )
    )
    return {row.item_key for row in rows}


def _row(target: CustomList, ref: ItemRef, rank: int, now: int) -> dict[str, Any]:
    return {
        "list_id": target.id,
        "user_id": target.user_id,
        "rank": rank,
        "item_type": ref.type,
        "movie_id": ref.movie_id,
        "show_id": ref.show_id,
        "season": ref.season,
        "episode_id": ref.episode_id,
        "item_key": ref.key,
        "added_at": now,
    }


def _event(target: CustomList, ref: ItemRef, now: int) -> ActivityEvent:
    return ActivityEvent(
        user_id=target.user_id,
        created_at=now,
        action=ITEM_ADDED,
        item_type=ref.type,
        movie_id=ref.movie_id,
        show_id=ref.show_id,
        episode_id=ref.episode_id,
        season=ref.season,
        list_id=target.id,
    )


async def add_items(
    conn: AsyncConnection, target: CustomList, refs: Sequence[ItemRef], now: int
) -> AddResult:
    """Append the items not on the list yet, in the order given, after the current last rank.

    Invalid (and nothing written) when the list would hold more than ``MAX_ITEMS`` items.
    """
    if len(refs) > MAX_ITEMS:
        raise too_many()
    # Concurrent additions to one list wait for each other: ranks and the cap stay exact.
    await conn.execute(
        select(custom_lists.c.id).where(custom_lists.c.id == target.id).with_for_update(key_share=True)
    )
    unique = list({ref.key: ref for ref in refs}.values())
    present = await _existing_keys(conn, target.id, [ref.key for ref in unique])
    new = [ref for ref in unique if ref.key not in present]
    count, last_rank = (
        await conn.execute(
            select(func.count(), func.coalesce(func.max(custom_list_items.c.rank), 0)).where(
                custom_list_items.c.list_id == target.id
            )
        )
    ).one()
    if count + len(new) > MAX_ITEMS:
        raise too_many()
    if new:
        rows = [_row(target, ref, last_rank + n, now) for n, ref in enumerate(new, start=1)]
        await conn.execute(insert(custom_list_items), rows)
        await record_events(conn, [_event(target, ref, now) for ref in new])
        await _touch(conn, target, now)
    return AddResult(inserted=len(new), already_exist=len(refs) - len(new))


async def remove_items(conn: AsyncConnection, target: CustomList, refs: Sequence[ItemRef], now: int) -> int:
    """Remove the items that are on the list; the number removed."""
    keys = list(dict.fromkeys(ref.key for ref in refs))
    removed = 0
    if keys:
        result = await conn.execute(
            delete(custom_list_items).where(
                custom_list_items.c.list_id == target.id, values_in(conn, custom_list_items.c.item_key, keys)
            )
        )
        removed = result.rowcount or 0
    if removed:
        await _touch(conn, target, now)
    return removed


async def _touch(conn: AsyncConnection, target: CustomList, now: int) -> None:
    await conn.execute(update(custom_lists).where(custom_lists.c.id == target.id).values(updated_at=now))


async def list_items(conn: AsyncConnection, list_id: int) -> list[ListItem]:
    """The list's items in rank order."""
    rows = await conn.execute(
        select(custom_list_items)
        .where(custom_list_items.c.list_id == list_id)
        .order_by(custom_list_items.c.rank, custom_list_items.c.id)
    )
    return [
        ListItem(
            ref=ItemRef(
                type=row.item_type,
                movie_id=row.movie_id,
                show_id=row.show_id,
                season=row.season,
                episode_id=row.episode_id,
            ),
            rank=row.rank,
            added_at=row.added_at,
        )
        for row in rows
    ]
