"""Personal recommendations by item-to-item collaborative filtering, and their dismissal.

For each item the user played or rated (a *seed*, weighted by how much they liked it), the
people who also liked it are found, and the other items those people liked become candidates.
Two items are as similar as the cosine of their sets of likers,
``together / sqrt(likers(seed) × likers(candidate))``, so blockbusters everyone has seen do not
crowd out the items that specifically go with the user's own; a candidate's score sums its
similarity to every seed times the seed's weight (hated seeds weigh against).

Users with too little history to have neighbours (new users) get the most liked items in the
genres of whatever they did show interest in (everything, when nothing), and those fill the list
after the collaborative results for everyone else. Nothing the user played, rated, collected,
watchlisted or dismissed is ever recommended.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.discovery.taste import (
    KINDS,
    Filters,
    KindTables,
    TasteKind,
    candidate_conditions,
    likes,
    seed_items,
    taste_items,
    user_seeds,
)
from opentrakt.tracking.sql import id_batches, in_ids, insert_ignore

RECOMMENDATIONS_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Recommendation:
    item_id: int
    score: float  # collaborative score; 0 for popular fill-ins
    popular: bool  # a fallback pick: liked by many in the user's genres


async def _co_likes(
    conn: AsyncConnection, t: KindTables, user_id: int, filters: Filters
) -> list[tuple[int, int, int]]:
    """(candidate, seed, people who liked both) for every seed of the user, in one query."""
    mine, theirs = likes(t).alias("mine"), likes(t).alias("theirs")
    together = func.count(distinct(mine.c.user_id))
    rows = await conn.execute(
        select(theirs.c.item, mine.c.item, together)
        .select_from(
            mine.join(theirs, and_(theirs.c.user_id == mine.c.user_id, theirs.c.item != mine.c.item))
        )
        .where(
            mine.c.item.in_(seed_items(t, user_id)),
            mine.c.user_id != user_id,
            *candidate_conditions(t, theirs.c.item, user_id, filters),
        )
        .group_by(theirs.c.item, mine.c.item)
    )
    return [(int(candidate), int(seed), int(count)) for candidate, seed, count in rows]


async def _likers(conn: AsyncConnection, t: KindTables, items: list[int]) -> dict[int, int]:
    """How many people like each item."""
    liked = likes(t)
    counts: dict[int, int] = {}
    for batch in id_batches(conn, items):
        rows = await conn.execute(
            select(liked.c.item, func.count(distinct(liked.c.user_id)))
            .where(in_ids(conn, liked.c.item, batch))
            .group_by(liked.c.item)
        )
        counts.update((int(item), int(count)) for item, count in rows)
    return counts


async def _collaborative(
    conn: AsyncConnection, t: KindTables, user_id: int, filters: Filters
) -> list[Recommendation]:
    weights = await user_seeds(conn, t, user_id)
    if not weights:
        return []
    pairs = await _co_likes(conn, t, user_id, filters)
    likers = await _likers(conn, t, list({c for c, _, _ in pairs} | {s for _, s, _ in pairs}))
    scores: dict[int, float] = {}
    for candidate, seed, together in pairs:
        similarity = together / math.sqrt(likers[seed] * likers[candidate])
        scores[candidate] = scores.get(candidate, 0.0) + weights.get(seed, 0.0) * similarity
    ranked = sorted(
        (item for item, score in scores.items() if score > 0),
        key=lambda item: (-scores[item], -likers[item], item),
    )
    return [Recommendation(item_id=item, score=scores[item], popular=False) for item in ranked]


async def _popular(
    conn: AsyncConnection, t: KindTables, user_id: int, filters: Filters, limit: int
) -> list[Recommendation]:
    """The most liked items in the genres of the user's own items (all genres if they have none)."""
    liked = likes(t)
    link = t.genre_link
    their_genres = select(link.c.genre_id).where(link.c[t.key].in_(taste_items(t, user_id)))
    has_genres = (await conn.execute(select(func.count()).select_from(their_genres.subquery()))).scalar_one()
    conditions = candidate_conditions(t, liked.c.item, user_id, filters)
    if has_genres:
        conditions.append(liked.c.item.in_(select(link.c[t.key]).where(link.c.genre_id.in_(their_genres))))
    likers = func.count(distinct(liked.c.user_id))
    rows = await conn.execute(
        select(liked.c.item)
        .where(*conditions)
        .group_by(liked.c.item)
        .order_by(likers.desc(), liked.c.item)
        .limit(limit)
    )
    return [Recommendation(item_id=int(item), score=0.0, popular=True) for (item,) in rows]


async def recommend(
    conn: AsyncConnection,
    kind: TasteKind,
    user_id: int,
    *,
    filters: Filters | None = None,
    limit: int = RECOMMENDATIONS_LIMIT,
) -> list[Recommendation]:
    """Up to ``limit`` items for the user, best first."""
    t = KINDS[kind]
    filters = filters if filters is not None else Filters()
    found = (await _collaborative(conn, t, user_id, filters))[:limit]
    if len(found) < limit:
        seen = {item.item_id for item in found}
        extra = await _popular(conn, t, user_id, filters, limit + len(found))
        found += [item for item in extra if item.item_id not in seen][: limit - len(found)]
    return found


async def dismiss(conn: AsyncConnection, kind: TasteKind, user_id: int, item_id: int, *, now: int) -> None:
    """Never recommend the item to the user again (dismissing twice is harmless)."""
    t = KINDS[kind]
    await conn.execute(
        insert_ignore(conn, t.dismissals).values({"user_id": user_id, t.key: item_id, "dismissed_at": now})
    )
