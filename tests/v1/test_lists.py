"""lists/* and user/lists, user/list: the recorded and documented exchanges, items of every
kind in rank order, bad input, the item cap and the privacy matrix."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opentrakt.accounts import service as accounts
from opentrakt.db.tables.catalog import movies
from opentrakt.db.tables.lists import custom_list_items, custom_lists
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import catalog_writer
from tests.social.cast import make_cast
from tests.support import SPEC, Account, make_user

MAD_MEN = {"tvdb_id": "80337", "title": "Mad Men"}
DOC_ITEMS = [
    {"type": "movie", "imdb_id": "tt0372784", "title": "Batman Begins", "year": 2005},
    {"type": "show", **MAD_MEN},
    {"type": "season", **MAD_MEN, "season": 1},
    {"type": "episode", **MAD_MEN, "season": 1, "episode": 5},
]


async def _post(client: httpx.AsyncClient, who: Account, method: str, **fields: Any) -> httpx.Response:
    return await client.post(f"/lists/{method}/{who.key}", json={**who.body, **fields})


async def _read(client: httpx.AsyncClient, path: str, viewer: Account | None) -> httpx.Response:
    if viewer is None:
        return await client.get(path)
    return await client.post(path, json=viewer.body)


async def _count(runtime: Runtime, table: Any) -> int:
    async with runtime.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


@pytest.mark.parametrize("recording", ["should_add_a_list.json", "should_update_list.json"])
async def test_recorded_lists_add(client: httpx.AsyncClient, runtime: Runtime, recording: str) -> None:
    (exchange,) = json.loads((SPEC / "recorded" / recording).read_text())
    alice = await make_user(runtime, "alice")
    body = {**exchange["request_body"], **alice.body}
    response = await client.post(f"/lists/add/{alice.key}", json=body)
    assert response.status_code == exchange["status"]
    assert response.headers["content-type"] == exchange["content_type"]
    assert response.json() == exchange["response_body"]


async def test_documented_lists_add(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await _post(
        client,
        alice,
        "add",
        name="Top 10 of 2011",
        description="These movies and shows really defined 2011 for me.",
        privacy="public",
        show_numbers=True,
        allow_shouts=True,
    )
    assert response.json() == {
        "status": "success",
        "message": "list added",
        "name": "Top 10 of 2011",
        "slug": "top-10-of-2011",
        "privacy": "public",
        "show_numbers": True,
        "allow_shouts": True,
    }
    lists = await client.get(f"/user/lists.json/{alice.key}/alice")
    assert lists.json() == [
        {
            "name": "Top 10 of 2011",
            "slug": "top-10-of-2011",
            "url": "http://trakt.tv/user/alice/list/top-10-of-2011",
            "description": "These movies and shows really defined 2011 for me.",
            "privacy": "public",
            "show_numbers": True,
            "allow_shouts": True,
        }
    ]


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({}, 400),
        ({"name": ["x"]}, 400),
        ({"name": "  "}, 400),
        ({"name": "ok", "privacy": "secret"}, 400),
        ({"name": "ok", "show_numbers": "maybe"}, 400),
        ({"name": "ok", "description": "x" * 10_001}, 400),
        ({"name": "x" * 1_000_000}, 400),
    ],
)
async def test_bad_lists_add_changes_nothing(
    client: httpx.AsyncClient, runtime: Runtime, fields: dict[str, Any], status: int
) -> None:
    alice = await make_user(runtime, "alice")
    response = await _post(client, alice, "add", **fields)
    assert response.status_code == status
    assert response.json()["status"] == "failure"
    assert await _count(runtime, custom_lists) == 0


async def test_duplicate_names_collide_and_similar_ones_get_suffixes(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice = await make_user(runtime, "alice")
    assert (await _post(client, alice, "add", name="test-list")).json()["slug"] == "testlist"
    duplicate = await _post(client, alice, "add", name="Test-List")
    assert duplicate.status_code == 409
    assert duplicate.json()["status"] == "failure"
    assert (await _post(client, alice, "add", name="testlist")).json()["slug"] == "testlist-2"


async def test_concurrent_requests_stay_consistent(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    added = await asyncio.gather(*(_post(client, alice, "add", name="Race") for _ in range(4)))
    assert sorted(response.status_code for response in added) == [200, 409, 409, 409]
    batches = [[{"type": "season", "title": "Long Runner", "year": 1990, "season": n}] for n in range(4)]
    await asyncio.gather(*(_post(client, alice, "items/add", slug="race", items=items) for items in batches))
    async with runtime.engine.connect() as conn:
        ranks = (await conn.execute(select(custom_list_items.c.rank))).scalars().all()
    assert sorted(ranks) == [1, 2, 3, 4]


async def test_lists_need_authentication(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.post(f"/lists/add/{alice.key}", json={"name": "x"})
    assert response.status_code == 401
    assert response.json() == {"status": "failure", "error": "failed authentication"}


async def test_items_of_every_kind_in_rank_order(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    await _post(client, alice, "add", name="Top 10 of 2011", privacy="public", show_numbers=True)
    unknown = {"type": "movie", "imdb_id": "not-an-id"}
    response = await _post(
        client, alice, "items/add", slug="top-10-of-2011", items=[*DOC_ITEMS, unknown, "junk", DOC_ITEMS[0]]
    )
    assert response.json() == {
        "status": "success",
        "inserted": 4,
        "already_exist": 1,
        "skipped": 2,
        "skipped_items": [unknown, "junk"],
    }
    listed = (await client.get(f"/user/list.json/{alice.key}/alice/top-10-of-2011")).json()
    assert [item["type"] for item in listed["items"]] == ["movie", "show", "season", "episode"]
    movie, show, season, episode = listed["items"]
    assert movie["movie"]["title"] == "Batman Begins"
    assert movie["movie"]["imdb_id"] == "tt0372784"
    assert show["show"]["title"] == "Mad Men"
    assert (season["season"], season["show"]["tvdb_id"]) == ("1", "80337")
    assert (episode["season"], episode["episode_num"]) == ("1", "5")
    assert episode["episode"]["number"] == 5
    assert {key: listed[key] for key in ("name", "slug", "url", "privacy", "show_numbers")} == {
        "name": "Top 10 of 2011",
        "slug": "top-10-of-2011",
        "url": "http://trakt.tv/user/alice/list/top-10-of-2011",
        "privacy": "public",
        "show_numbers": True,
    }
    assert "watched" not in movie  # anonymous: no per-user fields

    deleted = await _post(
        client, alice, "items/delete", slug="top-10-of-2011", items=[*DOC_ITEMS[1:3], unknown]
    )
    assert deleted.json() == {"status": "success", "message": "2 items deleted"}
    mine = (await _read(client, f"/user/list.json/{alice.key}/alice/top-10-of-2011", alice)).json()
    assert [item["type"] for item in mine["items"]] == ["movie", "episode"]
    assert {key: mine["items"][0][key] for key in ("watched", "plays", "in_collection", "rating")} == {
        "watched": False,
        "plays": 0,
        "in_collection": False,
        "rating": False,
    }


async def test_items_delete_never_catalogues(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    await _post(client, alice, "add", name="Empty")
    response = await _post(client, alice, "items/delete", slug="empty", items=DOC_ITEMS[:1])
    assert response.json() == {"status": "success", "message": "0 items deleted"}
    assert await _count(runtime, movies) == 0


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"slug": "nope", "items": []}, 404),
        ({"items": []}, 400),
        ({"slug": "mine"}, 400),
        ({"slug": "mine", "items": {"type": "movie"}}, 400),
        ({"slug": "mine", "items": [{"type": "season", "season": 1, "title": "X"}] * 10_001}, 400),
    ],
)
async def test_bad_items_add_changes_nothing(
    client: httpx.AsyncClient, runtime: Runtime, fields: dict[str, Any], status: int
) -> None:
    alice = await make_user(runtime, "alice")
    await _post(client, alice, "add", name="Mine")
    response = await _post(client, alice, "items/add", **fields)
    assert response.status_code == status
    assert response.json()["status"] == "failure"
    assert await _count(runtime, custom_list_items) == 0


async def test_a_list_never_passes_ten_thousand_items(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    await _post(client, alice, "add", name="Seasons")
    show = {"type": "season", "title": "Long Runner", "year": 1990}
    full = [{**show, "season": n} for n in range(10_000)]
    assert (await _post(client, alice, "items/add", slug="seasons", items=full)).json()["inserted"] == 10_000
    over = await _post(client, alice, "items/add", slug="seasons", items=[{**show, "season": 10_000}])
    assert over.status_code == 400
    assert over.json() == {"status": "failure", "error": "a list holds at most 10000 items"}
    assert await _count(runtime, custom_list_items) == 10_000


async def test_update_and_delete(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    await _post(client, alice, "add", name="Draft", description="first")
    await _post(client, alice, "items/add", slug="draft", items=DOC_ITEMS[:1])
    updated = await _post(client, alice, "update", slug="draft", name="Final Cut", privacy="friends")
    assert updated.json() == {
        "status": "success",
        "message": "list updated",
        "name": "Final Cut",
        "slug": "final-cut",
        "privacy": "friends",
        "show_numbers": False,
        "allow_shouts": False,
    }
    listed = (await _read(client, f"/user/list.json/{alice.key}/alice/final-cut", alice)).json()
    assert (listed["description"], len(listed["items"])) == ("first", 1)
    bad = await _post(client, alice, "update", slug="final-cut", privacy="everyone")
    assert bad.status_code == 400
    assert (await _post(client, alice, "update", slug="draft", name="x")).status_code == 404
    assert (await _post(client, alice, "delete", slug="final-cut")).json() == {
        "status": "success",
        "message": "list deleted",
    }
    assert (await _post(client, alice, "delete", slug="final-cut")).status_code == 404
    assert await _count(runtime, custom_list_items) == 0
    assert (await client.get(f"/user/list.json/{alice.key}/alice/final-cut")).status_code == 404


async def test_someone_elses_slug_is_not_yours(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, mallory = await make_user(runtime, "alice"), await make_user(runtime, "mallory")
    await _post(client, alice, "add", name="Mine", privacy="public")
    for method, fields in (("delete", {}), ("update", {"name": "Hacked"}), ("items/add", {"items": []})):
        response = await _post(client, mallory, method, slug="mine", **fields)
        assert response.status_code == 404
    assert (await client.get(f"/user/lists.json/{alice.key}/alice")).json()[0]["name"] == "Mine"


async def test_unknown_user(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    assert (await client.get(f"/user/lists.json/{alice.key}/nobody")).status_code == 404
    assert (await client.get(f"/user/list.json/{alice.key}/nobody/x")).status_code == 404


VIEWERS = ["owner", "friend", "pending", "fan", "stranger", None]


@pytest.mark.parametrize("protected", [True, False])
@pytest.mark.parametrize("viewer", VIEWERS)
async def test_privacy_matrix(
    client: httpx.AsyncClient, runtime: Runtime, protected: bool, viewer: str | None
) -> None:
    cast = await make_cast(runtime)
    if not protected:
        async with catalog_writer(runtime) as conn:
            await accounts.update_profile(conn, "owner", protected=False)
    for privacy in ("public", "friends", "private"):
        await _post(client, cast.owner, "add", name=privacy.title(), privacy=privacy)
    who = cast.viewer(viewer)
    key = cast.owner.key
    if viewer == "owner":
        expected = {"public", "friends", "private"}
    elif viewer == "friend":
        expected = {"public", "friends"}
    else:
        expected = set() if protected else {"public"}
    listed = (await _read(client, f"/user/lists.json/{key}/owner", who)).json()
    assert {entry["slug"] for entry in listed} == expected
    for privacy in ("public", "friends", "private"):
        response = await _read(client, f"/user/list.json/{key}/owner/{privacy}", who)
        assert response.status_code == 200
        body = response.json()
        assert (body != []) == (privacy in expected), privacy
        if body:
            assert body["slug"] == privacy
