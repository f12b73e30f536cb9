"""PyPI ``trakt==0.3.6`` (PyTrakt), unchanged, adding, reading and removing library, seen and
watchlist items against a live server.

PyTrakt 0.3.6 ships some of these calls broken (``Movie.add_to_library``/``mark_as_seen`` read a
``_generic_json`` attribute it never defines); for those the test uses PyTrakt's own transport,
``trakt._core.auth_post``, exactly as the library's working methods do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import trakt
import trakt._core
from trakt.movies import Movie
from trakt.tv import TVShow
from trakt.users import User

from opentrakt.runtime import Runtime
from tests.catalog_fixtures import catalog_writer, the_big_bang_theory, uncle_buck
from tests.support import live_server, make_user

pytestmark = pytest.mark.live

UNCLE_BUCK = {"title": "Uncle Buck", "year": 1989, "imdb_id": "tt0098554"}
BIG_BANG = {"title": "The Big Bang Theory", "year": 2007, "imdb_id": "tt0898266", "tvdb_id": "80379"}


@pytest.fixture
def pytrakt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo the module-level state PyTrakt keeps (base URL, key, credentials) after the test."""
    monkeypatch.setattr(trakt.BaseAPI, "base_url", trakt.BaseAPI.base_url)
    monkeypatch.setattr(trakt, "api_key", None, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("_TRAKT_US_NAME_", "_TRAKT_PASS_WD_"):
        monkeypatch.setattr(trakt._core, name, None, raising=False)


def _post(method: str, body: dict) -> dict:
    response = trakt._core.auth_post(f"{trakt.BaseAPI.base_url}{method}/{trakt.api_key}", body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_pytrakt_library_seen_watchlist(
    pytrakt: None, database_url: str, tmp_path: Path, runtime: Runtime
) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await uncle_buck(conn)
        await the_big_bang_theory(conn)
    with live_server(database_url, tmp_path) as base:
        trakt.BaseAPI.base_url = base + "/"
        trakt.api_key = alice.key
        trakt.authenticate("alice", "secret")
        me = User("alice", protected=False)

        movie = Movie(UNCLE_BUCK["title"], year=UNCLE_BUCK["year"], imdb_id=UNCLE_BUCK["imdb_id"])
        movie.add_to_watchlist()
        assert [m.title for m in me.movie_watchlist] == ["Uncle Buck"]
        assert _post("movie/library", {"movies": [UNCLE_BUCK]})["inserted"] == 1
        assert (
            _post("movie/seen", {"movies": [{**UNCLE_BUCK, "last_played": 1_300_000_000}]})["inserted"] == 1
        )
        everything = me.movies
        assert [(m.title, m.plays, m.in_collection) for m in everything] == [("Uncle Buck", 1, True)]
        assert [m.imdb_id for m in me.movie_collection] == ["tt0098554"]

        show = TVShow(**BIG_BANG)
        show.add_to_library()
        show.seen()
        collected = me.show_collection
        assert [s.title for s in collected] == ["The Big Bang Theory"]
        assert sum(len(season["episodes"]) for season in collected[0].seasons) == 122
        assert [s.tvdb_id for s in me.show_watched] == ["80379"]
        assert [s.title for s in me.shows] == ["The Big Bang Theory"]

        _post("movie/unwatchlist", {"movies": [UNCLE_BUCK]})
        _post("movie/unlibrary", {"movies": [UNCLE_BUCK]})
        _post("movie/unseen", {"movies": [UNCLE_BUCK]})
        _post("show/unlibrary", BIG_BANG)
        after = User("alice", protected=False)
        assert after.movie_watchlist == []
        assert after.movie_collection == []
        assert [(m.title, m.plays, m.unseen) for m in after.movies] == [("Uncle Buck", 0, True)]
        assert after.show_collection is None  # PyTrakt leaves it unset for an empty list
