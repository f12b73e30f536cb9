"""user/progress/watched and user/progress/collected, and user/lastactivity."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.queries import episodes_by_ids, shows_by_ids
from opentrakt.catalog.resolve import show_id_for_ref
from opentrakt.tracking.lastactivity import last_activity
from opentrakt.tracking.progress import PROGRESS_SORTS, ProgressKind, show_progress
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.owner import visible_owner
from opentrakt.v1.presenters.movie import Level
from opentrakt.v1.presenters.progress import present_progress
from opentrakt.v1.registry import READ, Auth, v1_method

_PROGRESS = {
    "verbs": READ,
    "auth": Auth.OPTIONAL,
    "required": ("username",),
    "optional": ("title", "sort", "extended"),
}
_MAX_TITLES = 100


def _level(value: str | None) -> Level:
    """Progress shows: omitted → minimal, ``normal`` → adds url and images, ``full`` → everything."""
    word = (value or "").strip().lower()
    if word in ("full", "extended"):
        return Level.FULL
    if word == "normal":
        return Level.NORMAL
    return Level.MIN


async def _show_filter(call: V1Call) -> list[int] | None:
    """The ``title`` segment: ``all`` (None), or a comma list of slugs / TVDB ids."""
    value = (call.param("title") or "all").strip()
    if value.lower() == "all":
        return None
    refs = [ref for ref in value.split(",") if ref.strip()]
    if len(refs) > _MAX_TITLES:
        raise V1Error(400, f"at most {_MAX_TITLES} titles at once")
    ids = [await show_id_for_ref(call.conn, ref) for ref in refs]
    return [show_id for show_id in ids if show_id is not None]


async def _progress(call: V1Call, kind: ProgressKind) -> list[dict[str, Any]]:
    sort = (call.param("sort") or "title").strip().lower()
    if sort not in PROGRESS_SORTS:
        raise V1Error(400, f"sort must be one of {', '.join(PROGRESS_SORTS)}")
    owner = await visible_owner(call)
    if owner is None:
        return []
    show_ids = await _show_filter(call)
    results = await show_progress(call.conn, owner.id, kind, call.now, show_ids=show_ids, sort=sort)  # type: ignore[arg-type]
    level, settings = _level(call.param("extended")), call.runtime.settings
    # Only the full show object lists genres.
    shows = await shows_by_ids(call.conn, [p.show_id for p in results], with_genres=level is Level.FULL)
    nexts = await episodes_by_ids(call.conn, [p.next_episode.episode_id for p in results if p.next_episode])
    return [
        present_progress(
            p,
            shows[p.show_id],
            nexts.get(p.next_episode.episode_id) if p.next_episode else None,
            settings,
            level,
        )
        for p in results
        if p.show_id in shows
    ]


@v1_method("user/progress/watched", **_PROGRESS)
async def progress_watched(call: V1Call) -> list[dict[str, Any]]:
    return await _progress(call, "watched")


@v1_method("user/progress/collected", **_PROGRESS)
async def progress_collected(call: V1Call) -> list[dict[str, Any]]:
    return await _progress(call, "collected")


@v1_method("user/lastactivity", verbs=READ, auth=Auth.OPTIONAL, required=("username",))
async def lastactivity(call: V1Call) -> Any:
    owner = await visible_owner(call)
    if owner is None:
        return []
    summary = await last_activity(call.conn, owner.id)
    return {"all": summary.all, "movie": summary.movie, "show": summary.show, "episode": summary.episode}
