"""Creating, reading, changing and deleting a user's custom lists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.text import fold
from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.lists import custom_list_items, custom_lists
from opentrakt.errors import Conflict, Invalid, NotFound
from opentrakt.lists.models import MAX_DESCRIPTION, MAX_NAME, CustomList, ListChanges, Privacy
from opentrakt.lists.slugs import free_slug, list_slug
from opentrakt.social.events import CREATED, LIST, ActivityEvent, record_events

LIST_NOT_FOUND = "list not found"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def list_from_row(row: Row[Any]) -> CustomList:
    return CustomList(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        slug=row.slug,
        description=row.description,
        privacy=Privacy(row.privacy),
        show_numbers=bool(row.show_numbers),
        allow_shouts=bool(row.allow_shouts),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def clean_name(name: str) -> str:
    """The name as stored: control characters removed, trimmed; Invalid when empty or too long."""
    cleaned = _CONTROL.sub("", name).strip()
    if not fold(cleaned):
        raise Invalid("name is required")
    if len(cleaned) > MAX_NAME:
        raise Invalid(f"name is too long (at most {MAX_NAME} characters)")
    return cleaned


def clean_description(description: str | None) -> str | None:
    if description is None:
        return None
    cleaned = _CONTROL.sub("", description).strip()
    if len(cleaned) > MAX_DESCRIPTION:
        raise Invalid(f"description is too long (at most {MAX_DESCRIPTION} characters)")
    return cleaned or None


async def _lock_owner(conn: AsyncConnection, user_id: int) -> None:
    """Serialise one user's list creations and renames, so two concurrent requests can't both
    find a name or slug free. SQLite write transactions already run one at a time."""
    await conn.execute(select(users.c.id).where(users.c.id == user_id).with_for_update(key_share=True))


async def _check_name_free(conn: AsyncConnection, user_id: int, name: str, keep: int | None = None) -> None:
    query = select(custom_lists.c.id).where(
        custom_lists.c.user_id == user_id, custom_lists.c.name_key == fold(name)
    )
    found = (await conn.execute(query)).scalar()
    if found is not None and found != keep:
        raise Conflict(f"a list named {name} already exists")


async def _slug_for(conn: AsyncConnection, user_id: int, name: str, keep: int | None = None) -> str:
    """A slug for ``name`` that none of the user's other lists has (``keep``: the list itself)."""
    base = list_slug(name)
    rows = await conn.execute(
        select(custom_lists.c.id, custom_lists.c.slug).where(
            custom_lists.c.user_id == user_id, custom_lists.c.slug.startswith(base)
        )
    )
    return free_slug(base, {row.slug for row in rows if row.id != keep})


async def create_list(
    conn: AsyncConnection,
    user_id: int,
    *,
    name: str,
    description: str | None,
    privacy: Privacy,
    show_numbers: bool,
    allow_shouts: bool,
    now: int,
) -> CustomList:
    """A new list of ``user_id``; Conflict when the user already has a list of that name."""
    name = clean_name(name)
    description = clean_description(description)
    await _lock_owner(conn, user_id)
    await _check_name_free(conn, user_id, name)
    slug = await _slug_for(conn, user_id, name)
    values = {
        "user_id": user_id,
        "name": name,
        "name_key": fold(name),
        "slug": slug,
        "description": description,
        "privacy": privacy.value,
        "show_numbers": show_numbers,
        "allow_shouts": allow_shouts,
        "created_at": now,
        "updated_at": now,
    }
    list_id = (
        await conn.execute(insert(custom_lists).values(values).returning(custom_lists.c.id))
    ).scalar_one()
    await record_events(
        conn,
        [ActivityEvent(user_id=user_id, created_at=now, action=CREATED, item_type=LIST, list_id=list_id)],
    )
    return CustomList(
        id=list_id,
        user_id=user_id,
        name=name,
        slug=slug,
        description=description,
        privacy=privacy,
        show_numbers=show_numbers,
        allow_shouts=allow_shouts,
        created_at=now,
        updated_at=now,
    )


async def get_list(conn: AsyncConnection, user_id: int, slug: str) -> CustomList:
    """The user's list with this slug; NotFound when there is none."""
    row = (
        await conn.execute(
            select(custom_lists).where(custom_lists.c.user_id == user_id, custom_lists.c.slug == slug.strip())
        )
    ).first()
    if row is None:
        raise NotFound(LIST_NOT_FOUND)
    return list_from_row(row)


async def lists_of(
    conn: AsyncConnection, user_id: int, privacies: Sequence[Privacy] = tuple(Privacy)
) -> list[CustomList]:
    """The user's lists with one of ``privacies``, oldest first."""
    rows = await conn.execute(
        select(custom_lists)
        .where(custom_lists.c.user_id == user_id, custom_lists.c.privacy.in_([p.value for p in privacies]))
        .order_by(custom_lists.c.id)
    )
    return [list_from_row(row) for row in rows]


async def update_list(
    conn: AsyncConnection, user_id: int, slug: str, changes: ListChanges, now: int
) -> CustomList:
    """Apply ``changes``; a new name derives a new slug (NotFound, Conflict, Invalid before any write)."""
    current = await get_list(conn, user_id, slug)
    updated = replace(current, updated_at=now)
    if changes.name is not None:
        name = clean_name(changes.name)
        await _lock_owner(conn, user_id)
        await _check_name_free(conn, user_id, name, keep=current.id)
        new_slug = current.slug if list_slug(name) == list_slug(current.name) else None
        updated = replace(
            updated, name=name, slug=new_slug or await _slug_for(conn, user_id, name, keep=current.id)
        )
    if changes.description is not None:
        updated = replace(updated, description=clean_description(changes.description))
    if changes.privacy is not None:
        updated = replace(updated, privacy=changes.privacy)
    if changes.show_numbers is not None:
        updated = replace(updated, show_numbers=changes.show_numbers)
    if changes.allow_shouts is not None:
        updated = replace(updated, allow_shouts=changes.allow_shouts)
    await conn.execute(
        update(custom_lists)
        .where(custom_lists.c.id == current.id)
        .values(
            name=updated.name,
            name_key=fold(updated.name),
            slug=updated.slug,
            description=updated.description,
            privacy=updated.privacy.value,
            show_numbers=updated.show_numbers,
            allow_shouts=updated.allow_shouts,
            updated_at=now,
        )
    )
    return updated


async def delete_list(conn: AsyncConnection, user_id: int, slug: str) -> CustomList:
    """Delete the list and every item on it."""
    found = await get_list(conn, user_id, slug)
    # Explicit rather than left to the cascade: SQLite connections may run without foreign keys.
    await conn.execute(delete(custom_list_items).where(custom_list_items.c.list_id == found.id))
    await conn.execute(delete(custom_lists).where(custom_lists.c.id == found.id))
    return found
