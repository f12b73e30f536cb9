"""Personal recommendations by item-to-item collaborative filtering, and their dismissal.

For each item the user played or rated (a *seed*, weighted by how much they liked it), its
precomputed neighbours (``discovery.neighbours``: the items most liked by the same people, by
cosine similarity) become candidates; a candidate's score sums its similarity to every seed
(each seed's list scaled to sum to 1) times the seed's weight (hated seeds weigh against) and
by how recent the seed is (the user's latest play or rating of it). A request reads one list per seed, for at most ``MAX_SEEDS`` of
the user's most recent seeds, so its cost does not grow with the number of people on the
server nor with the length of the user's history.

Users with too little history to have neighbours (new users) get the most liked items in the
genres of whatever they did show interest in (everything, when nothing), and those fill the list
after the collaborative results for everyone else. Nothing the user played, rated, collected,
watchlisted or dismissed is ever recommended.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import id_batches, in_ids, insert_ignore
from opentrakt.discovery.neighbours import neighbours_of
from opentrakt.discovery.taste import (
    KINDS,
    Filters,
    KindTables,
    TasteKind,
    candidate_conditions,
    likes,
    seed_times,
    taste_items,
    user_seeds,
)

RECOMMENDATIONS_LIMIT = 50
# How much less each older seed counts than the next newer one, and how many seeds are read.
# On MovieLens (bench/recommend_quality.py) this recency weighting lifted the hit rate at 10
# from 0.456 to 0.525; past 100 seeds the weights are too small to change the order.
RECENCY = 0.93
MAX_SEEDS = 100


@dataclass(frozen=True, slots=True)
class Recommendation:
    item_id: int
    score: float  # collaborative score; 0 for popular fill-ins
    popular: bool  # a fallback pick: liked by many in the user's genres


async def _collaborative(
    conn: AsyncConnection, t: KindTables, kind: TasteKind, user_id: int, filters: Filters
) -> list[Recommendation]:
    weights = await user_seeds(conn, t, user_id)
    if not weights:
        return []
    times = await seed_times(conn, t, user_id)
    # Newest first: a seed counts RECENCY times as much as the next newer one, so what the user
    # watched lately steers most, and seeds past MAX_SEEDS would no longer change the order.
    recent = sorted(weights, key=lambda item: (-times.get(item, 0), item))[:MAX_SEEDS]
    weights = {item: weights[item] * RECENCY**rank for rank, item in enumerate(recent)}
    lists = await neighbours_of(conn, kind, recent)
    candidates = {n.item_id for found in lists.values() for n in found}
    allowed = await _allowed(conn, t, user_id, filters, candidates)
    scores: dict[int, float] = {}
    likers: dict[int, int] = {}
    for seed, found in lists.items():
        # Each seed's similarities are scaled to sum to 1, so a seed with many middling
        # neighbours does not outvote one with a few close ones (Deshpande & Karypis).
        share = weights[seed] / sum(n.similarity for n in found)
        for n in found:
            if n.item_id in allowed:
                scores[n.item_id] = scores.get(n.item_id, 0.0) + share * n.similarity
                likers[n.item_id] = n.likers
    ranked = sorted(
        (item for item, score in scores.items() if score > 0),
        key=lambda item: (-scores[item], -likers[item], item),
    )
    return [Recommendation(item_id=item, score=scores[item], popular=False) for item in ranked]


async def _allowed(
    conn: AsyncConnection, t: KindTables, user_id: int, filters: Filters, candidates: set[int]
) -> set[int]:
    """The candidates the user may be recommended: not excluded, inside the filters."""
    # Aliased, so that the filters' correlated checks on the items table stay subqueries.
    items = t.items.alias("candidate").c.id
    allowed: set[int] = set()
    for batch in id_batches(conn, sorted(candidates)):
        rows = await conn.execute(
            select(items).where(in_ids(conn, items, batch), *candidate_conditions(t, items, user_id, filters))
        )
        allowed.update(rows.scalars())
    return allowed


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
    found = (await _collaborative(conn, t, kind, user_id, filters))[:limit]
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
