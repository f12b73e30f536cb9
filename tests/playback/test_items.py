"""Recognising a repeated ping from how the client named the item."""

from __future__ import annotations

from opentrakt.catalog.identity import episode_ref, movie_identity, show_identity
from opentrakt.clock import FrozenClock
from opentrakt.playback.items import identity_key, recent_episode, recent_movie
from opentrakt.playback.models import EpisodeItem, MovieItem
from opentrakt.runtime import Runtime
from tests.playback.support import Player, batman_item, in_transaction, walking_dead_items
from tests.support import make_user

BATMAN = {"imdb_id": "tt0372784", "title": "Batman Begins", "year": 2005}
PILOT = {"tvdb_id": 153021, "season": 1, "episode": 1}


def test_identity_key_follows_what_the_client_sent() -> None:
    key = identity_key("movie", movie_identity(BATMAN))
    assert len(key) == 40
    # The same naming, however it was typed, gives the same key.
    assert key == identity_key("movie", movie_identity({**BATMAN, "year": "2005", "plugin_version": "1"}))
    assert key != identity_key("movie", movie_identity({**BATMAN, "year": 2006}))
    pilot = identity_key("episode", show_identity(PILOT), episode_ref(PILOT, inline_show=True))
    second = identity_key(
        "episode", show_identity(PILOT), episode_ref({**PILOT, "episode": 2}, inline_show=True)
    )
    assert pilot != second


async def test_recent_items_are_the_callers_active_watching(runtime: Runtime, clock: FrozenClock) -> None:
    alice = Player(runtime, (await make_user(runtime, "alice")).user_id)
    bob = Player(runtime, (await make_user(runtime, "bob")).user_id)
    batman = await batman_item(runtime)
    pilot, *_ = await walking_dead_items(runtime)
    movie_key = identity_key("movie", movie_identity(BATMAN))
    episode_key = identity_key("episode", show_identity(PILOT), episode_ref(PILOT, inline_show=True))

    async def recent_movie_of(player: Player, key: str) -> MovieItem | None:
        return await in_transaction(
            runtime, lambda conn: recent_movie(conn, player.user_id, key, clock.now())
        )

    async def recent_episode_of(player: Player, key: str) -> EpisodeItem | None:
        return await in_transaction(
            runtime, lambda conn: recent_episode(conn, player.user_id, key, clock.now())
        )

    assert await recent_movie_of(alice, movie_key) is None
    await alice.watch(batman, duration=140, progress=0, identity_key=movie_key)
    assert await recent_movie_of(alice, movie_key) == batman
    assert await recent_movie_of(bob, movie_key) is None  # only the caller's own state
    assert await recent_movie_of(alice, episode_key) is None
    assert await recent_episode_of(alice, movie_key) is None
    clock.advance(30 * 60)
    assert await recent_movie_of(alice, movie_key) is None  # lapsed
    await bob.watch(pilot)  # without a key: never recognised
    assert await recent_episode_of(bob, episode_key) is None
