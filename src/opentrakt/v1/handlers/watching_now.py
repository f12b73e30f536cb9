"""Who is watching what right now: user/watching and the */watchingnow lists.

The watchingnow methods take no credentials, so protected users never appear in them; a
protected user's ``user/watching`` is ``[]`` to anyone but the user and their friends, the
same "nothing" an idle user gets.
"""

from __future__ import annotations

from typing import Any

from opentrakt.accounts import service as accounts
from opentrakt.catalog.queries import episode_at
from opentrakt.playback import queries as playback
from opentrakt.social.visibility import can_view
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.lookup import EPISODE_NOT_FOUND, EPISODE_NOT_FOUND_STATUS, item_number, movie_id, show_id
from opentrakt.v1.presenters.user import present_user
from opentrakt.v1.presenters.watching import present_watch_item
from opentrakt.v1.registry import Auth, v1_method


@v1_method("user/watching", auth=Auth.OPTIONAL, required=("username",))
async def user_watching(call: V1Call) -> dict[str, Any] | list[Any]:
    owner = await accounts.require_user(call.conn, call.require("username"))
    if not await can_view(call.conn, call.user, owner):
        return []
    playing = await playback.now_playing(call.conn, owner.id, call.now)
    if playing is None:
        return []
    return present_watch_item(playing, call.runtime.settings)


@v1_method("movie/watchingnow", required=("title",))
async def movie_watchingnow(call: V1Call) -> list[dict[str, Any]]:
    watchers = await playback.movie_watchers(call.conn, await movie_id(call), call.now)
    return [present_user(user, call.runtime.settings) for user in watchers]


@v1_method("show/watchingnow", required=("title",))
async def show_watchingnow(call: V1Call) -> list[dict[str, Any]]:
    watchers = await playback.show_watchers(call.conn, await show_id(call), call.now)
    return [present_user(user, call.runtime.settings) for user in watchers]


@v1_method("show/episode/watchingnow", required=("title", "season", "episode"))
async def episode_watchingnow(call: V1Call) -> list[dict[str, Any]]:
    found_show = await show_id(call)
    season, number = item_number(call.require("season")), item_number(call.require("episode"))
    episode = None
    if season is not None and number is not None:
        episode = await episode_at(call.conn, found_show, season, number)
    if episode is None:
        raise V1Error(EPISODE_NOT_FOUND_STATUS, EPISODE_NOT_FOUND)
    watchers = await playback.episode_watchers(call.conn, episode.id, call.now)
    return [present_user(user, call.runtime.settings) for user in watchers]
