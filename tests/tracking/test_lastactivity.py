"""The last-activity summary: moves on each action and its undo, only when something changed."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.clock import FrozenClock
from opentrakt.errors import Invalid
from opentrakt.tracking import episodes, movies, shows
from opentrakt.tracking.batches import EpisodeSeen, MovieSeen
from opentrakt.tracking.lastactivity import last_activity, touch_last_activity
from tests.tracking.factories import add_episodes, add_movie, add_show, aired_season


async def test_a_new_user_has_zeros_with_the_exact_keys(conn: AsyncConnection, user_id: int) -> None:
    summary = await last_activity(conn, user_id)
    assert summary.all == 0
    assert list(summary.movie) == [
        "watched",
        "scrobble",
        "seen",
        "checkin",
        "collection",
        "rating",
        "watchlist",
        "comment",
        "review",
        "shout",
    ]
    assert list(summary.show) == ["rating", "watchlist", "comment", "review", "shout"]
    assert list(summary.episode) == list(summary.movie)
    assert set(summary.movie.values()) | set(summary.show.values()) | set(summary.episode.values()) == {0}


async def test_movie_actions_and_their_undos(conn: AsyncConnection, user_id: int, clock: FrozenClock) -> None:
    movie = await add_movie(conn, "Heat", 1995)

    await movies.mark_movies_seen(conn, user_id, [MovieSeen(movie, last_played=1_000)], clock.now())
    seen_at = clock.now()
    summary = await last_activity(conn, user_id)
    assert (summary.movie["seen"], summary.movie["watched"], summary.all) == (seen_at, seen_at, seen_at)

    clock.advance(60)
    await movies.mark_movies_unseen(conn, user_id, [movie], clock.now())
    summary = await last_activity(conn, user_id)
    assert (summary.movie["seen"], summary.movie["watched"]) == (clock.now(), clock.now())

    clock.advance(60)
    await movies.record_movie_play(conn, user_id, movie, clock.now(), "scrobble")
    summary = await last_activity(conn, user_id)
    assert (summary.movie["scrobble"], summary.movie["watched"]) == (clock.now(), clock.now())
    assert summary.movie["seen"] == clock.now() - 60

    clock.advance(60)
    await movies.add_movies_to_collection(conn, user_id, [movie], clock.now())
    assert (await last_activity(conn, user_id)).movie["collection"] == clock.now()
    clock.advance(60)
    await movies.remove_movies_from_collection(conn, user_id, [movie], clock.now())
    assert (await last_activity(conn, user_id)).movie["collection"] == clock.now()

    clock.advance(60)
    await movies.add_movies_to_watchlist(conn, user_id, [movie], clock.now())
    clock.advance(60)
    await movies.remove_movies_from_watchlist(conn, user_id, [movie], clock.now())
    summary = await last_activity(conn, user_id)
    assert summary.movie["watchlist"] == clock.now() == summary.all
    assert summary.episode["watched"] == 0


async def test_nothing_changed_moves_nothing(conn: AsyncConnection, user_id: int, clock: FrozenClock) -> None:
    movie = await add_movie(conn, "Heat", 1995)
    await movies.add_movies_to_collection(conn, user_id, [movie], clock.now())
    before = await last_activity(conn, user_id)
    clock.advance(600)
    await movies.add_movies_to_collection(conn, user_id, [movie], clock.now())
    await movies.remove_movies_from_watchlist(conn, user_id, [movie], clock.now())
    assert await last_activity(conn, user_id) == before


async def test_episode_and_show_keys(conn: AsyncConnection, user_id: int, clock: FrozenClock) -> None:
    show_id = await add_show(conn, "Community", 2009)
    ep = await add_episodes(conn, show_id, aired_season(1, 3))
    await episodes.mark_episodes_seen(conn, user_id, show_id, [EpisodeSeen(ep[1, 1])], clock.now())
    clock.advance(10)
    await episodes.record_episode_play(conn, user_id, ep[1, 1], clock.now() - 5, "checkin", now=clock.now())
    clock.advance(10)
    await shows.add_show_to_collection(conn, user_id, show_id, clock.now())
    clock.advance(10)
    await shows.add_shows_to_watchlist(conn, user_id, [show_id], clock.now())
    clock.advance(10)
    await episodes.add_episodes_to_watchlist(conn, user_id, show_id, [ep[1, 3]], clock.now())
    clock.advance(10)
    await shows.mark_show_seen(conn, user_id, show_id, clock.now())
    now = clock.now()
    summary = await last_activity(conn, user_id)
    assert summary.episode["seen"] == now
    assert summary.episode["watched"] == now
    assert summary.episode["checkin"] == now - 40
    assert summary.episode["collection"] == now - 30
    assert summary.show["watchlist"] == now - 20
    assert summary.episode["watchlist"] == now - 10
    assert summary.movie["watched"] == 0
    assert summary.all == now


async def test_timestamps_never_move_back(conn: AsyncConnection, user_id: int) -> None:
    await touch_last_activity(conn, user_id, [("movie", "rating")], 2_000)
    await touch_last_activity(conn, user_id, [("movie", "rating"), ("show", "shout")], 1_000)
    summary = await last_activity(conn, user_id)
    assert (summary.movie["rating"], summary.show["shout"], summary.all) == (2_000, 1_000, 2_000)


async def test_unknown_keys_are_refused(conn: AsyncConnection, user_id: int) -> None:
    with pytest.raises(Invalid):
        await touch_last_activity(conn, user_id, [("show", "seen")], 1)
