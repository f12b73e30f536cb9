"""The progress object of user/progress/watched and user/progress/collected."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Episode, Show
from opentrakt.config import Settings
from opentrakt.tracking.progress import Completion, ShowProgress
from opentrakt.v1.presenters.airtimes import local_as_pacific
from opentrakt.v1.presenters.fields import text
from opentrakt.v1.presenters.images import image_url
from opentrakt.v1.presenters.movie import Level
from opentrakt.v1.presenters.show import present_show


def _completion(completion: Completion) -> dict[str, int]:
    return {
        "percentage": completion.percentage,
        "aired": completion.aired,
        "completed": completion.completed,
        "left": completion.left,
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
        "seasons": [
            {
                "season": season.season,
                **_completion(season.completion),
                "episodes": dict(zip(map(str, season.numbers), season.completed, strict=True)),
            }
            for season in progress.seasons
        ],
        "hidden_seasons": list(progress.hidden_seasons),
        "stats": {
            "plays": progress.stats.plays,
            "scrobbles": progress.stats.scrobbles,
            "checkins": progress.stats.checkins,
            "seen": progress.stats.seen,
        },
        "next_episode": nxt,
    }
