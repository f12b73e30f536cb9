"""Everything a page of activity refers to (users, movies, shows, episodes, comments, lists),
read in a fixed number of batched queries however many items the page holds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.catalog.models import Episode, Movie, Show
from opentrakt.catalog.queries import episode_from_row, episodes_by_ids, movies_by_ids, shows_by_ids
from opentrakt.db.sql import id_batches, in_ids
from opentrakt.db.tables.catalog import episodes
from opentrakt.db.tables.comments import comments
from opentrakt.db.tables.lists import custom_lists
from opentrakt.lists.models import CustomList
from opentrakt.lists.service import list_from_row
from opentrakt.social import events
from opentrakt.social.activity import Activity
from opentrakt.social.comments import Comment, authors, comment_from_row


@dataclass(frozen=True, slots=True)
class ActivityRefs:
    users: Mapping[int, User] = field(default_factory=dict)
    movies: Mapping[int, Movie] = field(default_factory=dict)
    shows: Mapping[int, Show] = field(default_factory=dict)
    episodes: Mapping[int, Episode] = field(default_factory=dict)
    # Episodes of the shows that whole-show or whole-season events name, in season order.
    show_episodes: Mapping[int, Sequence[Episode]] = field(default_factory=dict)
    comments: Mapping[int, Comment] = field(default_factory=dict)
    lists: Mapping[int, CustomList] = field(default_factory=dict)

    def covered_episodes(self, activity: Activity) -> list[Episode]:
        """The episodes an episode-type event is about, in season and number order."""
        if activity.item_type in (events.SHOW, events.SEASON):
            listed = self.show_episodes.get(activity.show_id or 0, ())
            return [e for e in listed if activity.season is None or e.season == activity.season]
        found = (self.episodes.get(i) for i in activity.episode_ids)
        return sorted((e for e in found if e is not None), key=lambda e: (e.season, e.number))


async def load_refs(conn: AsyncConnection, page: Sequence[Activity]) -> ActivityRefs:
    bulk_shows = [
        a.show_id for a in page if a.type == "episode" and a.item_type in (events.SHOW, events.SEASON)
    ]
    episode_ids = [i for a in page if a.item_type == events.EPISODE for i in a.episode_ids]
    comment_ids = [int(a.payload["comment_id"]) for a in page if "comment_id" in a.payload]
    return ActivityRefs(
        users=await authors(conn, [a.user_id for a in page]),
        movies=await movies_by_ids(conn, [a.movie_id for a in page if a.movie_id is not None]),
        shows=await shows_by_ids(conn, [a.show_id for a in page if a.show_id is not None]),
        episodes=await episodes_by_ids(conn, episode_ids),
        show_episodes=await _show_episodes(conn, [i for i in bulk_shows if i is not None]),
        comments=await _comments(conn, comment_ids),
        lists=await _lists(conn, [a.list_id for a in page if a.list_id is not None]),
    )


async def _show_episodes(conn: AsyncConnection, show_ids: Sequence[int]) -> dict[int, list[Episode]]:
    found: dict[int, list[Episode]] = defaultdict(list)
    for batch in id_batches(conn, show_ids):
        rows = await conn.execute(
            select(episodes)
            .where(in_ids(conn, episodes.c.show_id, batch))
            .order_by(episodes.c.show_id, episodes.c.season, episodes.c.number)
        )
        for row in rows:
            found[row.show_id].append(episode_from_row(row))
    return found


async def _comments(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Comment]:
    found: dict[int, Comment] = {}
    for batch in id_batches(conn, ids):
        for row in await conn.execute(select(comments).where(in_ids(conn, comments.c.id, batch))):
            found[row.id] = comment_from_row(row)
    return found


async def _lists(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, CustomList]:
    found: dict[int, CustomList] = {}
    for batch in id_batches(conn, ids):
        for row in await conn.execute(select(custom_lists).where(in_ids(conn, custom_lists.c.id, batch))):
            found[row.id] = list_from_row(row)
    return found
