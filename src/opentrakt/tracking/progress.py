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

A read costs four queries whatever the number of shows: completed episodes, play statistics,
the episodes of the shows involved and the shows' sort keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import Any, Literal, NamedTuple, get_args

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.catalog import episodes, shows
from opentrakt.db.tables.tracking import (
    ACTION_CHECKIN,
    ACTION_SCROBBLE,
    ACTION_SEEN,
    episode_collection,
    episode_plays,
)
from opentrakt.errors import Invalid
from opentrakt.tracking.aired import SPECIALS, is_aired
from opentrakt.tracking.sql import in_ids

ProgressKind = Literal["watched", "collected"]
ProgressSort = Literal[
    "title", "activity", "most-completed", "least-completed", "recently-aired", "previously-aired"
]
PROGRESS_SORTS: tuple[str, ...] = get_args(ProgressSort)


@dataclass(frozen=True, slots=True)
class Completion:
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


@dataclass(frozen=True, slots=True)
class SeasonProgress:
    season: int
    completion: Completion
    episodes: tuple[tuple[int, bool], ...]  # (episode number, completed) for each aired episode, ascending


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


class _Episode(NamedTuple):
    # A tuple rather than a dataclass: progress builds one per catalogue episode of every show.
    id: int
    season: int
    number: int
    first_aired: int | None


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
    source = episode_plays if kind == "watched" else episode_collection
    when = (
        func.max(episode_plays.c.watched_at)
        if kind == "watched"
        else func.max(episode_collection.c.collected_at)
    )
    restrict: list[Any] = [source.c.user_id == user_id]
    if show_ids is not None:
        if not show_ids:
            return []
        restrict.append(in_ids(conn, source.c.show_id, list(dict.fromkeys(show_ids))))
    done_rows = await conn.execute(
        select(source.c.show_id, source.c.episode_id, when)
        .where(*restrict)
        .group_by(source.c.show_id, source.c.episode_id)
    )
    done: dict[int, dict[int, int]] = defaultdict(dict)
    for show_id, episode_id, at in done_rows.all():
        done[show_id][episode_id] = at
    if not done:
        return []
    stats = await _play_stats(conn, user_id, show_ids)
    involved = select(source.c.show_id).where(*restrict).distinct()
    catalogue = await conn.execute(
        select(
            episodes.c.show_id, episodes.c.id, episodes.c.season, episodes.c.number, episodes.c.first_aired
        )
        .where(episodes.c.show_id.in_(involved), episodes.c.season != SPECIALS)
        .order_by(episodes.c.show_id, episodes.c.season, episodes.c.number)
    )
    by_show: dict[int, list[_Episode]] = defaultdict(list)
    for show_id, episode_id, season, number, first_aired in catalogue.all():
        by_show[show_id].append(_Episode(episode_id, season, number, first_aired))
    titles = {
        row.id: (row.title_key, row.year or 0, row.id)
        for row in await conn.execute(
            select(shows.c.id, shows.c.title_key, shows.c.year).where(shows.c.id.in_(involved))
        )
    }
    progress = [
        _one_show(show_id, by_show.get(show_id, []), completed, stats.get(show_id, PlayStats()), kind, now)
        for show_id, completed in done.items()
    ]
    return _sorted(progress, sort, titles)


async def _play_stats(
    conn: AsyncConnection, user_id: int, show_ids: Sequence[int] | None
) -> dict[int, PlayStats]:
    query = select(episode_plays.c.show_id, episode_plays.c.action, func.sum(episode_plays.c.count)).where(
        episode_plays.c.user_id == user_id
    )
    if show_ids is not None:
        query = query.where(in_ids(conn, episode_plays.c.show_id, list(dict.fromkeys(show_ids))))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for show_id, action, total in await conn.execute(
        query.group_by(episode_plays.c.show_id, episode_plays.c.action)
    ):
        counts[show_id][action] = int(total)
    return {
        show_id: PlayStats(
            plays=sum(by_action.values()),
            scrobbles=by_action.get(ACTION_SCROBBLE, 0),
            checkins=by_action.get(ACTION_CHECKIN, 0),
            seen=by_action.get(ACTION_SEEN, 0),
        )
        for show_id, by_action in counts.items()
    }


def _one_show(
    show_id: int,
    regular: list[_Episode],
    completed: dict[int, int],
    stats: PlayStats,
    kind: ProgressKind,
    now: int,
) -> ShowProgress:
    has_dates = any(episode.first_aired is not None for episode in regular)
    aired = [e for e in regular if e.id in completed or is_aired(e.first_aired, now, has_dates)]
    seasons = []
    for season, group in groupby(aired, key=attrgetter("season")):
        flags = tuple((e.number, e.id in completed) for e in group)
        seasons.append(SeasonProgress(season, Completion(len(flags), sum(flag for _, flag in flags)), flags))
    dates = [e.first_aired for e in aired if e.first_aired is not None and e.first_aired <= now]
    return ShowProgress(
        show_id=show_id,
        completion=Completion(len(aired), sum(season.completion.completed for season in seasons)),
        seasons=tuple(seasons),
        hidden_seasons=(),
        stats=stats,
        next_episode=_next_episode(aired, completed, after_furthest=kind == "watched"),
        last_activity=max(completed.values()),
        last_aired=max(dates, default=None),
    )


def _next_episode(
    aired: list[_Episode], completed: dict[int, int], *, after_furthest: bool
) -> NextEpisode | None:
    missing = [e for e in aired if e.id not in completed]
    if not missing:
        return None
    chosen = missing[0]
    if after_furthest:
        furthest = max(((e.season, e.number) for e in aired if e.id in completed), default=(-1, -1))
        chosen = next((e for e in missing if (e.season, e.number) > furthest), missing[0])
    return NextEpisode(chosen.id, chosen.season, chosen.number)


def _sorted(
    progress: list[ShowProgress], sort: ProgressSort, titles: dict[int, tuple[str, int, int]]
) -> list[ShowProgress]:
    def title(item: ShowProgress) -> tuple[str, int, int]:
        return titles.get(item.show_id, ("", 0, item.show_id))

    keys: dict[str, Any] = {
        "title": lambda p: title(p),
        "activity": lambda p: (-p.last_activity, title(p)),
        "most-completed": lambda p: (-p.completion.percentage, title(p)),
        "least-completed": lambda p: (p.completion.percentage, title(p)),
        "recently-aired": lambda p: (p.last_aired is None, -(p.last_aired or 0), title(p)),
        "previously-aired": lambda p: (p.last_aired is None, p.last_aired or 0, title(p)),
    }
    return sorted(progress, key=keys[sort])
