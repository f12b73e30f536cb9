"""Unique slugs for a whole batch of new rows, with a handful of queries rather than one per row.

Each new row brings its preferred slugs (``["dexter", "dexter-2006"]``); the first one free in
the table and in the batch wins. When all are taken, numeric suffixes on the last preference are
tried (``dexter-2006-2``, ``-3``, …) in windows that grow, so even a name shared by hundreds of
people costs a few queries. Rows are served in file order, so the same dump gives the same slugs;
existing rows keep theirs, which is what keeps a re-import's slugs stable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import TypeVar

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.text import with_suffix
from opentrakt.db.sql import select_in

K = TypeVar("K", bound=Hashable)

_FIRST_WINDOW = 8


async def allocate(
    conn: AsyncConnection, table: Table, wanted: Sequence[tuple[K, list[str]]]
) -> dict[K, str]:
    """A free slug in ``table`` for each key, given its preferences, distinct within the batch."""
    column = table.c.slug
    taken = {row[0] for row in await select_in(conn, select(column), column, _all_preferences(wanted))}
    chosen: dict[K, str] = {}
    waiting: dict[str, list[K]] = defaultdict(list)  # last preference → keys needing a suffix
    for key, preferences in wanted:
        free = next((slug for slug in preferences if slug not in taken), None)
        if free is None:
            waiting[preferences[-1]].append(key)
        else:
            chosen[key] = free
            taken.add(free)
    next_suffix = dict.fromkeys(waiting, 2)
    window = {base: max(_FIRST_WINDOW, 2 * len(keys)) for base, keys in waiting.items()}
    while waiting:
        candidates = {
            base: [with_suffix(base, n) for n in range(next_suffix[base], next_suffix[base] + window[base])]
            for base in waiting
        }
        flat = [slug for slugs in candidates.values() for slug in slugs]
        taken.update(row[0] for row in await select_in(conn, select(column), column, flat))
        for base in list(waiting):
            free = iter([slug for slug in candidates[base] if slug not in taken])
            keys = waiting[base]
            while keys:
                slug = next(free, None)
                if slug is None:
                    break
                chosen[keys.pop(0)] = slug
                taken.add(slug)
            if keys:
                next_suffix[base] += window[base]
                window[base] *= 2
            else:
                del waiting[base]
    return chosen


def _all_preferences(wanted: Sequence[tuple[K, list[str]]]) -> list[str]:
    return [slug for _key, preferences in wanted for slug in preferences]
