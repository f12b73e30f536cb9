"""Personal rows for the discovery tests (plays, library, ratings, comments, lists, playback,
friendships), inserted straight into the tables so each test states exactly what exists."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.comments import comments
from opentrakt.db.tables.lists import custom_list_items, custom_lists
from opentrakt.db.tables.network import follows
from opentrakt.db.tables.playback import playback_sessions
from opentrakt.db.tables.ratings import episode_ratings, movie_ratings, show_ratings
from opentrakt.db.tables.tracking import (
    ACTION_SEEN,
    episode_collection,
    episode_plays,
    episode_watchlist,
    movie_collection,
    movie_plays,
    movie_watchlist,
    show_watchlist,
)

AT = 1_700_000_000


async def play_movie(
    conn: AsyncConnection,
    user_id: int,
    movie_id: int,
    *,
    action: str = ACTION_SEEN,
    count: int = 1,
    at: int = AT,
) -> None:
    await conn.execute(
        insert(movie_plays).values(
            user_id=user_id, movie_id=movie_id, watched_at=at, action=action, count=count
        )
    )


async def play_episode(
    conn: AsyncConnection,
    user_id: int,
    show_id: int,
    episode_id: int,
    *,
    action: str = ACTION_SEEN,
    count: int = 1,
    at: int = AT,
) -> None:
    await conn.execute(
        insert(episode_plays).values(
            user_id=user_id, show_id=show_id, episode_id=episode_id, watched_at=at, action=action, count=count
        )
    )


async def collect_movie(conn: AsyncConnection, user_id: int, movie_id: int) -> None:
    await conn.execute(insert(movie_collection).values(user_id=user_id, movie_id=movie_id, collected_at=AT))


async def collect_episode(conn: AsyncConnection, user_id: int, show_id: int, episode_id: int) -> None:
    await conn.execute(
        insert(episode_collection).values(
            user_id=user_id, show_id=show_id, episode_id=episode_id, collected_at=AT
        )
    )


async def watchlist_movie(conn: AsyncConnection, user_id: int, movie_id: int) -> None:
    await conn.execute(insert(movie_watchlist).values(user_id=user_id, movie_id=movie_id, listed_at=AT))


async def watchlist_show(conn: AsyncConnection, user_id: int, show_id: int) -> None:
    await conn.execute(insert(show_watchlist).values(user_id=user_id, show_id=show_id, listed_at=AT))


async def watchlist_episode(conn: AsyncConnection, user_id: int, show_id: int, episode_id: int) -> None:
    await conn.execute(
        insert(episode_watchlist).values(
            user_id=user_id, show_id=show_id, episode_id=episode_id, listed_at=AT
        )
    )


async def rate_movie(conn: AsyncConnection, user_id: int, movie_id: int, rating: int) -> None:
    await conn.execute(
        insert(movie_ratings).values(user_id=user_id, movie_id=movie_id, rating=rating, rated_at=AT)
    )


async def rate_show(conn: AsyncConnection, user_id: int, show_id: int, rating: int) -> None:
    await conn.execute(
        insert(show_ratings).values(user_id=user_id, show_id=show_id, rating=rating, rated_at=AT)
    )


async def rate_episode(
    conn: AsyncConnection, user_id: int, show_id: int, episode_id: int, rating: int
) -> None:
    await conn.execute(
        insert(episode_ratings).values(
            user_id=user_id, show_id=show_id, episode_id=episode_id, rating=rating, rated_at=AT
        )
    )


async def comment(conn: AsyncConnection, user_id: int, item_type: str, item_id: int, *, review: bool) -> None:
    await conn.execute(
        insert(comments).values(
            user_id=user_id,
            item_type=item_type,
            **{f"{item_type}_id": item_id},
            text="words " * (200 if review else 3),
            spoiler=False,
            review=review,
            created_at=AT,
        )
    )


async def custom_list_with(
    conn: AsyncConnection, user_id: int, item_type: str, item_id: int, name: str
) -> None:
    list_id = (
        await conn.execute(
            insert(custom_lists)
            .values(
                user_id=user_id,
                name=name,
                name_key=name.lower(),
                slug=name.lower(),
                privacy="public",
                show_numbers=False,
                allow_shouts=True,
                created_at=AT,
                updated_at=AT,
            )
            .returning(custom_lists.c.id)
        )
    ).scalar_one()
    await conn.execute(
        insert(custom_list_items).values(
            list_id=list_id,
            user_id=user_id,
            rank=1,
            item_type=item_type,
            item_key=f"{item_type}:{item_id}",
            added_at=AT,
            **{f"{item_type}_id": item_id},
        )
    )


async def watching(
    conn: AsyncConnection,
    user_id: int,
    *,
    started_at: int,
    ends_at: int,
    movie_id: int | None = None,
    show_id: int | None = None,
    episode_id: int | None = None,
) -> None:
    """A live watching state, as movie/watching or show/watching leave it."""
    await conn.execute(
        insert(playback_sessions).values(
            user_id=user_id,
            state="watching",
            item_type="movie" if movie_id is not None else "episode",
            movie_id=movie_id,
            show_id=show_id,
            episode_id=episode_id,
            started_at=started_at,
            updated_at=started_at,
            ends_at=ends_at,
        )
    )


async def befriend(conn: AsyncConnection, a: int, b: int) -> None:
    """A mutual, approved follow: friends."""
    await conn.execute(
        insert(follows),
        [
            {"follower_id": a, "followed_id": b, "requested_at": AT, "approved_at": AT},
            {"follower_id": b, "followed_id": a, "requested_at": AT, "approved_at": AT},
        ],
    )
