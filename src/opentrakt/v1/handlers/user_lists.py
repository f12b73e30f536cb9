"""user/lists and user/list: a user's custom lists, as far as the caller may read them.

A protected owner's lists reach only the owner and their friends; within that, each list's
privacy decides (``lists.access``). Hidden data answers ``[]``; an unknown user or slug is 404.
"""

from __future__ import annotations

from typing import Any

from opentrakt.accounts import service as accounts
from opentrakt.catalog.queries import episodes_by_ids, movies_by_ids, shows_by_ids
from opentrakt.lists import items as list_items
from opentrakt.lists import service as lists
from opentrakt.lists.access import readable_privacies
from opentrakt.lists.models import ListItem
from opentrakt.tracking.models import ItemUserState
from opentrakt.v1.call import V1Call
from opentrakt.v1.lookup import caller_states
from opentrakt.v1.presenters.lists import ListCatalog, present_list, present_list_with_items
from opentrakt.v1.registry import READ, Auth, v1_method


@v1_method("user/lists", verbs=READ, auth=Auth.OPTIONAL, required=("username",))
async def user_lists(call: V1Call) -> list[dict[str, Any]]:
    owner = await accounts.require_user(call.conn, call.require("username"))
    privacies = await readable_privacies(call.conn, call.user, owner)
    if not privacies:
        return []
    found = await lists.lists_of(call.conn, owner.id, privacies)
    return [present_list(owner, entry, call.runtime.settings) for entry in found]


async def _catalog(call: V1Call, items: list[ListItem]) -> ListCatalog:
    """Every row the items name, one batched read per kind."""
    refs = [item.ref for item in items]
    movie_ids = [ref.movie_id for ref in refs if ref.movie_id is not None]
    episode_ids = [ref.episode_id for ref in refs if ref.episode_id is not None]
    movies = await movies_by_ids(call.conn, movie_ids)
    episodes = await episodes_by_ids(call.conn, episode_ids)
    show_ids = {ref.show_id for ref in refs if ref.show_id is not None}
    show_ids.update(episode.show_id for episode in episodes.values())
    shows = await shows_by_ids(call.conn, sorted(show_ids))
    states: dict[str, dict[int, ItemUserState]] | None = None
    if call.user is not None:
        states = {}
        for kind, ids in (("movie", list(movies)), ("show", list(shows)), ("episode", list(episodes))):
            states[kind] = await caller_states(call, kind, ids) or {}
    return ListCatalog(movies, shows, episodes, states)


@v1_method("user/list", verbs=READ, auth=Auth.OPTIONAL, required=("username", "slug"))
async def user_list(call: V1Call) -> dict[str, Any] | list[Any]:
    owner = await accounts.require_user(call.conn, call.require("username"))
    found = await lists.get_list(call.conn, owner.id, call.require("slug"))
    if found.privacy not in await readable_privacies(call.conn, call.user, owner):
        return []
    items = await list_items.list_items(call.conn, found.id)
    catalog = await _catalog(call, items)
    return present_list_with_items(owner, found, items, catalog, call.runtime.settings)
