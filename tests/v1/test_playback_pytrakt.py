"""PyPI ``trakt==0.3.6`` (PyTrakt), unchanged, scrobbling a movie and an episode against a live server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
import trakt
import trakt._core
from trakt.movies import Movie
from trakt.tv import TVEpisode

from opentrakt.runtime import Runtime
from tests.catalog_fixtures import catalog_writer, the_walking_dead
from tests.playback.support import (
    BATMAN_IMDB,
    batman_begins,
    episode_play_rows,
    event_actions,
    movie_play_rows,
)
from tests.support import live_server, make_user


@pytest.fixture
def pytrakt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo the module-level state PyTrakt keeps (base URL, key, credentials) after the test."""
    monkeypatch.setattr(trakt.BaseAPI, "base_url", trakt.BaseAPI.base_url)
    monkeypatch.setattr(trakt, "api_key", None, raising=False)
    for name in ("_TRAKT_US_NAME_", "_TRAKT_PASS_WD_"):
        monkeypatch.setattr(trakt._core, name, None, raising=False)


def drive_pytrakt(base: str, key: str) -> dict[str, Any]:
    """What an application using PyTrakt does: authenticate, watch, scrobble, check in."""
    trakt.BaseAPI.base_url = base + "/"
    trakt.api_key = key
    trakt.authenticate("alice", "secret")
    movie = Movie("Batman Begins", year=2005, imdb_id=BATMAN_IMDB, duration=141)
    movie.start_watching(50, "10.0", "Dec 17 2010")
    movie.scrobble(95, "10.0", "Dec 17 2010")
    movie.checkin(venue_name="Home", twitter=True)
    movie.cancel_checkin()
    movie.cancel_watching()
    # PyTrakt 0.3.6 has no working episode scrobble (TVShow.scrobble GETs "scrobble/<key>"
    # without the "show/" prefix), so the episode goes through its own POST transport.
    episode = TVEpisode("The Walking Dead", 1, 1)
    body = {"tvdb_id": 153021, "title": "The Walking Dead", "year": 2010, "season": 1, "episode": 1}
    return episode._post_(f"show/scrobble/{key}", {**body, "duration": 60, "progress": 90})


async def test_pytrakt_scrobbles_a_movie_and_an_episode(
    runtime: Runtime, database_url: str, tmp_path: Path, pytrakt: None
) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        movie_id = await batman_begins(conn)
        await the_walking_dead(conn)
    with live_server(database_url, tmp_path) as base:
        episode_response = await asyncio.to_thread(drive_pytrakt, base, alice.key)
        async with httpx.AsyncClient() as http:
            watching = await http.get(f"{base}/user/watching.json/{alice.key}/alice")
    assert episode_response["status"] == "success"
    assert episode_response["message"] == "scrobbled The Walking Dead 1x01"
    assert (episode_response["season"], episode_response["episode"]["number"]) == ("1", "1")
    assert [(item, action) for item, _, action in await movie_play_rows(runtime, alice.user_id)] == [
        (movie_id, "scrobble")
    ]
    assert [action for _, _, action in await episode_play_rows(runtime, alice.user_id)] == ["scrobble"]
    assert watching.json() == []  # the check-in was cancelled, the scrobbles ended watching
    # start_watching and checkin each began a viewing; the two scrobbles recorded plays.
    events = [(action, kind) for action, kind, _ in await event_actions(runtime, alice.user_id)]
    assert events == [
        ("watching", "movie"),
        ("scrobble", "movie"),
        ("watching", "movie"),
        ("scrobble", "episode"),
    ]
