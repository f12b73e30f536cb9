"""Auto-catalogue for episodes: resolve a show's episodes, adding the missing ones.

An episode of a known show needs only its season and number (``EpisodeRef`` guarantees both)
to be created, with its season row; the episode's TVDB id, title, runtime and air time come
along when the client sent them. The rules of ``autocatalog`` apply: client-made rows gain
missing fields, imported ones are never changed, inserts are ``ON CONFLICT DO NOTHING`` and a
row another request added meanwhile is found by matching again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.autofill import Claims, fill_client_rows, free_values
from opentrakt.catalog.identify import EPISODE_COLUMNS, EPISODE_SLOT_COLUMNS, match_episodes
from opentrakt.catalog.identity import EpisodeRef
from opentrakt.catalog.text import fold
from opentrakt.db.sql import insert_ignore, select_in
from opentrakt.db.tables.catalog import SOURCE_CLIENT, episodes, seasons

# Inserts lost to concurrent requests are retried this many times in all; later attempts leave
# out the TVDB id, which another request may have taken while the slot is still free.
_ATTEMPTS = 2


async def ensure_episodes(
    conn: AsyncConnection, show_id: int, refs: Sequence[EpisodeRef], now: int, *, enabled: bool = True
) -> list[int | None]:
    """The episode id for each ref of show ``show_id``, in order, creating missing episodes and
    their season rows. None only when auto-catalogue is off and the episode is unknown."""
    rows = await match_episodes(conn, show_id, refs, EPISODE_SLOT_COLUMNS)
    found = [row[0] if row is not None else None for row in rows]
    if not enabled:
        return found
    claims: Claims = set()
    # Only client-made rows are ever completed, and only with what the client sent: skip the
    # imported rows and the refs that bring nothing but their place (a bulk sync's usual case).
    offered = [
        (row, ref)
        for ref, row in zip(refs, rows, strict=True)
        if row is not None and ref.has_details and row.source == SOURCE_CLIENT
    ]
    if offered:
        stored = await select_in(
            conn, select(*EPISODE_COLUMNS), episodes.c.id, (row.id for row, _ in offered)
        )
        full = {row.id: row for row in stored}
        offers = [(full[row.id], _episode_fields(ref)) for row, ref in offered]
        await fill_client_rows(conn, episodes, offers, unique=("tvdb_id",), claims=claims, now=now)
    new = _group_new_episodes(refs, rows, claims)
    if not new:
        return found
    # Matching ignored TVDB ids held by other shows' episodes; they cannot be stored twice.
    free = await free_values(conn, episodes, "tvdb_id", (e.fields["tvdb_id"] for e in new.values()), set())
    for episode in new.values():
        if episode.fields["tvdb_id"] not in free:
            episode.fields["tvdb_id"] = None
    ids = await _insert_episodes(conn, show_id, new, now)
    for slot, episode in new.items():
        for position in episode.members:
            found[position] = ids.get(slot)
    return found


async def ensure_episode(
    conn: AsyncConnection, show_id: int, ref: EpisodeRef, now: int, *, enabled: bool = True
) -> int | None:
    return (await ensure_episodes(conn, show_id, [ref], now, enabled=enabled))[0]


@dataclass
class _NewEpisode:
    """One episode to create, possibly named by several entries of the batch."""

    fields: dict[str, Any]  # ``episodes`` columns from ``_episode_fields``, merged
    members: list[int] = field(default_factory=list)


def _group_new_episodes(
    refs: Sequence[EpisodeRef], rows: Sequence[Row[Any] | None], claims: Claims
) -> dict[tuple[int, int], _NewEpisode]:
    """The unknown episodes by (season, number); a TVDB id goes to the first slot naming it."""
    new: dict[tuple[int, int], _NewEpisode] = {}
    for position, (ref, row) in enumerate(zip(refs, rows, strict=True)):
        if row is not None:
            continue
        sent = _episode_fields(ref)
        if ("tvdb_id", sent["tvdb_id"]) in claims:
            sent["tvdb_id"] = None
        episode = new.setdefault((ref.season, ref.episode), _NewEpisode(dict.fromkeys(sent)))
        for name, value in sent.items():
            if episode.fields[name] is None and value is not None:
                episode.fields[name] = value
                if name == "tvdb_id":
                    claims.add((name, value))
        episode.members.append(position)
    return new


def _episode_fields(ref: EpisodeRef) -> dict[str, Any]:
    """What a ref can tell about its episode, by ``episodes`` column."""
    return {
        "tvdb_id": ref.episode_tvdb_id,
        "title": ref.title,
        "title_key": fold(ref.title) if ref.title is not None else None,
        "runtime": ref.runtime,
        "first_aired": ref.first_aired,
    }


async def _insert_episodes(
    conn: AsyncConnection, show_id: int, new: dict[tuple[int, int], _NewEpisode], now: int
) -> dict[tuple[int, int], int]:
    season_rows = [{"show_id": show_id, "number": n} for n in sorted({s for s, _ in new})]
    await conn.execute(insert_ignore(conn, seasons), season_rows)
    ids: dict[tuple[int, int], int] = {}
    for attempt in range(_ATTEMPTS):
        waiting = sorted(slot for slot in new if slot not in ids)  # a fixed order: see autocatalog
        if not waiting:
            break
        rows = []
        for slot in waiting:
            row = {
                **new[slot].fields,
                "show_id": show_id,
                "season": slot[0],
                "number": slot[1],
                "source": SOURCE_CLIENT,
                "created_at": now,
                "updated_at": now,
            }
            if attempt:
                row["tvdb_id"] = None  # another request took it meanwhile; the slot still places it
            rows.append(row)
        statement = insert_ignore(conn, episodes).returning(
            episodes.c.id, episodes.c.season, episodes.c.number
        )
        ids.update(
            ((season, number), episode_id)
            for episode_id, season, number in await conn.execute(statement, rows)
        )
        lost = [slot for slot in waiting if slot not in ids]
        if lost:
            # Another request added the same episode meanwhile: it now sits at that slot.
            refs = [EpisodeRef(season=s, episode=n) for s, n in lost]
            for slot, row in zip(lost, await match_episodes(conn, show_id, refs), strict=True):
                if row is not None:
                    ids[slot] = row.id
    return ids
