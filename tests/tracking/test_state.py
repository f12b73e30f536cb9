"""Per-user item states (v1's watched/plays/in_collection/in_watchlist/rating fields)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.accounts.passwords import sha1_hex
from opentrakt.accounts.service import create_user, get_user_by_id
from opentrakt.db.tables.ratings import episode_ratings, movie_ratings, show_ratings
from opentrakt.errors import Invalid
from opentrakt.runtime import Runtime
from opentrakt.tracking import episodes, movies, shows
from opentrakt.tracking.batches import EpisodeSeen, MovieSeen
from opentrakt.tracking.models import NO_STATE, ItemUserState
from opentrakt.tracking.state import item_states
from tests.conftest import START
from tests.tracking.factories import add_episodes, add_movie, add_show, aired_season


@pytest.fixture
async def user(conn: AsyncConnection, user_id: int) -> User:
    found = await get_user_by_id(conn, user_id)
    assert found is not None
    return found


async def test_movie_states(conn: AsyncConnection, user: User) -> None:
    heat = await add_movie(conn, "Heat", 1995)
    alien = await add_movie(conn, "Alien", 1979)
    other = await add_movie(conn, "Brazil", 1985)
    await movies.mark_movies_seen(conn, user.id, [MovieSeen(heat, plays=3)], START)
    await movies.record_movie_play(conn, user.id, heat, START, "scrobble")
    await movies.add_movies_to_collection(conn, user.id, [heat], START)
    await movies.add_movies_to_watchlist(conn, user.id, [alien], START)
    await conn.execute(
        insert(movie_ratings).values(user_id=user.id, movie_id=alien, rating=9, rated_at=START)
    )

    states = await item_states(conn, user, "movie", [heat, alien, other, 424242])
    assert states == {
        heat: ItemUserState(plays=4, in_collection=True),
        alien: ItemUserState(in_watchlist=True, rating=9),
        other: NO_STATE,
        424242: NO_STATE,
    }


async def test_show_and_episode_states(conn: AsyncConnection, user: User) -> None:
    show_id = await add_show(conn, "Community", 2009)
    other_show = await add_show(conn, "Dexter", 2006)
    ep = await add_episodes(conn, show_id, aired_season(1, 3))
    await episodes.mark_episodes_seen(
        conn, user.id, show_id, [EpisodeSeen(ep[1, 1]), EpisodeSeen(ep[1, 2])], START
    )
    await episodes.record_episode_play(conn, user.id, ep[1, 1], START, "scrobble")
    await episodes.add_episodes_to_collection(conn, user.id, show_id, [ep[1, 2], ep[1, 3]], START)
    await episodes.add_episodes_to_watchlist(conn, user.id, show_id, [ep[1, 3]], START)
    await shows.add_shows_to_watchlist(conn, user.id, [other_show], START)
    await conn.execute(
        insert(show_ratings).values(user_id=user.id, show_id=show_id, rating=10, rated_at=START)
    )
    await conn.execute(
        insert(episode_ratings).values(
            user_id=user.id, episode_id=ep[1, 2], show_id=show_id, rating=2, rated_at=START
        )
    )

    assert await item_states(conn, user, "show", [show_id, other_show]) == {
        show_id: ItemUserState(plays=3, in_collection=True, rating=10),
        other_show: ItemUserState(in_watchlist=True),
    }
    assert await item_states(conn, user, "episode", [ep[1, 1], ep[1, 2], ep[1, 3]]) == {
        ep[1, 1]: ItemUserState(plays=2),
        ep[1, 2]: ItemUserState(plays=1, in_collection=True, rating=2),
        ep[1, 3]: ItemUserState(in_collection=True, in_watchlist=True),
    }


async def test_states_are_the_callers_own(conn: AsyncConnection, user: User) -> None:
    heat = await add_movie(conn, "Heat", 1995)
    await movies.mark_movies_seen(conn, user.id, [MovieSeen(heat)], START)
    bob, _ = await create_user(
        conn, username="bob", email="bob@example.org", password_sha1=sha1_hex("secret"), now=START
    )
    assert await item_states(conn, bob, "movie", [heat]) == {heat: NO_STATE}


async def test_one_query_for_a_page_and_few_for_thousands(
    conn: AsyncConnection, user: User, runtime: Runtime
) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
    try:
        await item_states(conn, user, "episode", list(range(1, 101)))
        assert len(statements) == 1
        statements.clear()
        states = await item_states(conn, user, "movie", list(range(1, 2001)))
        assert len(states) == 2000
        assert len(statements) <= 10
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)


async def test_unknown_kind_is_refused(conn: AsyncConnection, user: User) -> None:
    with pytest.raises(Invalid):
        await item_states(conn, user, "season", [1])  # type: ignore[arg-type]
