"""account/create, account/test, account/settings and server/time."""

from __future__ import annotations

import asyncio
import base64

import httpx
import pytest

from opentrakt.accounts.passwords import sha1_hex
from opentrakt.runtime import Runtime
from tests.conftest import START
from tests.support import SPEC, make_user


async def test_account_test_with_json_body(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.post(f"/account/test/{alice.key}", json=alice.body)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "success", "message": "all good!"}


async def test_account_test_with_basic_and_empty_body(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.post(f"/account/test/{alice.key}", content=b"{}", headers=alice.basic)
    assert response.json() == {"status": "success", "message": "all good!"}


async def test_account_test_with_form_body(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.post(f"/account/test/{alice.key}", data=alice.body)
    assert response.status_code == 200
    assert response.json()["message"] == "all good!"


async def test_account_test_json_labelled_as_form(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.post(
        f"/account/test/{alice.key}",
        content=f'{{"username": "{alice.username}", "password": "{alice.sha1}"}}',
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.json()["message"] == "all good!"


async def test_account_test_username_is_case_insensitive(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "Alice")
    response = await client.post(
        f"/account/test/{alice.key}", json={"username": "aLICE", "password": alice.sha1}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "alice"},
        {"username": "alice", "password": sha1_hex("wrong")},
        {"username": "nobody", "password": sha1_hex("secret")},
        {"username": "alice", "password": "secret"},
        {"username": "alice", "password": None},
        {"username": ["alice"], "password": sha1_hex("secret")},
    ],
)
async def test_account_test_bad_credentials(client: httpx.AsyncClient, runtime: Runtime, body: dict) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.post(f"/account/test/{alice.key}", json=body)
    assert response.status_code == 401
    assert response.json() == {"status": "failure", "error": "failed authentication"}


async def test_body_credentials_win_over_basic(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    bob = await make_user(runtime, "bob", password="other")
    response = await client.post(f"/account/settings/{alice.key}", json=bob.body, headers=alice.basic)
    assert response.json()["profile"]["username"] == "bob"


async def test_account_settings_shape(client: httpx.AsyncClient, runtime: Runtime, shared_dir) -> None:
    alice = await make_user(runtime, "alice")
    await client.post(f"/account/test/{alice.key}", json=alice.body)
    response = await client.post(f"/account/settings/{alice.key}", json=alice.body)
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "success"
    assert data["message"] == "All settings for alice"
    assert data["viewing"]["ratings"]["mode"] == "simple"
    assert data["profile"]["joined"] == START
    assert data["profile"]["last_login"] == START
    assert data["profile"]["age"] == ""
    assert data["profile"]["full_name"] is None
    assert data["profile"]["url"] == "http://trakt.tv/user/alice"
    assert data["account"] == {"timezone": "UM8", "use_24hr": False, "protected": False}
    assert data["sharing_text"] == {"watching": "I'm watching [item]", "watched": "I just watched [item]"}
    recorded = _recorded_body(SPEC / "recorded" / "should_get_account_info.json")
    assert list(data)[: len(recorded)] == list(recorded)
    for section in ("profile", "account", "viewing"):
        assert set(recorded[section]) <= set(data[section])
    for network in ("facebook", "twitter", "tumblr"):
        assert list(data["connections"][network]) == list(recorded["connections"][network])
        assert all(type(v) is bool for v in data["connections"][network].values())


def _recorded_body(path) -> dict:
    import json

    return json.loads(path.read_text())[0]["response_body"]


async def test_server_time(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    for response in (
        await client.get(f"/server/time.json/{alice.key}"),
        await client.post(f"/server/time.json/{alice.key}", json=alice.body),
        await client.get(f"/server/time/{alice.key}"),
    ):
        assert response.status_code == 200
        assert response.json() == {"timestamp": START, "timezone": "PST"}


async def test_create_account_with_admin_key(client: httpx.AsyncClient, runtime: Runtime) -> None:
    admin = await make_user(runtime, "admin", admin=True)
    body = {"username": "newbie", "password": sha1_hex("pw"), "email": "newbie@example.org"}
    response = await client.post(f"/account/create/{admin.key}", json=body)
    assert response.status_code == 200
    assert response.json() == {"status": "success", "message": "created account for newbie"}
    login = await client.post(
        f"/account/test/{admin.key}", json={"username": "newbie", "password": sha1_hex("pw")}
    )
    assert login.status_code == 200

    again = await client.post(f"/account/create/{admin.key}", json={**body, "email": "other@example.org"})
    assert again.status_code == 409
    assert again.json() == {"status": "failure", "error": "newbie is already a registered username"}
    upper = await client.post(
        f"/account/create/{admin.key}", json={**body, "username": "NEWBIE", "email": "x@y.z"}
    )
    assert upper.json()["error"] == "NEWBIE is already a registered username"
    same_mail = await client.post(f"/account/create/{admin.key}", json={**body, "username": "other"})
    assert same_mail.status_code == 409
    assert same_mail.json()["status"] == "failure"


async def test_create_account_needs_permission(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    body = {"username": "newbie", "password": sha1_hex("pw"), "email": "newbie@example.org"}
    response = await client.post(f"/account/create/{alice.key}", json=body)
    assert response.status_code == 401
    assert response.json() == {
        "status": "failure",
        "error": "invalid development API permission (create_account)",
    }


async def test_open_registration(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    runtime.settings.open_registration = True
    body = {"username": "newbie", "password": sha1_hex("pw"), "email": "newbie@example.org"}
    response = await client.post(f"/account/create/{alice.key}", json=body)
    assert response.json()["message"] == "created account for newbie"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", ""),
        ("username", "a" * 33),
        ("username", "bad name"),
        ("username", "émile"),
        ("username", "tab\there"),
        ("username", "nul\x00"),
        ("username", "newbie\n"),
        ("username", "new\u0130bie"),
        ("username", "🍿"),
        ("username", ["newbie"]),
        ("username", {"name": "newbie"}),
        ("username", "semi;colon"),
        ("username", 12),
        ("username", None),
        ("password", "plaintext"),
        ("password", 1234),
        ("password", sha1_hex("pw") + "\n"),
        ("password", None),
        ("email", "not-an-email"),
        ("email", None),
        ("email", "newbie@example.org\n"),
        ("email", "new bie@example.org"),
        ("email", 42),
    ],
)
async def test_create_account_rejects_bad_input(
    client: httpx.AsyncClient, runtime: Runtime, field: str, value: object
) -> None:
    admin = await make_user(runtime, "admin", admin=True)
    body = {"username": "newbie", "password": sha1_hex("pw"), "email": "newbie@example.org", field: value}
    response = await client.post(f"/account/create/{admin.key}", json=body)
    assert response.status_code == 400
    assert response.json()["status"] == "failure"
    listing = await client.post(
        f"/account/test/{admin.key}", json={"username": "newbie", "password": sha1_hex("pw")}
    )
    assert listing.status_code == 401


async def test_concurrent_creates_of_one_username(client: httpx.AsyncClient, runtime: Runtime) -> None:
    admin = await make_user(runtime, "admin", admin=True)

    async def create(i: int) -> httpx.Response:
        body = {"username": "racer", "password": sha1_hex("pw"), "email": f"racer{i}@example.org"}
        return await client.post(f"/account/create/{admin.key}", json=body)

    responses = await asyncio.gather(*(create(i) for i in range(6)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 1, [r.json() for r in responses]
    assert all(s in (200, 409, 503) for s in statuses)
    assert all(r.json()["status"] == "failure" for r in responses if r.status_code != 200)


UNUSUAL_NAMES = [
    "émile",
    "ALICE\u0130",
    "al\x00ice",
    "alice\x00",
    "alice\n",
    "tab\there",
    "zero\u200bwidth",
    "🍿",
    "a" * 65,
    "alice' OR '1'='1",
]


@pytest.mark.parametrize("name", UNUSUAL_NAMES)
async def test_unusual_usernames_as_credentials_fail_cleanly(
    client: httpx.AsyncClient, runtime: Runtime, name: str
) -> None:
    alice = await make_user(runtime, "alice")
    body = {"username": name, "password": alice.sha1}
    response = await client.post(f"/account/test/{alice.key}", json=body)
    assert response.status_code == 401
    assert response.json() == {"status": "failure", "error": "failed authentication"}
    token = base64.b64encode(f"{name}:{alice.sha1}".encode()).decode()
    basic = await client.post(f"/account/settings/{alice.key}", headers={"Authorization": f"Basic {token}"})
    assert basic.status_code == 401
    assert basic.json() == {"status": "failure", "error": "failed authentication"}


@pytest.mark.parametrize("key", ["%00", "abc%00def", "%C3%A9t%C3%A9", "%FF%FE", "a+b", "'%20OR%201=1--"])
async def test_odd_api_keys_are_invalid(client: httpx.AsyncClient, runtime: Runtime, key: str) -> None:
    alice = await make_user(runtime, "alice")
    for response in (
        await client.get(f"/server/time.json/{key}"),
        await client.post(f"/account/test/{key}", json=alice.body),
    ):
        assert response.status_code == 401
        assert response.json() == {"status": "failure", "error": "invalid API key"}


@pytest.mark.parametrize("name", ["émile", "new\u0130bie", "nul\x00", "newbie\n", "🍿"])
async def test_create_account_form_encoded_unicode_names(
    client: httpx.AsyncClient, runtime: Runtime, name: str
) -> None:
    admin = await make_user(runtime, "admin", admin=True)
    body = {"username": name, "password": sha1_hex("pw"), "email": "newbie@example.org"}
    response = await client.post(f"/account/create/{admin.key}", data=body)
    assert response.status_code == 400
    assert response.json() == {
        "status": "failure",
        "error": "username must be 1-32 letters, digits, '_', '-' or '.'",
    }
