"""search/movies, search/shows, search/episodes, search/people, search/users.

Both URL forms work: the path (``/search/shows.json/KEY/dexter/10/seasons``) and the query
string (``?query=dexter&limit=10&seasons=true``); when both give a parameter, the query string
wins. A missing or blank query is a 400; a query with nothing searchable in it (``!!!``) finds
nothing.
"""

from __future__ import annotations

import re
from typing import Any

from opentrakt.catalog.queries import episodes_by_ids, shows_by_ids
from opentrakt.discovery import search
from opentrakt.discovery.results import people_by_ids, season_numbers, users_by_ids
from opentrakt.social.visibility import redacted, visible_user_ids
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.presenters.episode import present_search_episode
from opentrakt.v1.presenters.person import present_person
from opentrakt.v1.presenters.search import present_season_numbers
from opentrakt.v1.presenters.show import present_show
from opentrakt.v1.presenters.user import present_user
from opentrakt.v1.registry import Auth, v1_method

# The recorded searches without a limit gave exactly 30 results; the maximum is ours.
DEFAULT_LIMIT = 30
MAX_LIMIT = 100
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,9}$")
_SEASONS = "seasons"
# PyTrakt sends seasons=True.
_TRUE = frozenset({"1", "true", "yes", "on", _SEASONS})


def _param(call: V1Call, name: str) -> str | None:
    value = call.query.get(name)
    if value is None or not value.strip():
        value = call.segments.get(name)
    return value if value is not None and value.strip() else None


def _text(call: V1Call) -> str:
    text = _param(call, "query")
    if text is None:
        raise V1Error(400, "missing parameter: query")
    return text


def _limit(call: V1Call) -> int:
    value = _param(call, "limit")
    # Clients that skip the limit but want seasons put the flag in its place.
    if value is None or value.strip().lower() == _SEASONS:
        return DEFAULT_LIMIT
    value = value.strip()
    if not _WHOLE_NUMBER.match(value) or int(value) == 0:
        raise V1Error(400, "limit must be a positive whole number")
    return min(int(value), MAX_LIMIT)


def _with_seasons(call: V1Call) -> bool:
    flag = call.query.get(_SEASONS)
    if flag is not None and flag.strip():
        return flag.strip().lower() in _TRUE
    return _SEASONS in (
        (call.segments.get(_SEASONS) or "").strip().lower(),
        (call.segments.get("limit") or "").strip().lower(),
    )


@v1_method("search/movies", auth=Auth.OPTIONAL, required=("query",), optional=("limit",))
async def movies(call: V1Call) -> list[dict[str, Any]]:
    ids = await search.search_movies(call.conn, _text(call), _limit(call))
    return list((await lookup.movie_objects(call, ids)).values())


@v1_method("search/shows", auth=Auth.OPTIONAL, required=("query",), optional=("limit", "seasons"))
async def shows(call: V1Call) -> list[dict[str, Any]]:
    ids = await search.search_shows(call.conn, _text(call), _limit(call))
    found = await shows_by_ids(call.conn, ids)
    states = await lookup.caller_states(call, "show", ids)
    seasons = await season_numbers(call.conn, ids) if _with_seasons(call) else None
    settings = call.runtime.settings
    return [
        present_show(
            found[i],
            settings,
            state=states[i] if states is not None else None,
            summary={"seasons": present_season_numbers(seasons[i])} if seasons is not None else None,
        )
        for i in ids
        if i in found
    ]


@v1_method("search/episodes", auth=Auth.OPTIONAL, required=("query",), optional=("limit",))
async def episodes(call: V1Call) -> list[dict[str, Any]]:
    ids = await search.search_episodes(call.conn, _text(call), _limit(call))
    found = await episodes_by_ids(call.conn, ids)
    show_map = await shows_by_ids(call.conn, [episode.show_id for episode in found.values()])
    states = await lookup.caller_states(call, "episode", ids)
    settings = call.runtime.settings
    results = []
    for i in ids:
        episode = found.get(i)
        show = show_map.get(episode.show_id) if episode is not None else None
        if episode is None or show is None:
            continue
        results.append(
            {
                # The recorded results embed the show without its ratings.
                "show": present_show(show, settings, with_ratings=False),
                "episode": present_search_episode(
                    episode, show, settings, state=states[i] if states is not None else None
                ),
            }
        )
    return results


@v1_method("search/people", auth=Auth.NONE, required=("query",), optional=("limit",))
async def people(call: V1Call) -> list[dict[str, Any]]:
    ids = await search.search_people(call.conn, _text(call), _limit(call))
    found = await people_by_ids(call.conn, ids)
    return [present_person(found[i], call.runtime.settings) for i in ids if i in found]


@v1_method("search/users", auth=Auth.NONE, required=("query",), optional=("limit",))
async def users(call: V1Call) -> list[dict[str, Any]]:
    """Protected users are found too, so that people can ask to follow them, but only by
    username, and listed without their profile fields (anyone may call this method)."""
    ids = await search.search_users(call.conn, _text(call), _limit(call))
    found = await users_by_ids(call.conn, ids)
    visible = await visible_user_ids(call.conn, call.user, ids)
    return [
        present_user(user if user.id in visible else redacted(user), call.runtime.settings)
        for user in (found[i] for i in ids if i in found)
    ]
