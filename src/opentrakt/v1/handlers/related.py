"""movie/related, show/related."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.queries import movies_by_ids, shows_by_ids
from opentrakt.discovery.related import related
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.presenters.movie import Level, present_movie
from opentrakt.v1.presenters.show import present_show
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
    ids = [item.item_id for item in ranked]
    found = await movies_by_ids(call.conn, ids)
    states = await lookup.caller_states(call, "movie", ids)
    settings = call.runtime.settings
    return [
        present_movie(found[i], settings, state=states[i] if states is not None else None)
        for i in ids
        if i in found
    ]


@v1_method("show/related", auth=Auth.OPTIONAL, required=("title",), optional=("extended", "hidewatched"))
async def show_related(call: V1Call) -> list[dict[str, Any]]:
    # Trakt-for-Mediaportal sends `hidewatched` in the `extended` position: accept either in either.
    show_id = await lookup.show_id(call)
    hidden = _hidden_for(call, "extended", "hidewatched")
    level = Level.FULL if _sent(call, EXTENDED, "extended", "hidewatched") else Level.NORMAL
    ranked = await related(call.conn, "show", show_id, hide_watched_by=hidden)
    ids = [item.item_id for item in ranked]
    found = await shows_by_ids(call.conn, ids)
    states = await lookup.caller_states(call, "show", ids)
    settings = call.runtime.settings
    return [
        present_show(found[i], settings, level, state=states[i] if states is not None else None)
        for i in ids
        if i in found
    ]
