"""Reading the activity stream: v1 types, filters, scopes, visibility, and batched loading."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import User
from opentrakt.runtime import Runtime
from opentrakt.social.activity import (
    PAGE_SIZE,
    ActivityFilter,
    ActivityScope,
    episode_scope,
    feed_type,
    read_activity,
)
from opentrakt.social.activity_refs import load_refs
from opentrakt.social.events import ActivityEvent, record_events
from opentrakt.social.profile_stats import EMPTY_STATS, profile_stats
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.conftest import START
from tests.social.cast import SEES_OWNER, make_cast
from tests.support import make_user


async def _user(runtime: Runtime, name: str) -> User:
    async with runtime.engine.connect() as conn:
        return await accounts.require_user(conn, name)


async def _write(runtime: Runtime, *events: ActivityEvent) -> None:
    async with catalog_writer(runtime) as conn:
        await record_events(conn, events)


async def _read(
    runtime: Runtime,
    viewer: User | None,
    scope: ActivityScope = ActivityScope(),
    filters: ActivityFilter = ActivityFilter(),
) -> list[tuple[int, str, str]]:
    async with runtime.engine.connect() as conn:
        page = await read_activity(conn, viewer, scope, filters)
    return [(a.created_at - START, a.type, a.action) for a in page]


@pytest.mark.parametrize(
    ("action", "item_type", "list_id", "expected"),
    [
        ("seen", "movie", None, "movie"),
        ("seen", "episode", None, "episode"),
        ("seen", "season", None, "episode"),
        ("collection", "show", None, "episode"),
        ("rating", "show", None, "show"),
        ("watchlist", "show", None, "show"),
        ("created", "list", 7, "list"),
        ("item_added", "show", 7, "list"),
    ],
)
def test_feed_type(action: str, item_type: str, list_id: int | None, expected: str) -> None:
    assert feed_type(action, item_type, list_id) == expected


async def test_filters_and_undo_actions(runtime: Runtime) -> None:
    await make_user(runtime, "alice")
    alice = await _user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        movie = await add_movie(conn, "Heat", 1995)
        show = await add_show(conn, "Dexter", 2006)
    await _write(
        runtime,
        ActivityEvent(alice.id, START + 1, "collection", "movie", movie_id=movie),
        ActivityEvent(alice.id, START + 2, "uncollection", "movie", movie_id=movie),
        ActivityEvent(alice.id, START + 3, "collection", "show", show_id=show, payload={"episodes": 0}),
        ActivityEvent(alice.id, START + 4, "watchlist", "show", show_id=show),
        ActivityEvent(alice.id, START + 5, "unwatchlist", "show", show_id=show),
    )
    assert await _read(runtime, alice) == [
        (4, "show", "watchlist"),
        (3, "episode", "collection"),
        (1, "movie", "collection"),
    ]
    assert await _read(runtime, alice, filters=ActivityFilter(types=frozenset({"show"}))) == [
        (4, "show", "watchlist")
    ]
    assert await _read(
        runtime, alice, filters=ActivityFilter(actions=frozenset({"collection"}), start=START + 2)
    ) == [(3, "episode", "collection")]
    assert await _read(runtime, alice, filters=ActivityFilter(actions=frozenset({"uncollection"}))) == []
    assert await _read(runtime, alice, filters=ActivityFilter(end=START + 1)) == [(1, "movie", "collection")]
    assert await _read(runtime, alice, ActivityScope(user_ids=[])) == []


async def test_cap_and_tie_order(runtime: Runtime) -> None:
    await make_user(runtime, "alice")
    alice = await _user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        movie = await add_movie(conn, "Heat", 1995)
    await _write(
        runtime, *(ActivityEvent(alice.id, START, "seen", "movie", movie_id=movie) for _ in range(150))
    )
    async with runtime.engine.connect() as conn:
        page = await read_activity(conn, None, ActivityScope(), ActivityFilter())
    assert len(page) == PAGE_SIZE
    assert [a.id for a in page] == sorted((a.id for a in page), reverse=True)  # the later-written first


@pytest.mark.parametrize("name", ["owner", "friend", "pending", "fan", "stranger", None])
async def test_visibility(runtime: Runtime, name: str | None) -> None:
    cast = await make_cast(runtime)
    async with catalog_writer(runtime) as conn:
        movie = await add_movie(conn, "Heat", 1995)
    await _write(
        runtime,
        ActivityEvent(cast.owner.user_id, START, "seen", "movie", movie_id=movie),
        ActivityEvent(cast.stranger.user_id, START + 1, "seen", "movie", movie_id=movie),
    )
    viewer = None if name is None else await _user(runtime, name)
    assert len(await _read(runtime, viewer)) == (2 if SEES_OWNER[name] else 1)
    owner_only = await _read(runtime, viewer, ActivityScope(user_ids=[cast.owner.user_id]))
    assert len(owner_only) == (1 if SEES_OWNER[name] else 0)


async def test_episode_scope_reads_bulk_payloads(runtime: Runtime) -> None:
    await make_user(runtime, "alice")
    alice = await _user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "Dexter", 2006)
        other = await add_show(conn, "Lost", 2004)
        e11, e12 = await add_episode(conn, show, 1, 1), await add_episode(conn, show, 1, 2)
        e21 = await add_episode(conn, show, 2, 1)
    await _write(
        runtime,
        ActivityEvent(
            alice.id, START + 1, "seen", "episode", show_id=show, payload={"episode_ids": [e11, e12]}
        ),
        ActivityEvent(alice.id, START + 2, "seen", "episode", show_id=show, episode_id=e21),
        ActivityEvent(alice.id, START + 3, "collection", "season", show_id=show, season=2),
        ActivityEvent(alice.id, START + 4, "rating", "show", show_id=show),
        ActivityEvent(alice.id, START + 5, "seen", "show", show_id=show),
        ActivityEvent(alice.id, START + 6, "seen", "show", show_id=other),
        # Many events of other episodes: the scan must page past them.
        *(
            ActivityEvent(alice.id, START + 10, "watchlist", "episode", show_id=show, episode_id=e21)
            for _ in range(900)
        ),
    )
    async with runtime.engine.connect() as conn:
        season_one = await episode_scope(conn, [show], [1])
        episode_two = await episode_scope(conn, [show], [1], [2])
    assert await _read(runtime, alice, season_one) == [(5, "episode", "seen"), (1, "episode", "seen")]
    assert await _read(runtime, alice, episode_two, ActivityFilter(actions=frozenset({"seen"}))) == [
        (5, "episode", "seen"),
        (1, "episode", "seen"),
    ]
    async with runtime.engine.connect() as conn:
        season_two = await episode_scope(conn, [show], [2])
    page = await _read(runtime, alice, season_two, ActivityFilter(end=START + 9))
    assert page == [(5, "episode", "seen"), (3, "episode", "collection"), (2, "episode", "seen")]


@contextmanager
def _counting(runtime: Runtime) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)


async def test_a_full_page_loads_in_a_fixed_number_of_queries(runtime: Runtime) -> None:
    ids = [(await make_user(runtime, f"user{n}")).user_id for n in range(10)]
    async with catalog_writer(runtime) as conn:
        movies = [await add_movie(conn, f"Movie {n}", 2000) for n in range(30)]
        show = await add_show(conn, "Dexter", 2006)
        episodes = [await add_episode(conn, show, 1, n) for n in range(1, 31)]
    await _write(
        runtime,
        *(ActivityEvent(ids[n % 10], START + n, "seen", "movie", movie_id=movies[n % 30]) for n in range(60)),
        *(
            ActivityEvent(
                ids[n % 10], START + n, "seen", "episode", show_id=show, episode_id=episodes[n % 30]
            )
            for n in range(60)
        ),
    )
    with _counting(runtime) as statements:
        async with runtime.engine.connect() as conn:
            page = await read_activity(conn, None, ActivityScope(), ActivityFilter())
            refs = await load_refs(conn, page)
    assert len(page) == PAGE_SIZE and len(refs.users) == 10
    assert len(statements) <= 10


async def test_profile_stats_of_a_new_user_are_zero(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with runtime.engine.connect() as conn:
        assert await profile_stats(conn, alice.user_id) == EMPTY_STATS
