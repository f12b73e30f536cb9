"""Turning the ``items`` of lists/items/add and lists/items/delete into catalogue references.

Each item names its ``type`` (movie, show, season, episode) and identifies the movie, or the
show plus season and episode numbers, the way every write does. Items that name nothing known
(or are malformed) are skipped and echoed back; resolution happens in batches per kind (and
per show for episodes), never per item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from opentrakt.catalog.autocatalog import ensure_movies, ensure_shows
from opentrakt.catalog.autoepisodes import ensure_episodes
from opentrakt.catalog.identity import EpisodeRef, episode_ref, movie_identity, show_identity
from opentrakt.errors import Invalid
from opentrakt.lists.models import ItemRef
from opentrakt.v1.call import V1Call

_SHOW_TYPES = ("show", "season", "episode")


@dataclass(frozen=True, slots=True)
class ResolvedItems:
    refs: list[ItemRef]
    skipped: list[Any]  # as submitted


def _type(item: object) -> str | None:
    if not isinstance(item, Mapping):
        return None
    kind = item.get("type")
    return kind.strip().lower() if isinstance(kind, str) else None


async def resolve_list_items(call: V1Call, submitted: Sequence[Any], *, create: bool) -> ResolvedItems:
    """The references ``submitted`` names, in order; ``create`` lets unknown items be catalogued."""
    enabled = create and call.runtime.settings.auto_catalog
    kinds = [_type(item) for item in submitted]
    found: list[ItemRef | None] = [None] * len(submitted)

    movie_positions = [i for i, kind in enumerate(kinds) if kind == "movie"]
    movie_ids = await ensure_movies(
        call.conn, [movie_identity(submitted[i]) for i in movie_positions], call.now, enabled=enabled
    )
    for position, movie_id in zip(movie_positions, movie_ids, strict=True):
        if movie_id is not None:
            found[position] = ItemRef(type="movie", movie_id=movie_id)

    show_positions = [i for i, kind in enumerate(kinds) if kind in _SHOW_TYPES]
    show_ids = await ensure_shows(
        call.conn, [show_identity(submitted[i]) for i in show_positions], call.now, enabled=enabled
    )
    episodes_by_show: dict[int, list[tuple[int, EpisodeRef]]] = defaultdict(list)
    for position, show_id in zip(show_positions, show_ids, strict=True):
        if show_id is None:
            continue
        item, kind = submitted[position], kinds[position]
        try:
            if kind == "show":
                found[position] = ItemRef(type="show", show_id=show_id)
            elif kind == "season":
                season = episode_ref({"season": item.get("season"), "episode": 0}).season
                found[position] = ItemRef(type="season", show_id=show_id, season=season)
            else:
                episodes_by_show[show_id].append((position, episode_ref(item, inline_show=True)))
        except Invalid:
            continue

    for show_id, entries in episodes_by_show.items():
        episode_ids = await ensure_episodes(
            call.conn, show_id, [ref for _, ref in entries], call.now, enabled=enabled
        )
        for (position, _), episode_id in zip(entries, episode_ids, strict=True):
            if episode_id is not None:
                found[position] = ItemRef(type="episode", show_id=show_id, episode_id=episode_id)

    return ResolvedItems(
        refs=[ref for ref in found if ref is not None],
        skipped=[item for item, ref in zip(submitted, found, strict=True) if ref is None],
    )
