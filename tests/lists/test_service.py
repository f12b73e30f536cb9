"""The lists services: creation, names and slugs, updates, deletion, items in rank order, the cap."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from opentrakt.db.tables.lists import custom_list_items
from opentrakt.db.tables.social import activity_events
from opentrakt.errors import Conflict, Invalid, NotFound
from opentrakt.lists import items as list_items
from opentrakt.lists import service as lists
from opentrakt.lists.models import MAX_ITEMS, ItemRef, ListChanges, Privacy
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.conftest import START
from tests.support import make_user

DEFAULTS = {"description": None, "privacy": Privacy.PRIVATE, "show_numbers": False, "allow_shouts": False}


async def test_create_derives_unique_slugs_and_records_an_event(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        first = await lists.create_list(conn, alice.user_id, name="Top 10!", now=START, **DEFAULTS)
        second = await lists.create_list(conn, alice.user_id, name="Top 10?", now=START, **DEFAULTS)
        events = (await conn.execute(select(activity_events.c.action, activity_events.c.list_id))).all()
    assert (first.slug, second.slug) == ("top-10", "top-10-2")
    assert sorted(events) == sorted([("created", first.id), ("created", second.id)])


async def test_names_are_unique_per_user_only(runtime: Runtime) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    async with catalog_writer(runtime) as conn:
        await lists.create_list(conn, alice.user_id, name="Favourites", now=START, **DEFAULTS)
        with pytest.raises(Conflict):
            await lists.create_list(conn, alice.user_id, name="  FAVOURITES ", now=START, **DEFAULTS)
        other = await lists.create_list(conn, bob.user_id, name="Favourites", now=START, **DEFAULTS)
    assert other.slug == "favourites"


@pytest.mark.parametrize("name", ["", "   ", "\x00\x01", "x" * 201])
async def test_bad_names_are_invalid(runtime: Runtime, name: str) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        with pytest.raises(Invalid):
            await lists.create_list(conn, alice.user_id, name=name, now=START, **DEFAULTS)


async def test_update_renames_reslugs_and_keeps_unsent_settings(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await lists.create_list(
            conn, alice.user_id, name="Old", now=START, **{**DEFAULTS, "description": "kept"}
        )
        await lists.create_list(conn, alice.user_id, name="New!", now=START, **DEFAULTS)
        updated = await lists.update_list(
            conn, alice.user_id, "old", ListChanges(name="New", privacy=Privacy.PUBLIC), START + 5
        )
        assert (updated.slug, updated.privacy, updated.description) == ("new-2", Privacy.PUBLIC, "kept")
        assert (await lists.get_list(conn, alice.user_id, "new-2")).updated_at == START + 5
        same = await lists.update_list(conn, alice.user_id, "new-2", ListChanges(name="new"), START + 6)
        assert same.slug == "new-2"  # a rename to the same slug keeps it
        with pytest.raises(Conflict):
            await lists.update_list(conn, alice.user_id, "new-2", ListChanges(name="New!"), START)
        with pytest.raises(NotFound):
            await lists.update_list(conn, alice.user_id, "old", ListChanges(), START)


async def _movies(runtime: Runtime, count: int) -> list[int]:
    async with catalog_writer(runtime) as conn:
        return [await add_movie(conn, f"Film {n}", 2000) for n in range(count)]


async def test_items_keep_rank_order_and_duplicates_count_once(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    first, second = await _movies(runtime, 2)
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "Mad Men", 2007, tvdb_id=80337)
        episode = await add_episode(conn, show, 1, 5)
        target = await lists.create_list(conn, alice.user_id, name="Mixed", now=START, **DEFAULTS)
        refs = [
            ItemRef(type="movie", movie_id=second),
            ItemRef(type="show", show_id=show),
            ItemRef(type="season", show_id=show, season=1),
            ItemRef(type="episode", show_id=show, episode_id=episode),
            ItemRef(type="movie", movie_id=second),
        ]
        result = await list_items.add_items(conn, target, refs, START)
        again = await list_items.add_items(
            conn, target, [ItemRef(type="movie", movie_id=first), ItemRef(type="show", show_id=show)], START
        )
        stored = await list_items.list_items(conn, target.id)
        removed = await list_items.remove_items(
            conn, target, [ItemRef(type="show", show_id=show), ItemRef(type="movie", movie_id=999)], START
        )
        after = await list_items.list_items(conn, target.id)
    assert (result.inserted, result.already_exist) == (4, 1)
    assert (again.inserted, again.already_exist) == (1, 1)
    assert [item.ref.key for item in stored] == [
        f"movie:{second}",
        f"show:{show}",
        f"season:{show}:1",
        f"episode:{episode}",
        f"movie:{first}",
    ]
    assert removed == 1
    assert [item.ref.type for item in after] == ["movie", "season", "episode", "movie"]


async def test_the_item_cap_refuses_the_whole_request(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    (movie,) = await _movies(runtime, 1)
    async with catalog_writer(runtime) as conn:
        target = await lists.create_list(conn, alice.user_id, name="Big", now=START, **DEFAULTS)
        # Fill to the cap with seasons of one show: cheap rows that need no catalogue entries.
        show = await add_show(conn, "Long Runner", 1990)
        seasons = [ItemRef(type="season", show_id=show, season=n) for n in range(MAX_ITEMS)]
        assert (await list_items.add_items(conn, target, seasons, START)).inserted == MAX_ITEMS
        with pytest.raises(Invalid):
            await list_items.add_items(conn, target, [ItemRef(type="movie", movie_id=movie)], START)
        # Items already on the list don't count against the cap.
        assert (await list_items.add_items(conn, target, seasons[:3], START)).already_exist == 3
        count = (await conn.execute(select(func.count()).select_from(custom_list_items))).scalar_one()
    assert count == MAX_ITEMS


async def test_delete_removes_the_list_and_its_items(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    (movie,) = await _movies(runtime, 1)
    async with catalog_writer(runtime) as conn:
        target = await lists.create_list(conn, alice.user_id, name="Gone", now=START, **DEFAULTS)
        await list_items.add_items(conn, target, [ItemRef(type="movie", movie_id=movie)], START)
        await lists.delete_list(conn, alice.user_id, "gone")
        with pytest.raises(NotFound):
            await lists.get_list(conn, alice.user_id, "gone")
        count = (await conn.execute(select(func.count()).select_from(custom_list_items))).scalar_one()
    assert count == 0
