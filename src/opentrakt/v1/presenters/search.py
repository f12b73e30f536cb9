"""Shapes only search answers with: the ``seasons`` list search/shows adds on request."""

from __future__ import annotations

from typing import Any

from opentrakt.discovery.results import SeasonNumbers


def present_season_numbers(seasons: list[SeasonNumbers]) -> list[dict[str, Any]]:
    """``[{"season": 6, "episodes": [{"season": 6, "number": 24}, …]}, …]``, as documented."""
    return [
        {
            "season": season.season,
            "episodes": [{"season": season.season, "number": number} for number in season.episodes],
        }
        for season in seasons
    ]
