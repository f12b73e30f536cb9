"""A media center's sync, replayed against a live server: first sync from empty, a second sync
with nothing new, then local changes pushed and read back."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from opentrakt.runtime import Runtime
from tests.catalog_fixtures import catalog_writer, the_big_bang_theory, the_league, the_walking_dead
from tests.support import Account, live_server, make_user

pytestmark = pytest.mark.live


def _local_movies(count: int) -> list[dict]:
    return [
        {"imdb_id": f"tt{9_000_000 + n}", "title": f"Local Movie {n}", "year": 1950 + n % 70}
        for n in range(count)
    ]


def _shows_local() -> dict[str, dict]:
    """What the media center has: per show, collected and watched (season, episode) pairs."""
    return {
        "80379": {
            "title": "The Big Bang Theory",
            "year": 2007,
            "collected": {(1, e) for e in range(1, 18)} | {(2, e) for e in range(1, 10)},
            "watched": {(1, e) for e in range(1, 18)},
        },
        "153021": {
            "title": "The Walking Dead",
            "year": 2010,
            "collected": {(1, e) for e in range(1, 7)},
            "watched": {(1, 1), (1, 2)},
        },
        "114701": {"title": "The League", "year": 2009, "collected": {(1, 1)}, "watched": {(1, 1)}},
    }


class MediaCenter:
    """The parts of a media-center sync engine that talk to the server (script.trakt's flow)."""

    def __init__(self, http: httpx.Client, user: Account) -> None:
        self.http = http
        self.user = user

    def read(self, method: str, *segments: str) -> object:
        path = "/".join((f"{method}.json", self.user.key, self.user.username, *segments))
        response = self.http.post(f"/{path}", json=self.user.body)
        assert response.status_code == 200, response.text
        return response.json()

    def write(self, method: str, body: dict) -> dict:
        response = self.http.post(f"/{method}/{self.user.key}", json={**self.user.body, **body})
        assert response.status_code == 200, response.text
        data = response.json()
        assert data["status"] == "success"
        return data

    def server_episodes(self, section: str) -> dict[str, set[tuple[int, int]]]:
        listing = self.read(f"user/library/shows/{section}", "min")
        assert isinstance(listing, list)
        return {
            show["tvdb_id"]: {(s["season"], e) for s in show["seasons"] for e in s["episodes"]}
            for show in listing
        }

    def sync(self, movies: list[dict], watched_movies: set[str], shows: dict[str, dict]) -> int:
        """Push what the server lacks; returns the number of write requests made."""
        writes = 0
        collected = {m["imdb_id"] for m in self.read("user/library/movies/collection", "min")}  # type: ignore[union-attr]
        missing = [m for m in movies if m["imdb_id"] not in collected]
        if missing:
            self.write("movie/library", {"movies": missing})
            writes += 1
        seen = {m["imdb_id"] for m in self.read("user/library/movies/watched", "min")}  # type: ignore[union-attr]
        unseen_locally_watched = [m for m in movies if m["imdb_id"] in watched_movies - seen]
        if unseen_locally_watched:
            self.write("movie/seen", {"movies": unseen_locally_watched})
            writes += 1
        for section, method in (("collection", "show/episode/library"), ("watched", "show/episode/seen")):
            on_server = self.server_episodes(section)
            for tvdb_id, show in shows.items():
                local = show["collected" if section == "collection" else "watched"]
                new = sorted(local - on_server.get(tvdb_id, set()))
                if new:
                    episodes = [{"season": s, "episode": e} for s, e in new]
                    body = {
                        "tvdb_id": tvdb_id,
                        "title": show["title"],
                        "year": show["year"],
                        "episodes": episodes,
                    }
                    self.write(method, body)
                    writes += 1
        return writes


async def test_media_center_sync(database_url: str, tmp_path: Path, runtime: Runtime) -> None:
    user = await make_user(runtime, "kodi")
    async with catalog_writer(runtime) as conn:
        await the_big_bang_theory(conn)
        await the_walking_dead(conn)
        await the_league(conn)
    movies = _local_movies(500)
    watched = {m["imdb_id"] for m in movies[:200]}
    shows = _shows_local()
    with live_server(database_url, tmp_path) as base, httpx.Client(base_url=base, timeout=60) as http:
        center = MediaCenter(http, user)
        assert center.sync(movies, watched, shows) == 8  # 2 movie writes + 3 shows x 2 sections

        before = center.read("user/lastactivity")
        assert center.sync(movies, watched, shows) == 0
        assert center.read("user/lastactivity") == before

        collection = center.read("user/library/movies/collection", "min")
        assert sorted(m["imdb_id"] for m in collection) == sorted(m["imdb_id"] for m in movies)  # type: ignore[union-attr]
        plays = {m["imdb_id"]: m["plays"] for m in center.read("user/library/movies/watched", "min")}  # type: ignore[union-attr]
        assert plays == dict.fromkeys(watched, 1)
        assert center.server_episodes("watched") == {k: v["watched"] for k, v in shows.items()}

        # Local changes: five more movies watched, a new episode collected and watched, two movies
        # gone from the collection.
        watched |= {m["imdb_id"] for m in movies[200:205]}
        shows["153021"]["collected"].add((2, 1))
        shows["153021"]["watched"].add((1, 3))
        assert center.sync(movies, watched, shows) == 3
        center.write("movie/unlibrary", {"movies": movies[498:]})
        after = center.read("user/lastactivity")
        assert after["all"] >= before["all"]  # type: ignore[index]
        collection = center.read("user/library/movies/collection", "min")
        assert len(collection) == 498  # type: ignore[arg-type]
        assert len(center.read("user/library/movies/watched", "min")) == 205  # type: ignore[arg-type]
        assert center.server_episodes("collection")["153021"] == shows["153021"]["collected"]
        assert center.server_episodes("watched")["153021"] == shows["153021"]["watched"]
