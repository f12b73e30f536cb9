"""The precomputed half of recommendations: each liked item's most similar items.

Two items are as similar as the cosine of their sets of likers,
``together / sqrt(likers(a) × likers(b))``, so blockbusters everyone has seen do not crowd out
the items that specifically go with each other. Counting ``together`` for every pair costs the
sum over people of the square of their likes: far too much for a request on a large server, and
a minute or two of CPU for the whole server at once (1,000,000 plays; see bench/RESULTS.md). So
a refresh reads everyone's likes once, counts in memory (away from the event loop, so the server
keeps serving), keeps each item's ``NEIGHBOURS`` most similar items, and rewrites the lists a
batch of items at a time (short transactions: readers see each item's old list or its new one,
writers are never held up long).

The background duty (``NeighbourDuty``) refreshes when the last refresh is older than
``REFRESH_EVERY`` times the time it took, and at least ``REFRESH_AFTER`` seconds: a small server
refreshes every few minutes, a large one spends at most a thirtieth of its time on it. Several
server processes may run the duty: the one whose conditional UPDATE moves ``started_at``
forward does the refresh, the others skip it, and leave a refresh in progress alone unless it
has not finished after ``ABANDONED_AFTER`` (its process died).
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import math
import multiprocessing
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from opentrakt.db.engine import write_connection
from opentrakt.db.sql import id_batches, in_ids, insert_ignore
from opentrakt.db.tables.discovery import discovery_refreshes, movie_neighbours, show_neighbours
from opentrakt.discovery.taste import KINDS, TasteKind
from opentrakt.duty import Duty
from opentrakt.ratings.models import LOVED_FROM

log = logging.getLogger("opentrakt.duty")

NEIGHBOURS = 50  # kept per item
# Bounds on the counting for very popular items, whose lists barely change with them: co-likes
# are counted over at most MAX_LIKERS of an item's likers, and only the MAX_CANDIDATES items
# most often liked together with it are ranked by cosine (the counting runs in C; the ranking
# is a Python step per candidate).
MAX_LIKERS = 1_000
MAX_CANDIDATES = 2_000
REFRESH_AFTER = 300  # seconds: the shortest time between refreshes
REFRESH_EVERY = 30  # a refresh waits this many times as long as the last one took
ABANDONED_AFTER = 6 * 3600  # seconds after which an unfinished refresh is taken over
OFFLOAD_FROM = 200_000  # likes from which the count runs in a process of its own
WRITE_BATCH = 500  # items whose lists are rewritten in one transaction

NEIGHBOUR_TABLES: dict[TasteKind, Table] = {"movie": movie_neighbours, "show": show_neighbours}
REFRESH_NAME = "neighbours"


@dataclass(frozen=True, slots=True)
class Neighbour:
    item_id: int
    similarity: float
    likers: int


async def _likes(conn: AsyncConnection, kind: TasteKind) -> dict[int, list[int]]:
    """Everyone's likes (plays, and ratings in the loved range), as user → liked items."""
    t = KINDS[kind]
    liked: dict[int, set[int]] = {}
    queries = (
        select(t.plays.c.user_id, t.plays.c[t.key]).distinct(),
        select(t.ratings.c.user_id, t.ratings.c[t.key]).where(t.ratings.c.rating >= LOVED_FROM),
    )
    for query in queries:
        for user_id, item_id in await conn.execute(query):
            liked.setdefault(user_id, set()).add(item_id)
    return {user_id: sorted(items) for user_id, items in liked.items()}


def most_similar(liked: dict[int, list[int]], limit: int = NEIGHBOURS) -> dict[int, list[Neighbour]]:
    """Each item liked by at least two people → its ``limit`` most similar items, most similar
    first (ties to the item more people like, then the older one)."""
    likers: dict[int, list[int]] = {}
    for user_id, items in liked.items():
        for item_id in items:
            likers.setdefault(item_id, []).append(user_id)
    counts = {item_id: len(people) for item_id, people in likers.items()}
    lists: dict[int, list[Neighbour]] = {}
    for item_id, people in likers.items():
        if len(people) < 2:
            continue  # no one else to share it with
        together: Counter[int] = Counter()
        for user_id in people[:MAX_LIKERS]:
            together.update(liked[user_id])
        del together[item_id]
        # Counted on a sample of the likers when there are more: scaled back to all of them.
        share = max(1.0, len(people) / MAX_LIKERS)
        pairs = together.most_common(MAX_CANDIDATES) if len(together) > MAX_CANDIDATES else together.items()
        # For one item the order by cosine is the order by together / sqrt(likers(neighbour)).
        best = heapq.nlargest(
            limit, pairs, key=lambda pair: (pair[1] / math.sqrt(counts[pair[0]]), counts[pair[0]], -pair[0])
        )
        lists[item_id] = [
            Neighbour(other, min(1.0, n * share / math.sqrt(len(people) * counts[other])), counts[other])
            for other, n in best
        ]
    return lists


async def _count_aside(liked: dict[int, list[int]]) -> dict[int, list[Neighbour]]:
    """``most_similar`` away from the event loop: a large count in a process of its own (a thread
    would hold the interpreter lock and slow every request this process serves meanwhile), a
    small one in a thread, where starting a process would cost more than the count."""
    if sum(map(len, liked.values())) < OFFLOAD_FROM:
        return await asyncio.to_thread(most_similar, liked)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return await asyncio.get_running_loop().run_in_executor(pool, most_similar, liked)


async def _write(engine: AsyncEngine, kind: TasteKind, lists: dict[int, list[Neighbour]]) -> None:
    table = NEIGHBOUR_TABLES[kind]
    key = KINDS[kind].key
    async with engine.connect() as conn:
        stale = set((await conn.execute(select(table.c[key]).distinct())).scalars()) - lists.keys()
    items = sorted(lists)
    for start in range(0, len(items), WRITE_BATCH):
        batch = items[start : start + WRITE_BATCH]
        rows = [
            {
                key: item_id,
                "neighbour_id": n.item_id,
                "similarity": n.similarity,
                "neighbour_likers": n.likers,
            }
            for item_id in batch
            for n in lists[item_id]
        ]
        async with engine.connect() as conn:
            conn = await write_connection(conn)
            async with conn.begin():
                await _delete(conn, table, key, batch)
                if rows:
                    await conn.execute(insert(table), rows)
    async with engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            await _delete(conn, table, key, sorted(stale))


async def _delete(conn: AsyncConnection, table: Table, key: str, items: Iterable[int]) -> None:
    for batch in id_batches(conn, list(items)):
        await conn.execute(delete(table).where(in_ids(conn, table.c[key], batch)))


async def refresh_neighbours(engine: AsyncEngine, *, now: int) -> None:
    """Recompute every item's neighbours, for movies and shows, now."""
    started = time.perf_counter()
    for kind in NEIGHBOUR_TABLES:
        async with engine.connect() as conn:
            liked = await _likes(conn, kind)
        lists = await _count_aside(liked)
        await _write(engine, kind, lists)
    async with engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            await _ensure_row(conn)
            await conn.execute(
                update(discovery_refreshes)
                .where(discovery_refreshes.c.name == REFRESH_NAME)
                .values(started_at=now, finished_at=now + math.ceil(time.perf_counter() - started))
            )


async def _ensure_row(conn: AsyncConnection) -> None:
    await conn.execute(
        insert_ignore(conn, discovery_refreshes).values(name=REFRESH_NAME, started_at=0, finished_at=0)
    )


async def _claim(engine: AsyncEngine, now: int) -> bool:
    """Whether this process should refresh now; if so, the claim is recorded."""
    async with engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            await _ensure_row(conn)
            started, finished = (
                await conn.execute(
                    select(discovery_refreshes.c.started_at, discovery_refreshes.c.finished_at).where(
                        discovery_refreshes.c.name == REFRESH_NAME
                    )
                )
            ).one()
            # A claim not yet finished is another process's refresh in progress: leave it to that
            # process unless it has been going for so long that the process must have died.
            wait = REFRESH_EVERY * (finished - started) if finished >= started else ABANDONED_AFTER
            if now - started < max(REFRESH_AFTER, wait):
                return False
            claimed = await conn.execute(
                update(discovery_refreshes)
                .where(
                    discovery_refreshes.c.name == REFRESH_NAME, discovery_refreshes.c.started_at == started
                )
                .values(started_at=now)
            )
            return claimed.rowcount == 1


async def refresh_if_due(engine: AsyncEngine, now: int) -> bool:
    """Refresh when it is due and no other process has claimed it; whether this one did."""
    if not await _claim(engine, now):
        return False
    await refresh_neighbours(engine, now=now)
    return True


async def neighbours_of(
    conn: AsyncConnection, kind: TasteKind, item_ids: list[int]
) -> dict[int, list[Neighbour]]:
    """The stored lists of some items (an item without one has none yet)."""
    table = NEIGHBOUR_TABLES[kind]
    key = KINDS[kind].key
    found: dict[int, list[Neighbour]] = {}
    for batch in id_batches(conn, item_ids):
        rows = await conn.execute(
            select(table.c[key], table.c.neighbour_id, table.c.similarity, table.c.neighbour_likers).where(
                in_ids(conn, table.c[key], batch)
            )
        )
        for item_id, other, similarity, likers in rows:
            found.setdefault(item_id, []).append(Neighbour(other, similarity, likers))
    return found


class NeighbourDuty(Duty):
    """Refreshes the neighbour lists when a refresh is due."""

    name = "neighbour-duty"

    async def run_once(self) -> None:
        if await refresh_if_due(self.runtime.engine, self.runtime.clock.now()):
            log.debug("refreshed the recommendation neighbours")
