"""genres/movies, genres/shows."""

from __future__ import annotations

from opentrakt.catalog.queries import list_genres
from opentrakt.v1.call import V1Call
from opentrakt.v1.presenters.genre import present_genre
from opentrakt.v1.registry import Auth, v1_method


@v1_method("genres/movies", auth=Auth.NONE)
async def movies(call: V1Call) -> list[dict[str, str]]:
    return [present_genre(genre) for genre in await list_genres(call.conn, for_shows=False)]


@v1_method("genres/shows", auth=Auth.NONE)
async def shows(call: V1Call) -> list[dict[str, str]]:
    return [present_genre(genre) for genre in await list_genres(call.conn, for_shows=True)]
