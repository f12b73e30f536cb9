"""TV calendars: the episodes airing in a run of days, grouped by air date.

An episode belongs to the date it airs on where it airs: the calendar date of its air time in
its show's own zone. That is the date v1's Pacific-encoded ``first_aired`` (the local wall clock
read as Pacific) falls on, so each bucket holds exactly the episodes whose ``first_aired`` lies
on the bucket's Pacific date, as in the 2012 recordings. Shows without a zone air in Pacific.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.models import Episode, Show
from opentrakt.catalog.queries import episode_from_row, shows_by_ids
from opentrakt.catalog.zones import zone
from opentrakt.db.tables.catalog import episodes
from opentrakt.db.tables.tracking import episode_collection, episode_plays, show_watchlist

MAX_DAYS = 31
# Every civil zone lies within these offsets of UTC: a window of local dates spans at most this
# much more in UTC, so the indexed range read is widened by them and then filtered exactly.
_EARLIEST_OFFSET = timedelta(hours=14)
_LATEST_OFFSET = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class Airing:
    show: Show
    episode: Episode


@dataclass(frozen=True, slots=True)
class CalendarDay:
    day: date
    airings: tuple[Airing, ...]


def _utc_bounds(start: date, days: int) -> tuple[int, int]:
    """A UTC range holding every instant whose local date, in any zone, is in the window."""
    first = datetime.combine(start, time(), tzinfo=UTC) - _EARLIEST_OFFSET
    last = datetime.combine(start + timedelta(days=days), time(), tzinfo=UTC) + _LATEST_OFFSET
    return int(first.timestamp()), int(last.timestamp())


def library_shows(user_id: int) -> Any:
    """The shows that belong to a user: any episode watched or collected, or the show listed."""
    return union(
        select(episode_plays.c.show_id).where(episode_plays.c.user_id == user_id),
        select(episode_collection.c.show_id).where(episode_collection.c.user_id == user_id),
        select(show_watchlist.c.show_id).where(show_watchlist.c.user_id == user_id),
    )


async def calendar(
    conn: AsyncConnection,
    *,
    start: date,
    days: int,
    premieres_only: bool = False,
    owner_id: int | None = None,
) -> list[CalendarDay]:
    """The days from ``start`` (``days`` of them, at most ``MAX_DAYS``) that have airings, in
    date order; each day's airings by local air time, then show title, season and number.

    ``premieres_only`` keeps episode 1 of every season (specials included); ``owner_id`` keeps
    the shows in that user's library or watchlist.
    """
    days = max(1, min(days, MAX_DAYS))
    low, high = _utc_bounds(start, days)
    conditions: list[ColumnElement[bool]] = [episodes.c.first_aired >= low, episodes.c.first_aired < high]
    if premieres_only:
        conditions.append(episodes.c.number == 1)
    if owner_id is not None:
        conditions.append(episodes.c.show_id.in_(library_shows(owner_id)))
    found = [episode_from_row(row) for row in await conn.execute(select(episodes).where(*conditions))]
    shows = await shows_by_ids(conn, [episode.show_id for episode in found])
    end = start + timedelta(days=days)
    by_day: dict[date, list[tuple[datetime, Airing]]] = {}
    for episode in found:
        show = shows.get(episode.show_id)
        if show is None or episode.first_aired is None:
            continue
        local = datetime.fromtimestamp(episode.first_aired, zone(show.air_timezone))
        if start <= local.date() < end:
            by_day.setdefault(local.date(), []).append((local.replace(tzinfo=None), Airing(show, episode)))
    return [
        CalendarDay(
            day=day,
            airings=tuple(
                airing
                for _, airing in sorted(
                    by_day[day],
                    key=lambda pair: (
                        pair[0],
                        pair[1].show.title,
                        pair[1].episode.season,
                        pair[1].episode.number,
                    ),
                )
            ),
        )
        for day in sorted(by_day)
    ]
