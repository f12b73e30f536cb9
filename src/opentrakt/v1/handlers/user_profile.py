"""user/profile: the user object with ``vip``, counters, recent plays and what is playing now."""

from __future__ import annotations

from typing import Any

from opentrakt.accounts import service as accounts
from opentrakt.playback import queries as playback
from opentrakt.social.profile_stats import EMPTY_STATS, profile_stats
from opentrakt.social.recent_plays import recent_plays
from opentrakt.social.visibility import can_view, redacted
from opentrakt.v1.call import V1Call
from opentrakt.v1.handlers.deprecated_watched import played_items
from opentrakt.v1.presenters.friends import present_history_item
from opentrakt.v1.presenters.profile import present_profile
from opentrakt.v1.presenters.watching import present_watch_item
from opentrakt.v1.registry import READ, Auth, v1_method

# How many recent plays a profile lists under ``watched``.
PROFILE_WATCHED = 10


@v1_method("user/profile", verbs=READ, auth=Auth.OPTIONAL, required=("username",))
async def profile(call: V1Call) -> dict[str, Any]:
    owner = await accounts.require_user(call.conn, call.require("username"))
    settings = call.runtime.settings
    if not await can_view(call.conn, call.user, owner):
        # Same keys, nothing personal: clients check the key set before anything else.
        return present_profile(redacted(owner), settings, stats=EMPTY_STATS, watching=None, watched=[])
    plays = (await recent_plays(call.conn, [owner.id], PROFILE_WATCHED)).get(owner.id, [])
    items = await played_items(call, plays)
    watched = [present_history_item(play, items, settings) for play in plays]
    playing = await playback.now_playing(call.conn, owner.id, call.now)
    return present_profile(
        owner,
        settings,
        stats=await profile_stats(call.conn, owner.id),
        watching=present_watch_item(playing, settings) if playing is not None else None,
        watched=[item for item in watched if item is not None][:PROFILE_WATCHED],
    )
