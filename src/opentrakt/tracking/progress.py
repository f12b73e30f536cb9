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

A read costs at most four statements whatever the number of shows: one row per show (newest
completion, completed episodes, play statistics, sort title), one per regular season (its aired
episodes), one per show with completed specials, and, only for the shows the user is behind on,
one per season with episodes left (those episodes). Episodes are aggregated in SQL so that they
never cross the driver one by one, and a season with nothing left costs no work per episode.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal, NamedTuple, get_args

import orjson
from sqlalchemy import ColumnElement, Select, Table, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import in_ids, json_list, json_row, values_in
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

    This and the other records here are named tuples rather than frozen dataclasses: a heavy
    user's progress builds tens of thousands, and a tuple is built several times faster.
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


class PlayStats(NamedTuple):
    plays: int = 0
    scrobbles: int = 0
    checkins: int = 0
    seen: int = 0


class NextEpisode(NamedTuple):
    episode_id: int
    season: int
    number: int


class ShowProgress(NamedTuple):
    show_id: int
    completion: Completion
    seasons: tuple[SeasonProgress, ...]  # ascending
    hidden_seasons: tuple[int, ...]
    stats: PlayStats
    next_episode: NextEpisode | None
    last_activity: int  # newest play (watched) or collection time (collected) of the show
    last_aired: int | None  # air date of the newest aired episode


class _Season(NamedTuple):
    """One season as the seasons statement reports it."""

    season: int
    aired: int
    first: int  # lowest and highest aired episode number
    last: int
    numbers: str  # JSON array of the aired episodes' numbers, in no set order
    last_aired: int | None


class _Show(NamedTuple):
    show_id: int
    last_activity: int
    completed: int  # episodes completed, specials included
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
    scope = SeasonScope(user_id, kind, now, [show.show_id for show in shows_done])
    seasons: dict[int, list[_Season]] = defaultdict(list)
    for show_id, *season in await conn.execute(seasons_query(conn, scope)):
        seasons[show_id].append(_Season(*season))
    unfinished = await _unfinished(conn, scope, shows_done, seasons)
    progress = [
        (show, _one_show(show, seasons.get(show.show_id, []), unfinished.get(show.show_id, {}), kind))
        for show in shows_done
    ]
    return _sorted(progress, sort)


async def _unfinished(
    conn: AsyncConnection,
    scope: SeasonScope,
    shows_done: list[_Show],
    seasons: dict[int, list[_Season]],
) -> dict[int, dict[int, str]]:
    """The aired episodes not completed (JSON arrays of [number, episode id]) of the shows the
    user is behind on, by show and season.

    A show is caught up when its completed regular episodes are as many as its aired ones
    (completed ones count as aired): then nothing is left, and it needs no look at its episodes.
    """
    specials = dict((await conn.execute(specials_completed_query(conn, scope))).all())
    behind = [
        show.show_id
        for show in shows_done
        if show.completed - specials.get(show.show_id, 0)
        < sum(s.aired for s in seasons.get(show.show_id, ()))
    ]
    found: dict[int, dict[int, str]] = defaultdict(dict)
    if behind:
        for show_id, season, pairs in await conn.execute(
            unfinished_query(conn, scope._replace(show_ids=behind))
        ):
            found[show_id][season] = pairs
    return found


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
    (specials count here) with the newest completion, how many episodes are completed, the play
    statistics and the sort title."""

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
                func.count(episode_plays.c.episode_id.distinct()).label("completed"),
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
            select(
                source.c.show_id,
                func.max(when).label("last_activity"),
                func.count(source.c.episode_id.distinct()).label("completed"),
            )
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
        done.c.completed,
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
            show_id,
            last_activity,
            completed,
            (title_key, year or 0, catalogue_id) if catalogue_id is not None else ("", 0, show_id),
            PlayStats(int(plays or 0), int(scrobbles or 0), int(checkins or 0), int(seen or 0)),
        )
        for show_id, last_activity, completed, catalogue_id, title_key, year, plays, scrobbles, checkins, seen in rows
    ]


class SeasonScope(NamedTuple):
    """What the season statements share: whose completions, of what kind, which shows, when."""

    user_id: int
    kind: ProgressKind
    now: int
    show_ids: list[int]  # the shows to read (what the first statement found, or some of them)


class _SeasonTerms(NamedTuple):
    of_shows: ColumnElement[bool]  # the episode is one of the scope's shows
    aired: ColumnElement[bool]  # by the rule of ``aired``, over the show's regular episodes
    completed: ColumnElement[bool]  # the user completed the episode


def _season_terms(conn: AsyncConnection, scope: SeasonScope) -> _SeasonTerms:
    source, _ = _source(scope.kind)
    # The shows as one parameter, rather than collected again from the user's completions.
    of_shows = values_in(conn, episodes.c.show_id, scope.show_ids)
    regular_dated = episodes.alias("regular_dated")
    show_has_dates = exists(
        select(regular_dated.c.id).where(
            regular_dated.c.show_id == episodes.c.show_id,
            regular_dated.c.season != SPECIALS,
            regular_dated.c.first_aired.is_not(None),
        )
    )
    aired = or_(
        episodes.c.first_aired <= scope.now,  # first: it settles nearly every episode without a probe
        and_(episodes.c.first_aired.is_(None), ~show_has_dates),
    )
    # A probe of the (user, show, episode) index; PostgreSQL turns it into a hashed subplan or a
    # hash anti-join over the user's completions.
    completed = exists(
        select(source.c.episode_id).where(
            source.c.user_id == scope.user_id,
            source.c.show_id == episodes.c.show_id,
            source.c.episode_id == episodes.c.id,
        )
    )
    return _SeasonTerms(of_shows, aired, completed)


def seasons_query(conn: AsyncConnection, scope: SeasonScope) -> Select[Any]:
    """The second statement of ``show_progress``: per regular season of the user's shows, how
    many episodes aired ("completed proves aired" included), their lowest and highest numbers,
    their numbers (a JSON array: one row per season, not one per episode) and the newest air date.
    """
    terms = _season_terms(conn, scope)
    return (
        select(
            episodes.c.show_id,
            episodes.c.season,
            func.count(),
            func.min(episodes.c.number),
            func.max(episodes.c.number),
            json_list(conn, episodes.c.number),
            func.max(case((episodes.c.first_aired <= scope.now, episodes.c.first_aired))),
        )
        .where(terms.of_shows, episodes.c.season != SPECIALS, or_(terms.aired, terms.completed))
        .group_by(episodes.c.show_id, episodes.c.season)
        .order_by(episodes.c.show_id, episodes.c.season)
    )


def specials_completed_query(conn: AsyncConnection, scope: SeasonScope) -> Select[Any]:
    """How many specials the user completed, per show (only shows with some)."""
    terms = _season_terms(conn, scope)
    return (
        select(episodes.c.show_id, func.count())
        .where(terms.of_shows, episodes.c.season == SPECIALS, terms.completed)
        .group_by(episodes.c.show_id)
    )


def unfinished_query(conn: AsyncConnection, scope: SeasonScope) -> Select[Any]:
    """Per regular season with aired episodes the user has not completed, their numbers and ids
    (a JSON array of pairs).

    Apart from the seasons statement because joined to it, PostgreSQL's grouping spilled to disk
    on a heavy user (the two: ~150 ms against ~290 ms); and only for the shows a user is behind on.
    """
    terms = _season_terms(conn, scope)
    return (
        select(
            episodes.c.show_id,
            episodes.c.season,
            json_list(conn, json_row(conn, episodes.c.number, episodes.c.id)),
        )
        .where(terms.of_shows, episodes.c.season != SPECIALS, terms.aired, ~terms.completed)
        .group_by(episodes.c.show_id, episodes.c.season)
    )


def _season_progress(season: _Season, pairs: str | None) -> tuple[SeasonProgress, dict[int, int]]:
    """The season's progress, and its aired episodes not completed (number → episode id, ascending),
    from those episodes' ``pairs`` of [number, episode id]."""
    unfinished = dict(sorted(orjson.loads(pairs))) if pairs else {}
    aired, first, last = season.aired, season.first, season.last
    contiguous = last - first + 1 == aired  # numbers are unique within a season
    if not unfinished and contiguous:  # a caught-up user's every season: nothing per episode
        return _completed_season(season.season, first, aired), unfinished
    numbers = tuple(range(first, last + 1)) if contiguous else tuple(sorted(orjson.loads(season.numbers)))
    flags = tuple(number not in unfinished for number in numbers) if unfinished else (True,) * aired
    return SeasonProgress(
        season.season, Completion(aired, aired - len(unfinished)), numbers, flags
    ), unfinished


@lru_cache(maxsize=4096)
def _completed_season(season: int, first: int, count: int) -> SeasonProgress:
    """A completed season numbered on from ``first``: one shared (immutable) record per shape."""
    return SeasonProgress(
        season, Completion(count, count), tuple(range(first, first + count)), (True,) * count
    )


def _one_show(
    show: _Show, seasons: list[_Season], unfinished: dict[int, str], kind: ProgressKind
) -> ShowProgress:
    progress = [_season_progress(season, unfinished.get(season.season)) for season in seasons]
    aired = sum(season.aired for season in seasons)
    completion = Completion(aired, aired - sum(len(left) for _, left in progress))
    # In field order: positional arguments build it faster, once per show.
    return ShowProgress(
        show.show_id,
        completion,
        tuple(season for season, _ in progress),
        (),  # hidden seasons
        show.stats,
        _next_episode(progress, after_furthest=kind == "watched") if unfinished else None,
        show.last_activity,
        max((s.last_aired for s in seasons if s.last_aired is not None), default=None),
    )


def _next_episode(
    seasons: list[tuple[SeasonProgress, dict[int, int]]], *, after_furthest: bool
) -> NextEpisode | None:
    """The first episode not completed after the furthest completed one (``after_furthest``),
    else the first one not completed at all."""
    if after_furthest:
        for index in range(len(seasons) - 1, -1, -1):
            season, unfinished = seasons[index]
            if season.completion.completed:
                furthest = next(n for n in reversed(season.numbers) if n not in unfinished)
                after = _first_unfinished(seasons[index:], after=furthest)
                if after is not None:
                    return after
                break
    return _first_unfinished(seasons)


def _first_unfinished(
    seasons: list[tuple[SeasonProgress, dict[int, int]]], after: int | None = None
) -> NextEpisode | None:
    """The first episode not completed, from the first season on, past episode ``after`` in it."""
    for season, unfinished in seasons:
        for number, episode_id in unfinished.items():
            if after is None or number > after:
                return NextEpisode(episode_id, season.season, number)
        after = None
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
