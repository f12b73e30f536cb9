"""The v1 genre object of genres/movies and genres/shows."""

from __future__ import annotations

from opentrakt.catalog.models import Genre


def present_genre(genre: Genre) -> dict[str, str]:
    return {"name": genre.name, "slug": genre.slug}
