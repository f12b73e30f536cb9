"""How a user's own ratings and plays weigh as recommendation seeds."""

from __future__ import annotations

from opentrakt.discovery.taste import KINDS, PLAYED_WEIGHT, seed_weight, user_seeds
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_movie, catalog_writer
from tests.discovery import activity as rows
from tests.support import make_user


def test_loved_ratings_weigh_most_and_hated_ones_against() -> None:
    assert [seed_weight(r) for r in range(1, 11)] == [-5, -4, -3, -2, -1, 3, 4, 5, 6, 7]
    assert seed_weight(None) == PLAYED_WEIGHT
    assert seed_weight(6) > PLAYED_WEIGHT > 0 > seed_weight(5)


async def test_a_rating_outweighs_the_play_of_the_same_item(runtime: Runtime) -> None:
    user = await make_user(runtime, "user")
    async with catalog_writer(runtime) as conn:
        played = await add_movie(conn, "Played", 2000)
        hated = await add_movie(conn, "Hated", 2001)
        await rows.play_movie(conn, user.user_id, played)
        await rows.play_movie(conn, user.user_id, played)
        await rows.play_movie(conn, user.user_id, hated)
        await rows.rate_movie(conn, user.user_id, hated, 2)
    async with runtime.engine.connect() as conn:
        assert await user_seeds(conn, KINDS["movie"], user.user_id) == {played: PLAYED_WEIGHT, hated: -4}
