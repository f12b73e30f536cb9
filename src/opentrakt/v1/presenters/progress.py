"""The progress object of user/progress/watched and user/progress/collected."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from opentrakt.catalog.models import Episode, Show
from opentrakt.config import Settings
from opentrakt.tracking.progress import Completion, SeasonProgress, ShowProgress
from opentrakt.v1.presenters.airtimes import local_as_pacific
from opentrakt.v1.presenters.fields import text
from opentrakt.v1.presenters.images import image_url
from opentrakt.v1.presenters.movie import Level
from opentrakt.v1.presenters.show import present_show

# Episode numbers as the object keys of a season's "episodes": ``str`` per episode was a heavy
# user's largest presenter cost (100,000 calls), and nearly every number is below this.
_NUMBER_KEYS = tuple(map(str, range(1000)))


def _episode_keys(numbers: tuple[int, ...]) -> Iterator[str]:
    """The JSON keys of ``numbers``, from ``_NUMBER_KEYS`` when they all fit."""
    if numbers and min(numbers) >= 0 and max(numbers) < len(_NUMBER_KEYS):
        return map(_NUMBER_KEYS.__getitem__, numbers)
    return map(str, numbers)


def _completion(completion: Completion) -> dict[str, int]:
    return {
        "percentage": completion.percentage,
        "aired": completion.aired,
        "completed": completion.completed,
        "left": completion.left,
    }


@lru_cache(maxsize=1024)
def _all_completed(first: int, count: int) -> dict[str, bool]:
    """``{"first": true, …}`` for ``count`` episodes numbered on from ``first`` (shared, as
    ``_completed_season``'s objects are)."""
    return dict.fromkeys(_episode_keys(tuple(range(first, first + count))), True)


def _season(season: SeasonProgress) -> dict[str, Any]:
    numbers, completion = season.numbers, season.completion
    if numbers and completion.completed == completion.aired and numbers[-1] - numbers[0] + 1 == len(numbers):
        return _completed_season(season.season, numbers[0], len(numbers))
    episodes = dict(zip(_episode_keys(numbers), season.completed, strict=True))
    return _season_object(season.season, completion, episodes)


@lru_cache(maxsize=4096)
def _completed_season(season: int, first: int, count: int) -> dict[str, Any]:
    """A completed season numbered on from ``first``, the shape of most of a heavy user's seasons.

    Shared by every such season in every response: nothing may modify it after it is built.
    """
    return _season_object(season, Completion(count, count), _all_completed(first, count))


def _season_object(number: int, completion: Completion, episodes: dict[str, bool]) -> dict[str, Any]:
    # The completion's keys written out rather than merged from ``_completion``: a heavy user has
    # 10,000 seasons, and the intermediate dicts showed in profiles.
    return {
        "season": number,
        "percentage": completion.percentage,
        "aired": completion.aired,
        "completed": completion.completed,
        "left": completion.left,
        "episodes": episodes,
    }


def present_progress(
    progress: ShowProgress, show: Show, next_episode: Episode | None, settings: Settings, level: Level
) -> dict[str, Any]:
    show_data = present_show(show, settings, level)
    if level is Level.NORMAL:
        # Progress' "normal" is the minimal show plus url and images.
        minimal = present_show(show, settings, Level.MIN)
        show_data = {**minimal, "url": show_data["url"], "images": show_data["images"]}
    nxt: Any = False
    if next_episode is not None:
        nxt = {
            "season": next_episode.season,
            "number": next_episode.number,
            "title": text(next_episode.title),
            "first_aired": local_as_pacific(next_episode.first_aired, show.air_timezone),
            "images": {"screen": image_url(next_episode.screen_url, "screen", settings)},
        }
    return {
        "show": show_data,
        "progress": _completion(progress.completion),
        "seasons": [_season(season) for season in progress.seasons],
        "hidden_seasons": list(progress.hidden_seasons),
        "stats": {
            "plays": progress.stats.plays,
            "scrobbles": progress.stats.scrobbles,
            "checkins": progress.stats.checkins,
            "seen": progress.stats.seen,
        },
        "next_episode": nxt,
    }
