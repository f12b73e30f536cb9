"""recommendations/movies, recommendations/shows and their dismiss methods."""

from __future__ import annotations

import re
from typing import Any

from opentrakt.catalog.autocatalog import ensure_movies, ensure_show
from opentrakt.catalog.identity import movie_identity, show_identity
from opentrakt.catalog.queries import movies_by_ids, shows_by_ids
from opentrakt.discovery.recommendations import dismiss, recommend
from opentrakt.discovery.taste import Filters
from opentrakt.v1 import lookup
from opentrakt.v1.body_fields import flag, text_field
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error, success
from opentrakt.v1.presenters.movie import present_movie
from opentrakt.v1.presenters.show import present_show
from opentrakt.v1.registry import WRITE, Auth, v1_method

_YEAR = re.compile(r"^[0-9]{4}$")


def _year(call: V1Call, name: str) -> int | None:
    value = call.body.get(name)
    if value is None or value == "":
        return None
    text = str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not _YEAR.match(text):
        raise V1Error(400, f"{name} must be a four-digit year")
    return int(text)


def _filters(call: V1Call) -> Filters:
    """The optional body filters. Collected and watchlisted items are never recommended, so
    ``hide_collected`` and ``hide_watchlisted`` are checked for form and always hold."""
    flag(call.body.get("hide_collected"), "hide_collected")
    flag(call.body.get("hide_watchlisted"), "hide_watchlisted")
    genre = (text_field(call.body.get("genre"), "genre") or "").strip().lower()
    return Filters(
        genre=genre or None, start_year=_year(call, "start_year"), end_year=_year(call, "end_year")
    )


@v1_method("recommendations/movies", verbs=WRITE, auth=Auth.REQUIRED)
async def movies(call: V1Call) -> list[dict[str, Any]]:
    found = await recommend(call.conn, "movie", call.caller.id, filters=_filters(call))
    ids = [item.item_id for item in found]
    by_id = await movies_by_ids(call.conn, ids)
    return [present_movie(by_id[i], call.runtime.settings) for i in ids if i in by_id]


@v1_method("recommendations/shows", verbs=WRITE, auth=Auth.REQUIRED)
async def shows(call: V1Call) -> list[dict[str, Any]]:
    found = await recommend(call.conn, "show", call.caller.id, filters=_filters(call))
    ids = [item.item_id for item in found]
    by_id = await shows_by_ids(call.conn, ids)
    return [present_show(by_id[i], call.runtime.settings) for i in ids if i in by_id]


def _label(title: str, year: int | None) -> str:
    return f"{title} ({year})" if year else title


@v1_method("recommendations/movies/dismiss", verbs=WRITE, auth=Auth.REQUIRED)
async def dismiss_movie(call: V1Call) -> dict[str, Any]:
    # Only catalogued movies can be recommended, so an unknown one is not created to be dismissed.
    (movie_id,) = await ensure_movies(call.conn, [movie_identity(call.body)], call.now, enabled=False)
    movie = (await movies_by_ids(call.conn, [movie_id])).get(movie_id) if movie_id is not None else None
    if movie is None:
        raise V1Error(404, lookup.MOVIE_NOT_FOUND)
    await dismiss(call.conn, "movie", call.caller.id, movie.id, now=call.now)
    return success(
        f"dismissed {_label(movie.title, movie.year)}", movie=present_movie(movie, call.runtime.settings)
    )


@v1_method("recommendations/shows/dismiss", verbs=WRITE, auth=Auth.REQUIRED)
async def dismiss_show(call: V1Call) -> dict[str, Any]:
    show_id = await ensure_show(call.conn, show_identity(call.body), call.now, enabled=False)
    show = (await shows_by_ids(call.conn, [show_id])).get(show_id) if show_id is not None else None
    if show is None:
        raise V1Error(404, lookup.SHOW_NOT_FOUND)
    await dismiss(call.conn, "show", call.caller.id, show.id, now=call.now)
    return success(
        f"dismissed {_label(show.title, show.year)}", show=present_show(show, call.runtime.settings)
    )
