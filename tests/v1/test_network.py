"""network/* and user/network/*: follows, requests, friends and who may see them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opentrakt.db.tables.network import follows
from opentrakt.runtime import Runtime
from tests.conftest import START
from tests.social.cast import SEES_OWNER, make_cast
from tests.support import Account, make_user

USER_KEYS = [
    "username",
    "protected",
    "full_name",
    "gender",
    "age",
    "location",
    "about",
    "joined",
    "avatar",
    "url",
    "vip",
]


async def _network(client: httpx.AsyncClient, who: Account, method: str, **fields: Any) -> httpx.Response:
    return await client.post(f"/network/{method}/{who.key}", json={**who.body, **fields})


async def _read(client: httpx.AsyncClient, path: str, viewer: Account | None = None) -> httpx.Response:
    if viewer is None:
        return await client.get(path)
    return await client.post(path, json=viewer.body)


async def _follow_rows(runtime: Runtime) -> int:
    async with runtime.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(follows))).scalar_one()


async def test_following_a_public_user(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    await make_user(runtime, "bob", full_name="Bob B")
    response = await _network(client, alice, "follow", user="bob")
    assert response.status_code == 200
    assert response.json() == {"status": "success", "message": "now following bob", "pending": False}
    again = await _network(client, alice, "follow", user="BOB")
    assert again.json() == {"status": "success", "message": "already following bob", "pending": False}

    followers = (await client.get(f"/user/network/followers.json/{alice.key}/bob")).json()
    assert [list(f) for f in followers] == [[*USER_KEYS, "since"]]
    assert (followers[0]["username"], followers[0]["since"]) == ("alice", START)
    following = (await client.get(f"/user/network/following.json/{alice.key}/alice")).json()
    assert [(f["username"], f["full_name"], f["since"]) for f in following] == [("bob", "Bob B", START)]
    assert (await client.get(f"/user/network/friends.json/{alice.key}/alice")).json() == []


async def test_following_a_protected_user_needs_approval(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice", full_name="Alice A")
    carol = await make_user(runtime, "carol", protected=True)
    response = await _network(client, alice, "follow", user="carol")
    assert response.json() == {
        "status": "success",
        "message": "follow request sent to carol",
        "pending": True,
    }

    requests = (await _network(client, carol, "requests")).json()
    assert [list(r) for r in requests] == [[*USER_KEYS, "requested"]]
    assert (requests[0]["username"], requests[0]["full_name"], requests[0]["requested"]) == (
        "alice",
        "Alice A",
        START,
    )
    assert (
        await client.post(f"/user/network/followers.json/{carol.key}/carol", json=carol.body)
    ).json() == []

    response = await _network(client, carol, "approve", user="alice")
    assert response.json() == {"status": "success", "message": "approved alice"}
    assert (await _network(client, carol, "requests")).json() == []
    followers = (await client.post(f"/user/network/followers.json/{carol.key}/carol", json=carol.body)).json()
    assert [f["username"] for f in followers] == ["alice"]


async def test_approve_with_follow_back_makes_friends(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    carol = await make_user(runtime, "carol", protected=True)
    await _network(client, alice, "follow", user="carol")
    response = await _network(client, carol, "approve", user="alice", follow_back="true")
    assert response.json()["message"] == "approved alice and followed back"
    friends = (await client.post(f"/user/network/friends.json/{carol.key}/alice", json=carol.body)).json()
    assert [(f["username"], f["since"]) for f in friends] == [("carol", START)]


async def test_follow_back_to_a_protected_follower_is_a_request(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    dave = await make_user(runtime, "dave", protected=True)
    carol = await make_user(runtime, "carol", protected=True)
    await _network(client, dave, "follow", user="carol")
    response = await _network(client, carol, "approve", user="dave", follow_back=True)
    assert response.json()["message"] == "approved dave and sent a follow request back"
    assert [r["username"] for r in (await _network(client, dave, "requests")).json()] == ["carol"]


async def test_deny_and_unfollow(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    carol = await make_user(runtime, "carol", protected=True)
    await _network(client, alice, "follow", user="carol")
    await _network(client, bob, "follow", user="carol")
    assert (await _network(client, carol, "deny", user="alice")).json() == {
        "status": "success",
        "message": "denied alice",
    }
    assert (await _network(client, bob, "unfollow", user="carol")).json()["message"] == (
        "cancelled follow request to carol"
    )
    await _network(client, alice, "follow", user="bob")
    assert (await _network(client, alice, "unfollow", user="bob")).json()[
        "message"
    ] == "stopped following bob"
    assert await _follow_rows(runtime) == 0


@pytest.mark.parametrize(
    ("method", "fields", "status", "error"),
    [
        ("follow", {"user": "alice"}, 400, "you can't follow yourself"),
        ("follow", {"user": "nobody"}, 404, "user nobody not found"),
        ("follow", {}, 400, "user is required"),
        ("follow", {"user": ["bob"]}, 400, "user is required"),
        ("follow", {"user": "bob\x00"}, 404, "user bob\x00 not found"),
        ("approve", {"user": "bob"}, 404, "there is no follow request from bob"),
        ("deny", {"user": "bob"}, 404, "there is no follow request from bob"),
        ("unfollow", {"user": "bob"}, 404, "you are not following bob"),
    ],
)
async def test_bad_network_calls_change_nothing(
    client: httpx.AsyncClient, runtime: Runtime, method: str, fields: dict, status: int, error: str
) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    await _network(client, bob, "follow", user="alice")  # an approved follow is not a request
    response = await _network(client, alice, method, **fields)
    assert (response.status_code, response.json()) == (status, {"status": "failure", "error": error})
    assert await _follow_rows(runtime) == 1


@pytest.mark.parametrize("method", ["follow", "unfollow", "approve", "deny", "requests"])
async def test_network_methods_need_credentials(
    client: httpx.AsyncClient, runtime: Runtime, method: str
) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.post(f"/network/{method}/{alice.key}", json={"user": "alice"})
    assert (response.status_code, response.json()) == (
        401,
        {"status": "failure", "error": "failed authentication"},
    )


async def test_user_network_privacy_matrix(client: httpx.AsyncClient, runtime: Runtime) -> None:
    cast = await make_cast(runtime)
    expected = {
        "followers": {"friend", "fan"},
        "following": {"friend", "pending"},
        "friends": {"friend"},
    }
    for method, names in expected.items():
        for viewer, sees in SEES_OWNER.items():
            path = f"/user/network/{method}.json/{cast.owner.key}/owner"
            response = await _read(client, path, cast.viewer(viewer))
            assert response.status_code == 200, (method, viewer)
            listed = {entry["username"] for entry in response.json()}
            assert listed == (names if sees else set()), (method, viewer)


async def test_protected_entries_keep_only_their_name(client: httpx.AsyncClient, runtime: Runtime) -> None:
    cast = await make_cast(runtime)
    # The friend is public, so anyone may list whom the friend follows: the protected owner among them.
    path = f"/user/network/following.json/{cast.owner.key}/friend"
    for viewer, sees in SEES_OWNER.items():
        (entry,) = (await _read(client, path, cast.viewer(viewer))).json()
        assert list(entry) == [*USER_KEYS, "since"]
        assert (entry["username"], entry["protected"]) == ("owner", True)
        shown = (entry["full_name"], entry["location"])
        assert shown == (("Owen Owner", "Portland") if sees else (None, None)), viewer


async def test_unknown_user_is_404(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    for method in ("followers", "following", "friends"):
        response = await client.get(f"/user/network/{method}.json/{alice.key}/nobody")
        assert (response.status_code, response.json()["status"]) == (404, "failure")
