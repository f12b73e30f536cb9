"""The newest plays of several users, read in one go."""

from __future__ import annotations

from sqlalchemy import insert

from opentrakt.db.tables.tracking import episode_plays, movie_plays
from opentrakt.runtime import Runtime
from opentrakt.social.recent_plays import RecentPlay, recent_plays
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.conftest import START
from tests.support import make_user


async def test_each_users_newest_plays_of_each_kind(runtime: Runtime) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    carol = await make_user(runtime, "carol")
    async with catalog_writer(runtime) as conn:
        movies = [await add_movie(conn, f"Film {n}", 2000 + n) for n in range(3)]
        show = await add_show(conn, "Portlandia", 2011)
        episode = await add_episode(conn, show, 1, 1)
        await conn.execute(
            insert(movie_plays),
            [
                {
                    "user_id": alice.user_id,
                    "movie_id": m,
                    "watched_at": START + n,
                    "action": "seen",
                    "count": 1,
                }
                for n, m in enumerate(movies)
            ]
            + [
                {
                    "user_id": bob.user_id,
                    "movie_id": movies[0],
                    "watched_at": START,
                    "action": "checkin",
                    "count": 1,
                }
            ],
        )
        await conn.execute(
            insert(episode_plays).values(
                user_id=alice.user_id,
                episode_id=episode,
                show_id=show,
                watched_at=START + 1,
                action="scrobble",
                count=1,
            )
        )
        found = await recent_plays(conn, [alice.user_id, bob.user_id, carol.user_id], limit=2)
    assert found[alice.user_id] == [
        RecentPlay("movie", START + 2, "seen", movie_id=movies[2]),
        RecentPlay("episode", START + 1, "scrobble", episode_id=episode, show_id=show),
        RecentPlay("movie", START + 1, "seen", movie_id=movies[1]),
    ]
    assert found[bob.user_id] == [RecentPlay("movie", START, "checkin", movie_id=movies[0])]
    assert carol.user_id not in found
