"""The v1 wire rules, tested on a router over fake methods so no real section is involved.

``echo/read`` is an optional-auth read method with one required and two optional segments
that reports what the router handed it; the other fakes cover writes, permissions and
failures.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import Permission
from opentrakt.db.engine import write_connection
from opentrakt.errors import Conflict, Forbidden, Invalid, NotFound
from opentrakt.runtime import Runtime
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import success
from opentrakt.v1.registry import READ, WRITE, Auth, Registry, V1Method
from opentrakt.v1.router import V1Router
from tests.support import Account, make_user

ANONYMOUS_BASIC = {"Authorization": "Basic Og=="}
# Paths that start with "//" must be given as full URLs, or httpx reads the first word as a host.
BASE = "http://testserver"


async def echo(call: V1Call) -> dict[str, Any]:
    return {
        "method": call.method.name,
        "segments": call.segments,
        "query": call.query,
        "season": call.param("season"),
        "user": call.user.username if call.user else None,
        "body_keys": sorted(call.body),
    }


async def write_echo(call: V1Call) -> dict[str, Any]:
    return success("written", user=call.caller.username, body_keys=sorted(call.body))


async def boom(call: V1Call) -> dict[str, Any]:
    raise RuntimeError("kaboom: internal detail")


_DOMAIN_ERRORS = {"notfound": NotFound, "invalid": Invalid, "conflict": Conflict, "forbidden": Forbidden}


async def domain_failure(call: V1Call) -> dict[str, Any]:
    kind = call.require("kind")
    if kind == "locked":
        raise OperationalError("UPDATE x", {}, Exception("database is locked"))
    if kind == "broken":
        raise OperationalError("UPDATE x", {}, Exception("disk I/O error"))
    raise _DOMAIN_ERRORS[kind](f"{kind} happened")


def _method(name: str, handler: Any, **fields: Any) -> V1Method:
    defaults: dict[str, Any] = {
        "verbs": READ,
        "auth": Auth.NONE,
        "permission": None,
        "required": (),
        "optional": (),
    }
    return V1Method(name=name, handler=handler, **{**defaults, **fields})


def fake_registry() -> Registry:
    registry = Registry()
    for method in (
        _method("echo/read", echo, auth=Auth.OPTIONAL, required=("title",), optional=("season", "episode")),
        _method("echo/read/more", echo, auth=Auth.OPTIONAL, optional=("extra",)),
        _method("echo/write", write_echo, verbs=WRITE, auth=Auth.REQUIRED),
        _method("echo/scrobble", write_echo, verbs=WRITE, auth=Auth.REQUIRED, permission=Permission.SCROBBLE),
        _method("echo/boom", boom),
        _method("echo/fail", domain_failure, required=("kind",)),
    ):
        registry.add(method)
    return registry


@pytest.fixture
async def wire(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    router = V1Router(runtime, fake_registry())
    transport = httpx.ASGITransport(app=router)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client


@pytest.fixture
async def alice(runtime: Runtime) -> Account:
    return await make_user(runtime, "alice")


async def add_key(runtime: Runtime, user_id: int, permissions: set[Permission]) -> str:
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            key = await accounts.add_api_key(conn, user_id=user_id, permissions=permissions, now=0)
    return key.key


def assert_failure(response: httpx.Response, status: int, error: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status"] == "failure"
    assert isinstance(body["error"], str) and body["error"]
    if error is not None:
        assert body["error"] == error


# --- Routing and path tolerance ----------------------------------------------------------


@pytest.mark.parametrize("verb", ["GET", "POST"])
async def test_read_methods_answer_get_and_post(wire: httpx.AsyncClient, alice: Account, verb: str) -> None:
    response = await wire.request(verb, f"/echo/read.json/{alice.key}/dexter")
    assert response.status_code == 200
    assert response.json()["segments"] == {"title": "dexter", "season": None, "episode": None}


@pytest.mark.parametrize("verb", ["GET", "PUT", "DELETE", "PATCH"])
async def test_write_methods_answer_post_only(wire: httpx.AsyncClient, alice: Account, verb: str) -> None:
    response = await wire.request(verb, f"/echo/write/{alice.key}", headers=alice.basic)
    assert_failure(response, 405, "echo/write must be called with POST")
    accepted = await wire.post(f"/echo/write/{alice.key}", headers=alice.basic)
    assert accepted.status_code == 200


@pytest.mark.parametrize("verb", ["PUT", "DELETE"])
async def test_read_methods_refuse_other_verbs(wire: httpx.AsyncClient, alice: Account, verb: str) -> None:
    response = await wire.request(verb, f"/echo/read.json/{alice.key}/dexter")
    assert_failure(response, 405, "echo/read must be called with GET or POST")


@pytest.mark.parametrize(
    "path",
    [
        "/echo/read.json/{key}/dexter",
        "/echo/read/{key}/dexter",
        "//echo/read.json/{key}/dexter",
        "/echo//read.json/{key}/dexter",
        "/echo/read.json//{key}/dexter",
        "/echo/read.json/{key}//dexter",
        "//echo//read.json//{key}//dexter//",
        "/echo/read.json/{key}/dexter/",
        "/echo/read/{key}/dexter///",
    ],
)
async def test_sloppy_paths_reach_the_method(wire: httpx.AsyncClient, alice: Account, path: str) -> None:
    response = await wire.get(BASE + path.format(key=alice.key))
    assert response.status_code == 200, response.text
    assert response.json()["segments"] == {"title": "dexter", "season": None, "episode": None}


@pytest.mark.parametrize("suffix", ["", ".json"])
async def test_json_suffix_is_optional_on_writes(
    wire: httpx.AsyncClient, alice: Account, suffix: str
) -> None:
    response = await wire.post(f"/echo/write{suffix}/{alice.key}", json=alice.body)
    assert response.json() == {
        "status": "success",
        "message": "written",
        "user": "alice",
        "body_keys": ["password", "username"],
    }


async def test_longest_registered_name_wins(wire: httpx.AsyncClient, alice: Account) -> None:
    deeper = await wire.get(f"/echo/read/more.json/{alice.key}/x")
    assert deeper.json()["method"] == "echo/read/more"
    assert deeper.json()["segments"] == {"extra": "x"}
    # After ".json" the next part is the key, so a title that happens to be "more" stays a title.
    shallow = await wire.get(f"/echo/read.json/{alice.key}/more")
    assert shallow.json()["method"] == "echo/read"
    assert shallow.json()["segments"]["title"] == "more"


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("dexter/1/2", {"title": "dexter", "season": "1", "episode": "2"}),
        ("dexter//2", {"title": "dexter", "season": None, "episode": "2"}),
        ("dexter/1/", {"title": "dexter", "season": "1", "episode": None}),
        ("dexter///", {"title": "dexter", "season": None, "episode": None}),
    ],
)
async def test_empty_optional_segments_mean_default(
    wire: httpx.AsyncClient, alice: Account, tail: str, expected: dict[str, str | None]
) -> None:
    response = await wire.get(f"/echo/read.json/{alice.key}/{tail}")
    assert response.json()["segments"] == expected


async def test_query_strings_are_accepted_and_passed_on(wire: httpx.AsyncClient, alice: Account) -> None:
    response = await wire.get(f"/echo/read.json/{alice.key}/dexter?query=dexter&seasons=True&limit=5")
    assert response.status_code == 200
    data = response.json()
    assert data["segments"]["title"] == "dexter"
    assert data["query"] == {"query": "dexter", "seasons": "True", "limit": "5"}


async def test_query_parameter_stands_in_for_a_missing_segment(
    wire: httpx.AsyncClient, alice: Account
) -> None:
    from_query = await wire.get(f"/echo/read.json/{alice.key}/dexter?season=3")
    assert from_query.json()["season"] == "3"
    from_path = await wire.get(f"/echo/read.json/{alice.key}/dexter/4?season=3")
    assert from_path.json()["season"] == "4"


async def test_segments_are_percent_and_plus_decoded(wire: httpx.AsyncClient, alice: Account) -> None:
    response = await wire.get(f"/echo/read.json/{alice.key}/uncle+buck/%C3%A9t%C3%A9/a%2Fb")
    assert response.json()["segments"] == {"title": "uncle buck", "season": "été", "episode": "a/b"}


async def test_comma_lists_arrive_intact(wire: httpx.AsyncClient, alice: Account) -> None:
    response = await wire.get(f"/echo/read.json/{alice.key}/movie,show/the-wire,dexter")
    assert response.json()["segments"]["title"] == "movie,show"
    assert response.json()["segments"]["season"] == "the-wire,dexter"


@pytest.mark.parametrize("tail", ["", "/", "//"])
async def test_missing_required_segment_is_a_400(wire: httpx.AsyncClient, alice: Account, tail: str) -> None:
    response = await wire.get(f"/echo/read.json/{alice.key}{tail}")
    assert_failure(response, 400, "missing parameter: title")


async def test_never_redirects(wire: httpx.AsyncClient, alice: Account) -> None:
    for path in (
        f"/echo/read.json/{alice.key}/dexter/",
        f"//echo/read.json/{alice.key}/dexter",
        f"/echo/read/{alice.key}/dexter",
        f"/echo/write/{alice.key}/",
        "/echo/read.json/",
        "/nothing/here/",
    ):
        for verb in ("GET", "POST"):
            response = await wire.request(verb, BASE + path, headers=alice.basic)
            assert not 300 <= response.status_code < 400, (verb, path)
            assert "location" not in response.headers


@pytest.mark.parametrize(
    "path", ["/", "/nothing", "/nothing/here.json/key", "/echo", "/echo.json/key", "/ECHO/READ/k"]
)
async def test_unknown_method_is_a_404_envelope(wire: httpx.AsyncClient, path: str) -> None:
    assert_failure(await wire.get(path), 404, "method not found")
    assert_failure(await wire.post(path), 404, "method not found")


# --- API keys and permissions ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/echo/read.json",
        "/echo/read.json/",
        "/echo/read.json//",
        "/echo/read.json/0123456789abcdef0123456789abcdef01234567/dexter",
        # A client that leaves the key out puts the title where the key belongs.
        "/echo/read.json/dexter",
        "/echo/read.json/dexter/1/2",
        "/echo/read.json/" + "a" * 500 + "/dexter",
    ],
)
async def test_missing_or_unknown_key_is_invalid_api_key(
    wire: httpx.AsyncClient, alice: Account, path: str
) -> None:
    assert_failure(await wire.get(path), 401, "invalid API key")
    assert_failure(await wire.post(path, json=alice.body), 401, "invalid API key")


async def test_key_with_no_permissions_is_not_a_developer_key(
    wire: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    bare = await add_key(runtime, alice.user_id, set())
    response = await wire.post(f"/echo/scrobble/{bare}", json=alice.body)
    assert_failure(response, 401, "invalid development API key")
    # Methods that need no permission accept the same key.
    assert (await wire.post(f"/echo/write/{bare}", json=alice.body)).status_code == 200


async def test_key_without_the_needed_permission(
    wire: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    checkin_only = await add_key(runtime, alice.user_id, {Permission.CHECKIN})
    response = await wire.post(f"/echo/scrobble/{checkin_only}", json=alice.body)
    assert_failure(response, 401, "invalid development API permission (scrobble)")
    granted = await wire.post(f"/echo/scrobble/{alice.key}", json=alice.body)
    assert granted.status_code == 200


async def test_any_key_works_with_any_users_credentials(
    wire: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    bob = await make_user(runtime, "bob", password="bobs")
    response = await wire.post(f"/echo/write/{alice.key}", json=bob.body)
    assert response.json()["user"] == "bob"


# --- Credentials -------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["GET", "POST"])
async def test_credentials_in_a_json_body(wire: httpx.AsyncClient, alice: Account, verb: str) -> None:
    response = await wire.request(verb, f"/echo/read.json/{alice.key}/dexter", json=alice.body)
    assert response.json()["user"] == "alice"


@pytest.mark.parametrize("verb", ["GET", "POST"])
async def test_credentials_in_a_form_body(wire: httpx.AsyncClient, alice: Account, verb: str) -> None:
    response = await wire.request(
        verb,
        f"/echo/read.json/{alice.key}/dexter",
        content=f"username={alice.username}&password={alice.sha1}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.json()["user"] == "alice"


@pytest.mark.parametrize("verb", ["GET", "POST"])
async def test_credentials_in_http_basic(wire: httpx.AsyncClient, alice: Account, verb: str) -> None:
    response = await wire.request(verb, f"/echo/read.json/{alice.key}/dexter", headers=alice.basic)
    assert response.json()["user"] == "alice"
    write = await wire.post(f"/echo/write/{alice.key}", content=b"{}", headers=alice.basic)
    assert write.json()["user"] == "alice"


async def test_body_credentials_win_over_basic(
    wire: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    bob = await make_user(runtime, "bob", password="bobs")
    response = await wire.post(f"/echo/read.json/{alice.key}/dexter", json=bob.body, headers=alice.basic)
    assert response.json()["user"] == "bob"
    # Wrong body credentials are not rescued by a good header.
    wrong = {"username": "bob", "password": alice.sha1}
    assert_failure(
        await wire.post(f"/echo/write/{alice.key}", json=wrong, headers=alice.basic),
        401,
        "failed authentication",
    )


async def test_no_credentials_is_anonymous_on_optional_auth(wire: httpx.AsyncClient, alice: Account) -> None:
    response = await wire.get(f"/echo/read.json/{alice.key}/dexter")
    assert response.json()["user"] is None


async def test_empty_basic_is_anonymous_on_optional_auth(wire: httpx.AsyncClient, alice: Account) -> None:
    for verb in ("GET", "POST"):
        response = await wire.request(verb, f"/echo/read.json/{alice.key}/dexter", headers=ANONYMOUS_BASIC)
        assert response.status_code == 200
        assert response.json()["user"] is None


async def test_empty_basic_fails_on_required_auth(wire: httpx.AsyncClient, alice: Account) -> None:
    response = await wire.post(f"/echo/write/{alice.key}", headers=ANONYMOUS_BASIC)
    assert_failure(response, 401, "failed authentication")


async def test_no_credentials_fail_on_required_auth(wire: httpx.AsyncClient, alice: Account) -> None:
    assert_failure(await wire.post(f"/echo/write/{alice.key}"), 401, "failed authentication")
    assert_failure(await wire.post(f"/echo/write/{alice.key}", json={}), 401, "failed authentication")


@pytest.mark.parametrize(
    "header",
    [
        "Basic !!!not-base64!!!",
        "Basic " + "//79",  # valid base64, not UTF-8
        "Basic YWxpY2U=",  # "alice" with no colon and no password
        "Basic YWxpY2U6d3Jvbmc=",  # alice:wrong
    ],
)
@pytest.mark.parametrize("path", ["/echo/read.json/{key}/dexter", "/echo/write/{key}"])
async def test_bad_basic_is_failed_authentication(
    wire: httpx.AsyncClient, alice: Account, header: str, path: str
) -> None:
    response = await wire.post(path.format(key=alice.key), headers={"Authorization": header})
    assert_failure(response, 401, "failed authentication")


async def test_wrong_password_fails_on_optional_auth(wire: httpx.AsyncClient, alice: Account) -> None:
    body = {"username": "alice", "password": "0" * 40}
    response = await wire.post(f"/echo/read.json/{alice.key}/dexter", json=body)
    assert_failure(response, 401, "failed authentication")


async def test_credentials_are_ignored_where_auth_is_none(wire: httpx.AsyncClient, alice: Account) -> None:
    response = await wire.get(f"/echo/fail/{alice.key}/notfound", headers={"Authorization": "Basic !!!"})
    assert_failure(response, 404, "notfound happened")


# --- Request bodies ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"username": "alice", ', "malformed JSON body"),
        (b'{"username": alice}', "malformed JSON body"),
        (b"[1, 2", "malformed JSON body"),
        (b'{"a": "\xff"}', "malformed JSON body"),
        (b"[1, 2]", "the JSON body must be an object"),
        (b'["username", "alice"]', "the JSON body must be an object"),
        (b"42", "the JSON body must be an object"),
        (b"-1.5", "the JSON body must be an object"),
        (b'"a string"', "the JSON body must be an object"),
        (b"true", "the JSON body must be an object"),
        (b"\xff\xfe", "the request body is not valid UTF-8"),
        (b"just some words", "the request body is neither JSON nor form-encoded"),
    ],
)
@pytest.mark.parametrize("path", ["/echo/read.json/{key}/dexter", "/echo/write/{key}"])
async def test_malformed_bodies_are_400(
    wire: httpx.AsyncClient, alice: Account, content: bytes, problem: str, path: str
) -> None:
    response = await wire.post(path.format(key=alice.key), content=content, headers=alice.basic)
    assert_failure(response, 400)
    assert response.json()["error"].startswith(problem)


async def test_malformed_json_names_the_position(wire: httpx.AsyncClient, alice: Account) -> None:
    response = await wire.post(f"/echo/write/{alice.key}", content=b'{"username": }')
    assert response.json()["error"].startswith("malformed JSON body: ")
    assert "position" in response.json()["error"]


async def test_unknown_body_keys_are_ignored(wire: httpx.AsyncClient, alice: Account) -> None:
    body = {
        **alice.body,
        "plugin_version": "2.3.2",
        "media_center_version": 12,
        "images": {"poster": "http://example.org/p.jpg"},
        "genres": ["Drama"],
        "extended": None,
    }
    response = await wire.post(f"/echo/write/{alice.key}", json=body)
    assert response.status_code == 200
    assert response.json()["user"] == "alice"


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "application/x-www-form-urlencoded",
        "text/plain",
        "text/html; charset=utf-8",
        "multipart/form-data",
    ],
)
async def test_json_is_parsed_whatever_the_content_type(
    wire: httpx.AsyncClient, alice: Account, content_type: str | None
) -> None:
    content = f'{{"username": "{alice.username}", "password": "{alice.sha1}"}}'.encode()
    headers = {"Content-Type": content_type} if content_type else {}
    response = await wire.post(f"/echo/write/{alice.key}", content=content, headers=headers)
    assert response.json()["user"] == "alice"


@pytest.mark.parametrize("content_type", [None, "application/json", "text/plain"])
async def test_form_bodies_are_parsed_whatever_the_content_type(
    wire: httpx.AsyncClient, alice: Account, content_type: str | None
) -> None:
    content = f"username={alice.username}&password={alice.sha1}&extra=%7B%7D".encode()
    headers = {"Content-Type": content_type} if content_type else {}
    response = await wire.post(f"/echo/write/{alice.key}", content=content, headers=headers)
    assert response.json()["user"] == "alice"
    assert response.json()["body_keys"] == ["extra", "password", "username"]


@pytest.mark.parametrize("content", [b"", b"   \r\n", b"null"])
async def test_empty_body_means_no_fields(wire: httpx.AsyncClient, alice: Account, content: bytes) -> None:
    response = await wire.post(f"/echo/read.json/{alice.key}/dexter", content=content)
    assert response.status_code == 200
    assert response.json()["body_keys"] == []
    with_basic = await wire.post(f"/echo/write/{alice.key}", content=content, headers=alice.basic)
    assert with_basic.json()["user"] == "alice"


@pytest.mark.parametrize(
    "body",
    [
        {"username": ["alice"], "password": "x"},
        {"username": {"name": "alice"}, "password": "x"},
        {"username": "alice", "password": ["a"]},
        {"username": True, "password": False},
    ],
)
async def test_wrongly_typed_credentials_fail_authentication(
    wire: httpx.AsyncClient, alice: Account, body: dict[str, Any]
) -> None:
    response = await wire.post(f"/echo/write/{alice.key}", json=body)
    assert_failure(response, 401, "failed authentication")


async def test_body_over_the_limit_by_content_length(
    wire: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    runtime.settings.max_body_bytes = 1000
    response = await wire.post(f"/echo/write/{alice.key}", content=b"x" * 1001, headers=alice.basic)
    assert_failure(response, 413, "request body is larger than 1000 bytes")
    exactly = b'{"pad": "' + b"x" * 989 + b'"}'
    assert len(exactly) == 1000
    accepted = await wire.post(f"/echo/write/{alice.key}", content=exactly, headers=alice.basic)
    assert accepted.status_code == 200


async def test_chunked_body_over_the_limit_is_not_read_whole(
    wire: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    runtime.settings.max_body_bytes = 1000
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(100):
            sent.append(i)
            yield b"x" * 300

    response = await wire.post(f"/echo/write/{alice.key}", content=chunks(), headers=alice.basic)
    assert "content-length" not in response.request.headers
    assert_failure(response, 413, "request body is larger than 1000 bytes")
    assert len(sent) < 10


async def test_fifty_megabyte_body_is_refused(wire: httpx.AsyncClient, alice: Account) -> None:
    response = await wire.post(f"/echo/write/{alice.key}", content=b"{" + b" " * (50 * 1024 * 1024) + b"}")
    assert_failure(response, 413, "request body is larger than 10485760 bytes")


async def test_invalid_content_length_is_400(wire: httpx.AsyncClient, alice: Account) -> None:
    response = await wire.post(f"/echo/write/{alice.key}", content=b"{}", headers={"Content-Length": "lots"})
    assert_failure(response, 400, "invalid Content-Length header")


# --- Errors and responses ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status"), [("notfound", 404), ("invalid", 400), ("conflict", 409), ("forbidden", 403)]
)
async def test_domain_errors_map_to_statuses(
    wire: httpx.AsyncClient, alice: Account, kind: str, status: int
) -> None:
    assert_failure(await wire.get(f"/echo/fail/{alice.key}/{kind}"), status, f"{kind} happened")


async def test_busy_database_is_503_over_capacity(wire: httpx.AsyncClient, alice: Account) -> None:
    assert_failure(await wire.get(f"/echo/fail/{alice.key}/locked"), 503, "server is over capacity")


async def test_unexpected_exception_is_a_logged_500(
    wire: httpx.AsyncClient, alice: Account, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="opentrakt")
    for path in (f"/echo/boom/{alice.key}", f"/echo/fail/{alice.key}/broken"):
        response = await wire.post(path, json=alice.body)
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {"status": "failure", "error": "internal server error"}
        assert "Traceback" not in response.text
    errors = [r for r in caplog.records if r.name == "opentrakt.error"]
    assert len(errors) == 2
    assert errors[0].exc_info is not None and errors[0].exc_info[0] is RuntimeError
    assert "kaboom: internal detail" in caplog.text
    assert "Traceback" in caplog.text
    assert alice.key not in caplog.text
    assert alice.sha1 not in caplog.text


async def test_every_response_is_json(wire: httpx.AsyncClient, runtime: Runtime, alice: Account) -> None:
    runtime.settings.max_body_bytes = 10
    responses = [
        await wire.get(f"/echo/read.json/{alice.key}/dexter"),
        await wire.post(f"/echo/write/{alice.key}", headers=alice.basic),
        await wire.get("/nowhere"),
        await wire.get(f"/echo/write/{alice.key}"),
        await wire.get("/echo/read.json/nokey"),
        await wire.post(f"/echo/write/{alice.key}"),
        await wire.post(f"/echo/write/{alice.key}", content=b"[" * 11),
        await wire.post(f"/echo/write/{alice.key}", content=b"[1"),
        await wire.get(f"/echo/boom/{alice.key}"),
        await wire.get(f"/echo/read.json/{alice.key}"),
    ]
    assert sorted({r.status_code for r in responses}) == [200, 400, 401, 404, 405, 413, 500]
    for response in responses:
        assert response.headers["content-type"] == "application/json"
        assert int(response.headers["content-length"]) == len(response.content)
        response.json()


async def test_one_access_log_line_per_request_without_secrets(
    wire: httpx.AsyncClient, alice: Account, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="opentrakt")
    await wire.get(f"/echo/read.json/{alice.key}/dexter?x=1", headers=alice.basic)
    await wire.post(f"{BASE}//echo/write/{alice.key}/", json=alice.body)
    await wire.get(f"/nowhere/{alice.key}")
    await wire.get(f"/echo/read.json/{alice.key[:-1]}X/dexter")
    # A key in the wrong place is masked as well.
    await wire.get(f"/echo/read.json/dexter/{alice.key}")
    lines = [r.getMessage() for r in caplog.records if r.name == "opentrakt.access"]
    assert len(lines) == 5
    assert lines[0].startswith("GET /echo/read.json/<key>/dexter 200 ")
    assert lines[1].startswith("POST //echo/write/<key>/ 200 ")
    assert lines[2].startswith("GET /nowhere/<key> 404 ")
    assert lines[3].startswith("GET /echo/read.json/<key>/dexter 401 ")
    assert lines[4].startswith("GET /echo/read.json/<key>/<key> 401 ")
    assert all(line.endswith("ms") for line in lines)
    assert alice.key not in caplog.text
    assert alice.key[:-1] not in caplog.text
    assert alice.sha1 not in caplog.text
