"""Reading the item lists of bulk write bodies and resolving them against the catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from opentrakt.catalog.autocatalog import ensure_movies, ensure_show, ensure_shows
from opentrakt.catalog.autoepisodes import ensure_episodes
from opentrakt.catalog.identity import EpisodeRef, episode_ref, movie_identity, show_identity
from opentrakt.errors import Invalid
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error


def item_list(call: V1Call, key: str) -> list[Any]:
    """The body's ``key`` array (400 when it is missing or not an array)."""
    items = call.body.get(key)
    if not isinstance(items, list):
        raise V1Error(400, f"{key} must be a list")
    return items


@dataclass(frozen=True, slots=True)
class Resolved:
    """Submitted items split into the ones matched to catalogue ids and the ones skipped."""

    items: list[Any]  # as submitted, for echoing back
    ids: list[int]  # matched ids, parallel to ``items``
    skipped: list[Any]


def _split(submitted: Sequence[Any], ids: Sequence[int | None]) -> Resolved:
    # Separate passes rather than one list of pairs: zip() reuses its tuple, so a
    # 10,000-item body allocates no per-item objects here.
    return Resolved(
        items=[item for item, item_id in zip(submitted, ids, strict=True) if item_id is not None],
        ids=[item_id for item_id in ids if item_id is not None],
        skipped=[item for item, item_id in zip(submitted, ids, strict=True) if item_id is None],
    )


async def resolve_movies(call: V1Call, submitted: Sequence[Any]) -> Resolved:
    identities = [movie_identity(item) for item in submitted]
    ids = await ensure_movies(call.conn, identities, call.now, enabled=call.runtime.settings.auto_catalog)
    return _split(submitted, ids)


async def resolve_shows(call: V1Call, submitted: Sequence[Any]) -> Resolved:
    identities = [show_identity(item) for item in submitted]
    ids = await ensure_shows(call.conn, identities, call.now, enabled=call.runtime.settings.auto_catalog)
    return _split(submitted, ids)


async def body_show(call: V1Call) -> int:
    """The show a single-show body names (404 ``show not found`` when it can't be identified)."""
    show_id = await ensure_show(
        call.conn, show_identity(call.body), call.now, enabled=call.runtime.settings.auto_catalog
    )
    if show_id is None:
        raise V1Error(404, "show not found")
    return show_id


async def resolve_episodes(call: V1Call, show_id: int, submitted: Sequence[Any]) -> Resolved:
    """Episodes of one show; items without a usable season and number are skipped."""
    refs: list[EpisodeRef] = []
    positions: list[int] = []
    for position, item in enumerate(submitted):
        try:
            refs.append(episode_ref(item))
        except Invalid:
            continue
        positions.append(position)
    found = await ensure_episodes(
        call.conn, show_id, refs, call.now, enabled=call.runtime.settings.auto_catalog
    )
    ids: list[int | None] = [None] * len(submitted)
    for position, episode_id in zip(positions, found, strict=True):
        ids[position] = episode_id
    return _split(submitted, ids)


def season_number(call: V1Call) -> int:
    """The body's ``season`` (400 unless it is a whole number ≥ 0)."""
    try:
        return episode_ref({"season": call.body.get("season"), "episode": 0}).season
    except Invalid as exc:
        raise V1Error(400, exc.message) from None
