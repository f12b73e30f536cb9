"""Ranked search over movie, show and episode titles, people's names and usernames.

Results come in tiers (see ``Tier``): exact matches, then texts starting with the query, then
texts holding every word, then texts holding some of the words, each tier filled only while
the limit is not reached. Matching ignores case, accents and punctuation; every word but the
shortest and the stopwords also matches as a prefix ("uncl" finds "Uncle").

Within a tier, items rank by popularity (IMDb votes plus this server's votes, by order of
magnitude) against length (a shorter text is a closer match), then alphabetically; people and
users, having no votes, by length then alphabetically. Each tier ranks at most ``CANDIDATES``
index matches, taken in index order: a query made only of very common words answers from a
sample of its matches rather than scanning a large part of the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement, Integer, Select, String, Subquery, cast, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.discovery import search_postgres, search_sqlite
from opentrakt.discovery.search_targets import EPISODES, MOVIES, PEOPLE, SHOWS, USERS, Target, Tier
from opentrakt.discovery.search_text import SearchText, parse

CANDIDATES = 2000


async def search_movies(conn: AsyncConnection, text: str, limit: int) -> list[int]:
    """Movie ids, best match first."""
    return await _search(conn, MOVIES, text, limit)


async def search_shows(conn: AsyncConnection, text: str, limit: int) -> list[int]:
    """Show ids, best match first."""
    return await _search(conn, SHOWS, text, limit)


async def search_episodes(conn: AsyncConnection, text: str, limit: int) -> list[int]:
    """Episode ids by episode title, best match first."""
    return await _search(conn, EPISODES, text, limit)


async def search_people(conn: AsyncConnection, text: str, limit: int) -> list[int]:
    """Person ids by name, best match first."""
    return await _search(conn, PEOPLE, text, limit)


async def search_users(conn: AsyncConnection, text: str, limit: int) -> list[int]:
    """User ids by username, best match first."""
    return await _search(conn, USERS, text, limit)


async def _search(conn: AsyncConnection, target: Target, text: str, limit: int) -> list[int]:
    parsed = parse(text)
    if parsed is None or limit <= 0:
        return []
    backend = search_postgres if conn.dialect.name == "postgresql" else search_sqlite
    found: dict[int, None] = {}  # ordered set
    for tier in _tiers(parsed):
        if len(found) >= limit:
            break
        hits = backend.candidates(target, tier, parsed, CANDIDATES)
        # Higher tiers' results come back again here; ask for enough to skip them.
        for (item_id,) in await conn.execute(_ranked(hits, limit)):
            if len(found) < limit:
                found.setdefault(item_id, None)
    return list(found)


def _tiers(text: SearchText) -> Iterator[Tier]:
    yield Tier.EXACT
    if text.prefix_tier:
        yield Tier.STARTS_WITH
    yield Tier.ALL_WORDS
    if text.partial_terms != text.terms or len(text.terms) > 1:
        yield Tier.PARTIAL


def _magnitude(votes: ColumnElement[int]) -> ColumnElement[int]:
    """About ten times log10: digits, then the leading digit (0 → 10, 8,400 → 48, 1.6M → 71).
    Plain string functions, so both backends rank alike without SQLite's optional math functions."""
    digits = cast(votes, String)
    return func.length(digits) * 10 + cast(func.substr(digits, 1, 1), Integer)


def _ranked(hits: Subquery, limit: int) -> Select:
    # Ten times more votes outweigh twenty more characters; people and users have no votes.
    score = _magnitude(hits.c.votes) * 2 - func.length(hits.c.key)
    return (
        select(hits.c.id)
        .order_by(hits.c.matched.desc(), score.desc(), hits.c.votes.desc(), hits.c.key, hits.c.id)
        .limit(limit)
    )
