"""Summary counters and top episodes shared by every caller for a while; top watchers never."""

from __future__ import annotations

from typing import Any

import httpx

from opentrakt.clock import FrozenClock
from opentrakt.runtime import Runtime
from tests.catalog.statements import recorded_statements
from tests.catalog_fixtures import add_episode, add_show, catalog_writer, the_social_network
from tests.discovery import activity as rows
from tests.support import make_user
from tests.v1.shared_cache import TTL

MOVIE = "the-social-network-2010"


async def test_movie_counters_are_shared_until_the_ttl_passes(
    cached_client: httpx.AsyncClient, client: httpx.AsyncClient, cached_runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(cached_runtime, "alice")
    bob = await make_user(cached_runtime, "bob")
    async with catalog_writer(cached_runtime) as conn:
        movie = await the_social_network(conn)
        await rows.play_movie(conn, alice.user_id, movie)
    url = f"/movie/summary.json/{alice.key}/{MOVIE}"
    first = (await cached_client.get(url)).json()
    assert (first["stats"]["watchers"], first["stats"]["plays"]) == (1, 1)

    async with catalog_writer(cached_runtime) as conn:
        await rows.play_movie(conn, bob.user_id, movie, count=3)
        await rows.collect_movie(conn, bob.user_id, movie)
    fresh = (await client.get(url)).json()  # nothing shared: the new plays at once
    assert (fresh["stats"]["watchers"], fresh["stats"]["plays"], fresh["stats"]["collection"]) == (2, 4, 1)

    with recorded_statements(cached_runtime.engine) as sent:
        within = (await cached_client.get(url)).json()
    assert within["stats"] == first["stats"]
    assert not [s for s in sent if "movie_collection" in s], "the counters were read again"
    # The top watchers are read for every caller, so they are already fresh.
    assert [w["username"] for w in within["top_watchers"]] == ["bob", "alice"]

    clock.advance(TTL - 1)
    assert (await cached_client.get(url)).json()["stats"] == first["stats"]
    clock.advance(1)
    assert (await cached_client.get(url)).json() == fresh


async def test_top_watchers_follow_each_callers_visibility_over_shared_counters(
    cached_client: httpx.AsyncClient, cached_runtime: Runtime
) -> None:
    alice = await make_user(cached_runtime, "alice")
    bob = await make_user(cached_runtime, "bob")
    hidden = await make_user(cached_runtime, "hidden", protected=True)
    async with catalog_writer(cached_runtime) as conn:
        movie = await the_social_network(conn)
        await rows.play_movie(conn, hidden.user_id, movie, count=9)
        await rows.play_movie(conn, alice.user_id, movie)
        await rows.befriend(conn, bob.user_id, hidden.user_id)
    url = f"/movie/summary.json/{alice.key}/{MOVIE}"

    def names(response: httpx.Response) -> list[str]:
        return [w["username"] for w in response.json()["top_watchers"]]

    # The friend's call fills the shared counters first: the protected user must not reach others.
    assert names(await cached_client.post(url, json=bob.body)) == ["hidden", "alice"]
    anonymous = await cached_client.get(url)
    assert names(anonymous) == ["alice"]
    assert anonymous.json()["stats"]["watchers"] == 2
    assert names(await cached_client.post(url, json=alice.body)) == ["alice"]
    assert names(await cached_client.post(url, json=hidden.body)) == ["hidden", "alice"]


async def test_show_top_episodes_are_shared_with_the_counters(
    cached_client: httpx.AsyncClient, client: httpx.AsyncClient, cached_runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(cached_runtime, "alice")
    async with catalog_writer(cached_runtime) as conn:
        show = await add_show(conn, "Quiet Show", 2001, tvdb_id=555)
        first = await add_episode(conn, show, 1, 1, title="One")
        second = await add_episode(conn, show, 1, 2, title="Two")
        await rows.play_episode(conn, alice.user_id, show, first)
    url = f"/show/summary.json/{alice.key}/quiet-show"

    def top(body: dict[str, Any]) -> list[tuple[int, int]]:
        return [(e["number"], e["plays"]) for e in body["top_episodes"]]

    before = (await cached_client.get(url)).json()
    assert top(before) == [(1, 1)]
    async with catalog_writer(cached_runtime) as conn:
        await rows.play_episode(conn, alice.user_id, show, second, count=5)
    assert top((await client.get(url)).json()) == [(2, 5), (1, 1)]
    assert top((await cached_client.get(url)).json()) == [(1, 1)]
    clock.advance(TTL)
    after = (await cached_client.get(url)).json()
    assert top(after) == [(2, 5), (1, 1)]
    assert after["stats"]["plays"] == 6
