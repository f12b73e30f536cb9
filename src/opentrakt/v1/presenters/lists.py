"""The v1 shapes of custom lists: the lists/add and lists/update answer, user/lists entries
and the user/list object with its items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opentrakt.accounts.models import User
from opentrakt.catalog.models import Episode, Movie, Show
from opentrakt.config import Settings
from opentrakt.lists.models import CustomList, ListItem
from opentrakt.tracking.models import ItemUserState
from opentrakt.v1.presenters.episode import present_episode
from opentrakt.v1.presenters.fields import add_user_fields
from opentrakt.v1.presenters.movie import present_movie
from opentrakt.v1.presenters.show import present_show


def present_list_saved(saved: CustomList, message: str) -> dict[str, Any]:
    """lists/add and lists/update: the recorded shape, which never includes the description."""
    return {
        "status": "success",
        "message": message,
        "name": saved.name,
        "slug": saved.slug,
        "privacy": saved.privacy.value,
        "show_numbers": saved.show_numbers,
        "allow_shouts": saved.allow_shouts,
    }


def list_url(owner: User, found: CustomList, settings: Settings) -> str:
    return f"{settings.site_url}/user/{owner.username}/list/{found.slug}"


def present_list(owner: User, found: CustomList, settings: Settings) -> dict[str, Any]:
    """One user/lists entry (no items)."""
    return {
        "name": found.name,
        "slug": found.slug,
        "url": list_url(owner, found, settings),
        "description": found.description or "",
        "privacy": found.privacy.value,
        "show_numbers": found.show_numbers,
        "allow_shouts": found.allow_shouts,
    }


class ListCatalog:
    """The catalogue rows and the caller's states a list's items refer to, read in batches."""

    def __init__(
        self,
        movies: Mapping[int, Movie],
        shows: Mapping[int, Show],
        episodes: Mapping[int, Episode],
        states: Mapping[str, Mapping[int, ItemUserState]] | None,
    ) -> None:
        self.movies = movies
        self.shows = shows
        self.episodes = episodes
        self.states = states  # by kind; None on anonymous calls

    def state(self, kind: str, item_id: int | None) -> ItemUserState | None:
        if self.states is None or item_id is None:
            return None
        return self.states.get(kind, {}).get(item_id)


def _item(item: ListItem, catalog: ListCatalog, settings: Settings) -> dict[str, Any] | None:
    """One item; None when its catalogue row is gone."""
    ref = item.ref
    if ref.type == "movie":
        movie = catalog.movies.get(ref.movie_id or 0)
        if movie is None:
            return None
        data: dict[str, Any] = {"type": "movie", "movie": present_movie(movie, settings)}
        state, watch_fields = catalog.state("movie", movie.id), True
    elif ref.type == "episode":
        episode = catalog.episodes.get(ref.episode_id or 0)
        show = catalog.shows.get(episode.show_id) if episode is not None else None
        if episode is None or show is None:
            return None
        data = {
            "type": "episode",
            "season": str(episode.season),
            "episode_num": str(episode.number),
            "show": present_show(show, settings),
            "episode": present_episode(episode, show, settings),
        }
        state, watch_fields = catalog.state("episode", episode.id), True
    else:
        show = catalog.shows.get(ref.show_id or 0)
        if show is None:
            return None
        data = {"type": ref.type}
        if ref.type == "season":
            data["season"] = str(ref.season)
        data["show"] = present_show(show, settings)
        # Seasons have no state of their own; the caller's show fields stand for them.
        state, watch_fields = catalog.state("show", show.id), False
    if state is not None:
        add_user_fields(data, state, watch_fields=watch_fields)
    return data


def present_list_with_items(
    owner: User, found: CustomList, items: list[ListItem], catalog: ListCatalog, settings: Settings
) -> dict[str, Any]:
    """user/list: the list and its items in rank order."""
    data = present_list(owner, found, settings)
    presented = (_item(item, catalog, settings) for item in items)
    data["items"] = [entry for entry in presented if entry is not None]
    return data
