"""How far a user is through each show: the data behind user/progress/watched and /collected.

Per show: aired, completed (watched, or collected), left and percentage, for the show and for
each season; the per-episode flags; play statistics; and the next episode to watch or get.

Rules (the original's computation is not known; these are ours):

* specials (season 0) are left out of every number and of ``seasons``;
* an episode counts as aired by the rule in ``aired``, and also whenever the user completed
  it: a play or a copy proves it exists, and completed can then never exceed aired;
* ``percentage`` is ``100 * completed / aired`` rounded half up, 0 when nothing aired;
* ``next_episode`` (watched) is the first aired, unwatched episode after the furthest watched
  one, or, when the user is caught up to the end but skipped some, the first skipped one;
  (collected) the first aired episode not collected;
* hidden seasons are not recorded yet, so ``hidden_seasons`` is always empty.

A read costs two statements whatever the number of shows: one row per show (newest
completion, play statistics, sort title) and one per regular season (its aired episodes'
numbers and completion, aggregated in SQL so that episodes never cross the driver one by one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import is_, itemgetter
from typing import Any, Literal, NamedTuple, get_args

import orjson
from sqlalchemy import ColumnElement, FromClause, Select, Table, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import in_ids, is_postgres, json_list
from opentrakt.db.tables.catalog import episodes, shows
from opentrakt.db.tables.tracking import (
    ACTION_CHECKIN,
    ACTION_SCROBBLE,
    ACTION_SEEN,
    episode_collection,
    episode_plays,
)
from opentrakt.errors import Invalid
from opentrakt.tracking.aired import SPECIALS

ProgressKind = Literal["watched", "collected"]
ProgressSort = Literal[
    "title", "activity", "most-completed", "least-completed", "recently-aired", "previously-aired"
]
PROGRESS_SORTS: tuple[str, ...] = get_args(ProgressSort)


class Completion(NamedTuple):
    """Aired and completed episodes of a season or a show.

    This and ``SeasonProgress`` are named tuples rather than frozen dataclasses: a heavy user's
    progress builds tens of thousands, and a tuple is built several times faster.
    """

    aired: int
    completed: int

    @property
    def left(self) -> int:
        return self.aired - self.completed

    @property
    def percentage(self) -> int:
        if not self.aired:
            return 0
        return (200 * self.completed + self.aired) // (2 * self.aired)  # rounded half up


class SeasonProgress(NamedTuple):
    """A season's aired episodes, ascending: their numbers and, in step, whether each is completed.

    Two flat tuples rather than one pair per episode: a heavy user's progress holds 100,000
    episodes, and pairs would be 100,000 more objects for the garbage collector to walk.
    """

    season: int
    completion: Completion
    numbers: tuple[int, ...]
    completed: tuple[bool, ...]

    @property
    def episodes(self) -> tuple[tuple[int, bool], ...]:
        """(episode number, completed) pairs."""
        return tuple(zip(self.numbers, self.completed, strict=True))


@dataclass(frozen=True, slots=True)
class PlayStats:
    plays: int = 0
    scrobbles: int = 0
    checkins: int = 0
    seen: int = 0


@dataclass(frozen=True, slots=True)
class NextEpisode:
    episode_id: int
    season: int
    number: int


@dataclass(frozen=True, slots=True)
class ShowProgress:
    show_id: int
    completion: Completion
    seasons: tuple[SeasonProgress, ...]  # ascending
    hidden_seasons: tuple[int, ...]
    stats: PlayStats
    next_episode: NextEpisode | None
    last_activity: int  # newest play (watched) or collection time (collected) of the show
    last_aired: int | None  # air date of the newest aired episode


class _Season(NamedTuple):
    """One season's aired episodes as the season statement reports them, ascending by number."""

    season: int
    numbers: list[int]
    unfinished_ids: list[int | None]  # parallel to ``numbers``: the episode id unless completed
    last_aired: int | None


class _Show(NamedTuple):
    show_id: int
    last_activity: int
    sort_title: tuple[str, int, int]
    stats: PlayStats


async def show_progress(
    conn: AsyncConnection,
    user_id: int,
    kind: ProgressKind,
    now: int,
    *,
    show_ids: Sequence[int] | None = None,
    sort: ProgressSort = "title",
) -> list[ShowProgress]:
    """Progress through every show the user watched (``watched``) or collected from (``collected``).

    ``show_ids`` limits it to those shows (v1's ``title`` filter).
    """
    if kind not in ("watched", "collected"):
        raise Invalid(f"unknown progress kind {kind!r}")
    if sort not in PROGRESS_SORTS:
        raise Invalid(f"unknown progress sort {sort!r}")
    if show_ids is not None and not show_ids:
        return []
    wanted = None if show_ids is None else list(dict.fromkeys(show_ids))
    shows_done = await _shows(conn, user_id, kind, wanted)
    if not shows_done:
        return []
    seasons: dict[int, list[_Season]] = defaultdict(list)
    for show_id, season, numbers, unfinished, last_aired in await conn.execute(
        seasons_query(conn, user_id, kind, now, wanted, shows_of_user=[s.show_id for s in shows_done])
    ):
        seasons[show_id].append(_season(season, orjson.loads(numbers), orjson.loads(unfinished), last_aired))
    progress = [(show, _one_show(show, seasons.get(show.show_id, []), kind)) for show in shows_done]
    return _sorted(progress, sort)


def _source(kind: ProgressKind) -> tuple[Table, ColumnElement[int]]:
    """The table that says which episodes count as completed, and its time column."""
    if kind == "watched":
        return episode_plays, episode_plays.c.watched_at
    return episode_collection, episode_collection.c.collected_at


def _mine(conn: AsyncConnection, table: Table, user_id: int, show_ids: list[int] | None) -> list[Any]:
    terms: list[Any] = [table.c.user_id == user_id]
    if show_ids is not None:
        terms.append(in_ids(conn, table.c.show_id, show_ids))
    return terms


def shows_query(
    conn: AsyncConnection, user_id: int, kind: ProgressKind, show_ids: list[int] | None = None
) -> Select[Any]:
    """The first statement of ``show_progress``: each show the user completed an episode of
    (specials count here) with the newest completion, the play statistics and the sort title."""

    def plays_of(action: str) -> ColumnElement[Any]:
        return func.sum(case((episode_plays.c.action == action, episode_plays.c.count), else_=0))

    play_stats = (
        func.sum(episode_plays.c.count).label("plays"),
        plays_of(ACTION_SCROBBLE).label("scrobbles"),
        plays_of(ACTION_CHECKIN).label("checkins"),
        plays_of(ACTION_SEEN).label("seen"),
    )
    if kind == "watched":
        # Completions and statistics both come from the plays: one pass over them, not two.
        done = (
            select(
                episode_plays.c.show_id,
                func.max(episode_plays.c.watched_at).label("last_activity"),
                *play_stats,
            )
            .where(*_mine(conn, episode_plays, user_id, show_ids))
            .group_by(episode_plays.c.show_id)
            .subquery("done")
        )
        stats = done
        joined = done.outerjoin(shows, shows.c.id == done.c.show_id)
    else:
        source, when = _source(kind)
        done = (
            select(source.c.show_id, func.max(when).label("last_activity"))
            .where(*_mine(conn, source, user_id, show_ids))
            .group_by(source.c.show_id)
            .subquery("done")
        )
        stats = (
            select(episode_plays.c.show_id, *play_stats)
            .where(*_mine(conn, episode_plays, user_id, show_ids))
            .group_by(episode_plays.c.show_id)
            .subquery("stats")
        )
        joined = done.outerjoin(shows, shows.c.id == done.c.show_id).outerjoin(
            stats, stats.c.show_id == done.c.show_id
        )
    return select(
        done.c.show_id,
        done.c.last_activity,
        shows.c.id,
        shows.c.title_key,
        shows.c.year,
        stats.c.plays,
        stats.c.scrobbles,
        stats.c.checkins,
        stats.c.seen,
    ).select_from(joined)


async def _shows(
    conn: AsyncConnection, user_id: int, kind: ProgressKind, show_ids: list[int] | None
) -> list[_Show]:
    rows = await conn.execute(shows_query(conn, user_id, kind, show_ids))
    return [
        _Show(
            show_id=row[0],
            last_activity=row.last_activity,
            sort_title=(row.title_key, row.year or 0, row.id) if row.id is not None else ("", 0, row[0]),
            stats=PlayStats(
                plays=int(row.plays or 0),
                scrobbles=int(row.scrobbles or 0),
                checkins=int(row.checkins or 0),
                seen=int(row.seen or 0),
            ),
        )
        for row in rows
    ]


def seasons_query(
    conn: AsyncConnection,
    user_id: int,
    kind: ProgressKind,
    now: int,
    show_ids: list[int] | None = None,
    *,
    shows_of_user: list[int] | None = None,
) -> Select[Any]:
    """The second statement of ``show_progress``: per regular season of the user's shows, its
    aired episodes' numbers and, for the ones not completed, their ids (JSON arrays: one row
    per season, not one per episode), and its newest air date.

    ``shows_of_user`` is what the first statement found, when known: PostgreSQL then reads those
    shows' episodes by index instead of first collecting the show ids from the user's completions.
    """
    source, _ = _source(kind)
    mine = _mine(conn, source, user_id, show_ids)
    scope: FromClause = episodes
    if is_postgres(conn):
        # PostgreSQL hash-joins the user's completions, grouped once, to the episodes.
        completed = (
            select(source.c.show_id, source.c.episode_id)
            .where(*mine)
            .group_by(source.c.show_id, source.c.episode_id)
            .subquery("completed")
        )
        scope = episodes.outerjoin(
            completed,
            and_(completed.c.episode_id == episodes.c.id, completed.c.show_id == episodes.c.show_id),
        )
        is_completed: ColumnElement[bool] = completed.c.episode_id.is_not(None)
    else:
        # SQLite would materialise that grouping and build a throwaway index over it on every
        # read; probing the user's completions through their index, episode by episode, is a
        # fifth cheaper.
        is_completed = exists(
            select(source.c.episode_id).where(
                source.c.user_id == user_id,
                source.c.show_id == episodes.c.show_id,
                source.c.episode_id == episodes.c.id,
            )
        )
    regular_dated = episodes.alias("regular_dated")
    show_has_dates = exists(
        select(regular_dated.c.id).where(
            regular_dated.c.show_id == episodes.c.show_id,
            regular_dated.c.season != SPECIALS,
            regular_dated.c.first_aired.is_not(None),
        )
    )
    # The rule of ``aired``, over the show's regular episodes, plus "completed proves aired".
    aired = or_(
        episodes.c.first_aired <= now,  # first: it settles nearly every episode without a probe
        is_completed,
        and_(episodes.c.first_aired.is_(None), ~show_has_dates),
    )
    return (
        select(
            episodes.c.show_id,
            episodes.c.season,
            json_list(conn, episodes.c.number),
            json_list(conn, case((is_completed, None), else_=episodes.c.id)),
            func.max(case((episodes.c.first_aired <= now, episodes.c.first_aired))),
        )
        .select_from(scope)
        .where(
            in_ids(conn, episodes.c.show_id, shows_of_user)
            if shows_of_user is not None and is_postgres(conn)
            else episodes.c.show_id.in_(select(source.c.show_id).where(*mine)),
            episodes.c.season != SPECIALS,
            aired,
        )
        .group_by(episodes.c.show_id, episodes.c.season)
        .order_by(episodes.c.show_id, episodes.c.season)
    )


def _season(
    season: int, numbers: list[int], unfinished_ids: list[int | None], last_aired: int | None
) -> _Season:
    if numbers != sorted(numbers):  # aggregates promise no order; they are nearly always sorted
        pairs = sorted(zip(numbers, unfinished_ids, strict=True), key=itemgetter(0))
        numbers, unfinished_ids = [n for n, _ in pairs], [i for _, i in pairs]
    return _Season(season, numbers, unfinished_ids, last_aired)


def _season_progress(season: _Season) -> SeasonProgress:
    aired, completed = len(season.numbers), season.unfinished_ids.count(None)
    if completed == aired:  # the common case for a caught-up user: no per-episode test needed
        flags = _ALL_COMPLETED[aired] if aired < len(_ALL_COMPLETED) else (True,) * aired
    else:
        flags = tuple(map(is_, season.unfinished_ids, repeat(None)))
    return SeasonProgress(season.season, Completion(aired, completed), tuple(season.numbers), flags)


# Shared flag tuples for fully completed seasons of up to 99 episodes (tuples are immutable).
_ALL_COMPLETED = tuple((True,) * size for size in range(100))


def _one_show(show: _Show, seasons: list[_Season], kind: ProgressKind) -> ShowProgress:
    progress = [_season_progress(season) for season in seasons]
    return ShowProgress(
        show_id=show.show_id,
        completion=Completion(
            sum(s.completion.aired for s in progress), sum(s.completion.completed for s in progress)
        ),
        seasons=tuple(progress),
        hidden_seasons=(),
        stats=show.stats,
        next_episode=_next_episode(seasons, after_furthest=kind == "watched"),
        last_activity=show.last_activity,
        last_aired=max((s.last_aired for s in seasons if s.last_aired is not None), default=None),
    )


def _next_episode(seasons: list[_Season], *, after_furthest: bool) -> NextEpisode | None:
    """The first episode not completed after the furthest completed one (``after_furthest``),
    else the first one not completed at all."""
    if after_furthest:
        for index in range(len(seasons) - 1, -1, -1):
            ids = seasons[index].unfinished_ids
            if None in ids:
                after = _first_unfinished(seasons, index, len(ids) - ids[::-1].index(None))
                if after is not None:
                    return after
                break
    return _first_unfinished(seasons, 0, 0)


def _first_unfinished(seasons: list[_Season], index: int, position: int) -> NextEpisode | None:
    """The first episode not completed from ``seasons[index]``'s ``position`` on."""
    for season in seasons[index:]:
        ids = season.unfinished_ids[position:]
        if ids.count(None) < len(ids):  # counts in C: a caught-up user's seasons are all None
            for offset, episode_id in enumerate(ids):
                if episode_id is not None:
                    return NextEpisode(episode_id, season.season, season.numbers[position + offset])
        position = 0
    return None


def _sorted(progress: list[tuple[_Show, ShowProgress]], sort: ProgressSort) -> list[ShowProgress]:
    keys: dict[str, Any] = {
        "title": lambda sp: sp[0].sort_title,
        "activity": lambda sp: (-sp[1].last_activity, sp[0].sort_title),
        "most-completed": lambda sp: (-sp[1].completion.percentage, sp[0].sort_title),
        "least-completed": lambda sp: (sp[1].completion.percentage, sp[0].sort_title),
        "recently-aired": lambda sp: (sp[1].last_aired is None, -(sp[1].last_aired or 0), sp[0].sort_title),
        "previously-aired": lambda sp: (sp[1].last_aired is None, sp[1].last_aired or 0, sp[0].sort_title),
    }
    return [item for _, item in sorted(progress, key=keys[sort])]
