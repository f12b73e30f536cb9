"""movie/related, show/related."""

from __future__ import annotations

from typing import Any

from opentrakt.discovery.related import related
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.presenters.movie import Level
from opentrakt.v1.registry import Auth, v1_method

HIDE_WATCHED = "hidewatched"
EXTENDED = "extended"


def _sent(call: V1Call, word: str, *names: str) -> bool:
    """Whether the literal ``word`` came in any of the segments clients put it in."""
    return any((call.param(name) or "").strip().lower() == word for name in names)


def _hidden_for(call: V1Call, *names: str) -> int | None:
    """The caller whose watched items to leave out: only with credentials and the literal."""
    if call.user is None or not _sent(call, HIDE_WATCHED, *names):
        return None
    return call.user.id


@v1_method("movie/related", auth=Auth.OPTIONAL, required=("title",), optional=("hidewatched",))
async def movie_related(call: V1Call) -> list[dict[str, Any]]:
    movie_id = await lookup.movie_id(call)
    ranked = await related(call.conn, "movie", movie_id, hide_watched_by=_hidden_for(call, "hidewatched"))
    return list((await lookup.movie_objects(call, [item.item_id for item in ranked])).values())


@v1_method("show/related", auth=Auth.OPTIONAL, required=("title",), optional=("extended", "hidewatched"))
async def show_related(call: V1Call) -> list[dict[str, Any]]:
    # Trakt-for-Mediaportal sends `hidewatched` in the `extended` position: accept either in either.
    show_id = await lookup.show_id(call)
    hidden = _hidden_for(call, "extended", "hidewatched")
    level = Level.FULL if _sent(call, EXTENDED, "extended", "hidewatched") else Level.NORMAL
    ranked = await related(call.conn, "show", show_id, hide_watched_by=hidden)
    return list((await lookup.show_objects(call, [item.item_id for item in ranked], level)).values())
