"""One privacy matrix over every v1 method that can return a user's data.

A protected owner has data of every kind; their friend (mutual, approved follows), a pending
follower (whom the owner follows: still not a friend), an approved follower the owner does not
follow back (a fan), a stranger and anonymous callers read every such method. The owner and the
friend must find the owner's data (so every case can fail both ways); nobody else may. Listings
that name users (network lists, comments, search) may name a protected user to outsiders, but
keep nothing else of them: no profile fields, nothing watched.

Every registered method is either a case here or named, with a reason, as returning nothing of
other users: a method added later without a privacy case fails ``test_every_method_is_classified``.
"""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from opentrakt.accounts import passwords
from opentrakt.accounts import service as accounts
from opentrakt.clock import FrozenClock
from opentrakt.runtime import Runtime
from opentrakt.v1.handlers import load_handlers
from opentrakt.v1.registry import Auth, registry
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.conftest import START
from tests.social.cast import SEES_OWNER, Cast, make_cast
from tests.support import SPEC, Account

HEAT = {"imdb_id": "tt0113277", "title": "Heat", "year": 1995}
RONIN = {"imdb_id": "tt0122690", "title": "Ronin", "year": 1998}
DEXTER = {"tvdb_id": "79349", "title": "Dexter", "year": 2006}
LOST = {"tvdb_id": "73739", "title": "Lost", "year": 2004}
REVIEW = " ".join(["gripping"] * 200)
DAY = 86_400

# What only the owner's profile carries (set by make_cast): it must never reach an outsider.
OWNER_PROFILE_MARKERS = ("Owen Owner", "Portland")
FRIEND_FULL_NAME = "Fern Friend"
# What user objects in friend listings carry about what the user watches.
WATCH_KEYS = ("watching", "watched", "watched_movies", "watched_episodes")

CALLERS: tuple[str | None, ...] = ("owner", "friend", "pending", "fan", "stranger", None)
OWNER_AND_FRIEND = frozenset({"owner", "friend"})
NOBODY: frozenset[str] = frozenset()

Predicate = Callable[[Any], bool]


# What the bodies are checked for.


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def _has_profile(body: Any, username: str, full_name: str) -> bool:
    """Whether the body carries the user's profile (not just the name a redacted entry keeps)."""
    return any(d.get("username") == username and d.get("full_name") == full_name for d in _walk(body))


def owner_exposed(body: Any) -> bool:
    """Whether the body carries the owner's profile or what they watch: a listing may name a
    protected user to outsiders, but keeps nothing else of them."""
    return any(
        entry.get("username") == "owner"
        and (entry.get("full_name") == "Owen Owner" or any(entry.get(key) for key in WATCH_KEYS))
        for entry in _walk(body)
    )


def friend_profile(body: Any) -> bool:
    return _has_profile(body, "friend", FRIEND_FULL_NAME)


def owner_in_activity(body: Any) -> bool:
    return any(item["user"]["username"] == "owner" for item in body.get("activity", []))


def list_event(privacy: str) -> Predicate:
    """Whether an activity feed carries an event of the owner's list of that privacy."""
    return lambda body: any(
        item["user"]["username"] == "owner" and item.get("list", {}).get("privacy") == privacy
        for item in body.get("activity", [])
    )


def has_data(body: Any) -> bool:
    """A user/* answer with something in it (hidden data answers ``[]``), and not an error."""
    return bool(body) and not (isinstance(body, dict) and body.get("status") in ("error", "failure"))


def profile_with_data(body: Any) -> bool:
    return (
        body["full_name"] == "Owen Owner" and bool(body["watched"]) and body["stats"]["movies"]["watched"] > 0
    )


def list_slug(slug: str) -> Predicate:
    return lambda body: any(entry["slug"] == slug for entry in body)


def the_list(slug: str) -> Predicate:
    return lambda body: isinstance(body, dict) and body["slug"] == slug and bool(body["items"])


def named(username: str) -> Predicate:
    return lambda body: any(entry["username"] == username for entry in body)


def watching(title: str) -> Predicate:
    return lambda body: isinstance(body, dict) and body["movie"]["title"] == title


# The answers to callers who may not see the owner, where the contract fixes them.

ANY_HIDDEN = object()  # no fixed answer: only that nothing of the owner is in it
HIDDEN_ACTIVITY = {"status": "error", "error": "this user's activity is protected"}


@dataclass(frozen=True)
class Case:
    """One read of one method, and who must (and who must not) find the owner's data in it."""

    method: str
    segments: str  # the path after the API key
    shows_owner: Predicate
    seen_by: frozenset[str] = OWNER_AND_FRIEND
    hidden: Any = ANY_HIDDEN
    # For methods nobody may see the owner in: (caller, predicate) proving the read returns data.
    control: tuple[str, Predicate] | None = None
    label: str = ""

    @property
    def name(self) -> str:
        return f"{self.method} {self.label or self.segments}".strip()


def _owner_reads() -> list[Case]:
    """user/* and activity/user/*: reads of the owner by name."""
    empty: list[Any] = []
    on_owner = [
        Case("user/profile", "owner", profile_with_data),
        Case("user/lastactivity", "owner", has_data, hidden=empty),
        Case("user/watching", "owner", has_data, hidden=empty),
        Case("user/calendar/shows", "owner/20231114/7", has_data, hidden=empty),
        Case("user/progress/watched", "owner", has_data, hidden=empty),
        Case("user/progress/collected", "owner", has_data, hidden=empty),
        Case("user/ratings/movies", "owner/all", has_data, hidden=empty),
        Case("user/ratings/shows", "owner/all", has_data, hidden=empty),
        Case("user/ratings/episodes", "owner/all", has_data, hidden=empty),
        Case("user/watchlist/movies", "owner", has_data, hidden=empty),
        Case("user/watchlist/shows", "owner", has_data, hidden=empty),
        Case("user/watchlist/episodes", "owner", has_data, hidden=empty),
        Case("user/watched", "owner", has_data, hidden=empty),
        Case("user/watched/movies", "owner", has_data, hidden=empty),
        Case("user/watched/episodes", "owner", has_data, hidden=empty),
        Case("user/network/followers", "owner", has_data, hidden=empty),
        Case("user/network/following", "owner", has_data, hidden=empty),
        Case("user/network/friends", "owner", has_data, hidden=empty),
        Case("user/friends", "owner", has_data, hidden=empty),
        Case("user/lists", "owner", list_slug("public-picks"), hidden=empty, label="owner public"),
        Case("user/lists", "owner", list_slug("friends-picks"), hidden=empty, label="owner friends"),
        Case(
            "user/lists",
            "owner",
            list_slug("private-picks"),
            seen_by=frozenset({"owner"}),
            label="owner private",
        ),
        Case("user/list", "owner/public-picks", the_list("public-picks"), hidden=empty),
        Case("user/list", "owner/friends-picks", the_list("friends-picks"), hidden=empty),
        Case(
            "user/list",
            "owner/private-picks",
            the_list("private-picks"),
            seen_by=frozenset({"owner"}),
            hidden=empty,
        ),
        Case("activity/user", "owner", owner_in_activity, hidden=HIDDEN_ACTIVITY),
        # A list's events follow the list's privacy inside the visible activity.
        Case(
            "activity/user", "owner/list", list_event("friends"), hidden=HIDDEN_ACTIVITY, label="friends list"
        ),
        Case(
            "activity/user",
            "owner/list",
            list_event("private"),
            seen_by=frozenset({"owner"}),
            hidden=HIDDEN_ACTIVITY,
            label="private list",
        ),
        Case("activity/community", "list", list_event("friends"), label="friends list"),
        Case(
            "activity/community",
            "list",
            list_event("private"),
            seen_by=frozenset({"owner"}),
            label="private list",
        ),
        Case("activity/user/movies", "owner/tt0113277", owner_in_activity, hidden=HIDDEN_ACTIVITY),
        Case("activity/user/shows", "owner/dexter", owner_in_activity, hidden=HIDDEN_ACTIVITY),
        Case("activity/user/seasons", "owner/dexter/1", owner_in_activity, hidden=HIDDEN_ACTIVITY),
        Case("activity/user/episodes", "owner/dexter/1/1", owner_in_activity, hidden=HIDDEN_ACTIVITY),
    ]
    library = [
        Case(f"user/library/{kind}/{part}", "owner", has_data, hidden=empty)
        for kind, parts in (
            ("movies", ("all", "collection", "watched", "loved", "hated")),
            ("shows", ("all", "collection", "watched", "loved", "hated", "unseen")),
        )
        for part in parts
    ]
    return on_owner + library


def _listings() -> list[Case]:
    """Streams and listings that mix users: the owner must be missing (or redacted) in them."""
    return [
        # Public users' network lists name the protected owner: by name only, to outsiders.
        Case("user/network/followers", "friend", owner_exposed, label="friend's, with the owner"),
        Case("user/network/following", "friend", owner_exposed, label="friend's, with the owner"),
        Case("user/network/friends", "friend", owner_exposed, label="friend's, with the owner"),
        Case("user/network/followers", "pending", owner_exposed, label="pending's, with the owner"),
        Case("user/friends", "friend/extended", owner_exposed, label="friend's, with the owner"),
        Case("activity/community", "", owner_in_activity),
        Case("activity/movies", "tt0113277", owner_in_activity),
        Case("activity/shows", "dexter", owner_in_activity),
        Case("activity/seasons", "dexter/1", owner_in_activity),
        Case("activity/episodes", "dexter/1/1", owner_in_activity),
        # The caller's network feeds: only the friend has the owner among their network.
        Case("activity/friends", "", owner_in_activity, seen_by=frozenset({"friend"})),
        Case("activity/friendsme", "", owner_in_activity),
        Case("activity/following", "", owner_in_activity, seen_by=frozenset({"friend"})),
        Case("activity/followers", "", owner_in_activity, seen_by=frozenset({"friend"})),
        Case("friends/all", "", owner_exposed, seen_by=frozenset({"friend"})),
        # Top watchers on summaries.
        Case("movie/summary", "tt0113277", owner_exposed),
        Case("show/summary", "dexter", owner_exposed),
        # The deprecated shout listings take credentials: authors by the rule.
        Case("movie/shouts", "tt0113277", owner_exposed),
        Case("show/shouts", "dexter", owner_exposed),
        Case("show/episode/shouts", "dexter/1/1", owner_exposed),
        # These take no credentials, so the protected owner is hidden (or redacted) from all.
        Case("movie/comments", "tt0113277/all", owner_exposed, NOBODY, control=("stranger", friend_profile)),
        Case("show/comments", "dexter/all", owner_exposed, NOBODY, control=("stranger", friend_profile)),
        Case(
            "show/episode/comments",
            "dexter/1/1/all",
            owner_exposed,
            NOBODY,
            control=("stranger", friend_profile),
        ),
        # Found by name (so that people can ask to follow), listed without the profile.
        Case("search/users", "owner", owner_exposed, NOBODY, control=("stranger", named("owner"))),
        Case("show/watchingnow", "dexter", owner_exposed, NOBODY, control=("stranger", friend_profile)),
        Case(
            "show/episode/watchingnow",
            "dexter/1/1",
            owner_exposed,
            NOBODY,
            control=("stranger", friend_profile),
        ),
        # The caller's own inbox: the owner's requests list the pending follower, nobody's the owner.
        Case("network/requests", "", owner_exposed, NOBODY, control=("owner", named("pending"))),
        Case("friends/requests", "", owner_exposed, NOBODY, control=("owner", named("pending"))),
    ]


# Read after the owner and the friend switch to watching Heat (one watching state per user).
WATCHING_HEAT = [
    Case("movie/watchingnow", "tt0113277", owner_exposed, NOBODY, control=("stranger", friend_profile)),
    Case("user/watching", "owner", watching("Heat"), hidden=[], label="owner, watching Heat"),
]

CASES = _owner_reads() + _listings()

# Every other method, and why it returns nothing of another user.
WRITES_WITH_STATUS_ANSWERS = {
    "account/create", "account/settings", "account/test",
    "comment/episode", "comment/movie", "comment/show",
    "shout/episode", "shout/movie", "shout/show",
    "friends/add", "friends/approve", "friends/delete", "friends/deny",
    "network/approve", "network/deny", "network/follow", "network/unfollow",
    "lists/add", "lists/delete", "lists/items/add", "lists/items/delete", "lists/update",
    "movie/cancelcheckin", "movie/cancelwatching", "movie/checkin", "movie/scrobble", "movie/watching",
    "show/cancelcheckin", "show/cancelwatching", "show/checkin", "show/scrobble", "show/watching",
    "movie/library", "movie/seen", "movie/unlibrary", "movie/unseen", "movie/unwatchlist", "movie/watchlist",
    "show/library", "show/seen", "show/unlibrary", "show/unwatchlist", "show/watchlist",
    "show/episode/library", "show/episode/seen", "show/episode/unlibrary", "show/episode/unseen",
    "show/episode/unwatchlist", "show/episode/watchlist",
    "show/season/library", "show/season/seen",
    "rate/episode", "rate/episodes", "rate/movie", "rate/movies", "rate/show", "rate/shows",
    "recommendations/movies/dismiss", "recommendations/shows/dismiss",
}  # fmt: skip
CATALOGUE_AND_AGGREGATES = {
    "calendar/premieres", "calendar/shows", "genres/movies", "genres/shows", "server/time",
    "movie/stats", "show/stats", "show/episode/stats", "movies/trending", "shows/trending",
    "movies/updated", "shows/updated", "movie/summaries", "show/summaries",
    "show/season", "show/seasons", "show/episode/summary",
    "search/episodes", "search/movies", "search/people", "search/shows",
}  # fmt: skip
CALLERS_OWN_DATA = {
    # Built from the caller's own ratings and plays; other users' only as anonymous aggregates.
    "recommendations/movies", "recommendations/shows", "movie/related", "show/related",
}  # fmt: skip
NOT_USER_DATA = WRITES_WITH_STATUS_ANSWERS | CATALOGUE_AND_AGGREGATES | CALLERS_OWN_DATA


# The world.


async def _post(client: httpx.AsyncClient, who: Account, method: str, **fields: Any) -> None:
    response = await client.post(f"/{method}/{who.key}", json={**who.body, **fields})
    assert response.status_code == 200, (method, response.text)


async def _catalogue(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        await add_movie(conn, "Heat", 1995, imdb_id="tt0113277", tmdb_id=949, runtime=170)
        await add_movie(conn, "Ronin", 1998, imdb_id="tt0122690")
        dexter = await add_show(conn, "Dexter", 2006, tvdb_id=79349, imdb_id="tt0773262")
        await add_episode(conn, dexter, 1, 1, title="Dexter", tvdb_id=1001, first_aired=START + DAY)
        await add_episode(conn, dexter, 1, 2, title="Crocodile", tvdb_id=1002, first_aired=START + 2 * DAY)
        lost = await add_show(conn, "Lost", 2004, tvdb_id=73739)
        await add_episode(conn, lost, 1, 1, title="Pilot", tvdb_id=3001)


async def build_world(client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock) -> Cast:
    cast = await make_cast(runtime)
    async with catalog_writer(runtime) as conn:
        await accounts.update_profile(conn, "friend", full_name=FRIEND_FULL_NAME)
    await _catalogue(runtime)
    owner, friend = cast.owner, cast.friend
    episode_1x1 = {**DEXTER, "episodes": [{"season": 1, "episode": 1}]}
    steps: list[tuple[str, dict[str, Any]]] = [
        ("movie/seen", {"movies": [{**HEAT, "plays": 2, "last_played": START - 500}]}),
        ("movie/library", {"movies": [HEAT]}),
        ("movie/watchlist", {"movies": [RONIN]}),
        ("show/episode/seen", episode_1x1),
        ("show/episode/library", {**DEXTER, "episodes": [{"season": 1, "episode": 2}]}),
        ("show/episode/unseen", {**DEXTER, "episodes": [{"season": 1, "episode": 2}]}),
        ("show/watchlist", {"shows": [LOST]}),
        ("show/episode/watchlist", {**LOST, "episodes": [{"season": 1, "episode": 1}]}),
        ("rate/movie", {**HEAT, "rating": "love"}),
        ("rate/movie", {**RONIN, "rating": "hate"}),
        ("rate/show", {**DEXTER, "rating": "love"}),
        ("rate/show", {**LOST, "rating": "hate"}),
        ("rate/episode", {**DEXTER, "season": 1, "episode": 1, "rating": 8}),
        ("comment/movie", {**HEAT, "comment": "A shout about Heat."}),
        ("comment/movie", {**HEAT, "comment": REVIEW, "review": True}),
        ("comment/show", {**DEXTER, "comment": "A shout about Dexter."}),
        ("comment/episode", {**DEXTER, "season": 1, "episode": 1, "comment": "A shout about the pilot."}),
        ("show/watching", {**DEXTER, "season": 1, "episode": 1, "duration": 50, "progress": 10}),
    ]
    for privacy in ("public", "friends", "private"):
        steps.append(("lists/add", {"name": f"{privacy} picks", "privacy": privacy}))
        steps.append(("lists/items/add", {"slug": f"{privacy}-picks", "items": [{"type": "movie", **HEAT}]}))
    for method, body in steps:
        await _post(client, owner, method, **body)
        clock.advance(1)
    # The public friend does the same things where the owner must be missing to everyone.
    await _post(client, friend, "movie/seen", movies=[HEAT])
    await _post(client, friend, "comment/movie", **HEAT, comment="The friend on Heat.")
    await _post(client, friend, "comment/show", **DEXTER, comment="The friend on Dexter.")
    await _post(
        client, friend, "comment/episode", **DEXTER, season=1, episode=1, comment="The friend's pilot."
    )
    await _post(client, friend, "show/watching", **DEXTER, season=1, episode=1, duration=50, progress=20)
    return cast


# The matrix.


async def _call(client: httpx.AsyncClient, case: Case, cast: Cast, caller: str | None) -> httpx.Response:
    method = registry.get(case.method)
    assert method is not None, case.method
    reads = "GET" in method.verbs
    path = f"/{case.method}{'.json' if reads else ''}/{{key}}/{case.segments}".rstrip("/")
    viewer = cast.viewer(caller)
    if viewer is None:
        key = cast.stranger.key
        if reads:
            return await client.get(path.format(key=key))
        return await client.post(path.format(key=key), json={})
    return await client.post(path.format(key=viewer.key), json=viewer.body)


def _check(case: Case, caller: str | None, response: httpx.Response) -> str | None:
    """What is wrong with one caller's answer, or None."""
    who = caller or "anonymous"
    method = registry.get(case.method)
    assert method is not None
    if caller is None and method.auth is Auth.REQUIRED:
        return None if response.status_code == 401 else f"{who}: {response.status_code}, expected 401"
    if response.status_code != 200:
        return f"{who}: HTTP {response.status_code} {response.text[:200]}"
    body = response.json()
    if caller in case.seen_by:
        return None if case.shows_owner(body) else f"{who} should see the owner's data: {response.text[:300]}"
    if case.shows_owner(body):
        return f"{who} sees the owner's data: {response.text[:300]}"
    leaked = [marker for marker in OWNER_PROFILE_MARKERS if marker in response.text]
    if leaked and not SEES_OWNER[caller]:
        return f"{who} sees the owner's profile ({', '.join(leaked)}): {response.text[:300]}"
    # The friend of an owner-only case gets the owner's other data, not the "hidden" answer.
    if case.hidden is not ANY_HIDDEN and not SEES_OWNER[caller] and body != case.hidden:
        return f"{who} should get {json.dumps(case.hidden)}: {response.text[:300]}"
    if case.control is not None and case.control[0] == caller and not case.control[1](body):
        return f"{who}: the control data is missing, so the case proves nothing: {response.text[:300]}"
    return None


async def _answer(client: httpx.AsyncClient, case: Case, cast: Cast, caller: str | None) -> str | None:
    response = await _call(client, case, cast, caller)
    try:
        return _check(case, caller, response)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as exc:
        return f"{caller or 'anonymous'}: unexpected answer ({exc!r}): {response.text[:300]}"


async def _run(client: httpx.AsyncClient, cast: Cast, cases: list[Case]) -> list[str]:
    failures: list[str] = []
    for case in cases:
        # The callers' reads are independent; running them together keeps the file quick.
        problems = await asyncio.gather(*(_answer(client, case, cast, caller) for caller in CALLERS))
        failures.extend(f"{case.name}: {problem}" for problem in problems if problem is not None)
    return failures


@pytest.fixture
def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every matrix call verifies a password; full-cost Argon2 would make this file slow.
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


async def test_no_protected_data_reaches_anyone_but_the_owner_and_friends(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock, cheap_passwords: None
) -> None:
    cast = await build_world(client, runtime, clock)
    failures = await _run(client, cast, CASES)
    await _post(client, cast.owner, "movie/watching", **HEAT, duration=170, progress=10)
    await _post(client, cast.friend, "movie/watching", **HEAT, duration=170, progress=20)
    failures += await _run(client, cast, WATCHING_HEAT)
    assert failures == [], "\n".join(failures)


# Coverage: no method escapes the matrix.


def _spec_methods() -> dict[str, str]:
    """Each v1 method of the contract's endpoint table, with its URL template."""
    with (SPEC / "endpoints.tsv").open(newline="") as handle:
        return {row["method"]: row["url_template"] for row in csv.DictReader(handle, delimiter="\t")}


def test_every_method_is_classified(shared_dir: object) -> None:
    load_handlers()
    registered = {method.name for method in registry}
    covered = {case.method for case in CASES + WATCHING_HEAT}
    assert registered == set(_spec_methods())
    assert covered <= registered, covered - registered
    assert not covered & NOT_USER_DATA, covered & NOT_USER_DATA
    unclassified = registered - covered - NOT_USER_DATA
    assert not unclassified, f"methods without a privacy case: {sorted(unclassified)}"
    assert registered >= NOT_USER_DATA, NOT_USER_DATA - registered


def test_every_method_naming_a_user_reads_the_owner_by_name(shared_dir: object) -> None:
    load_handlers()
    by_name = {case.method for case in CASES + WATCHING_HEAT if case.segments.startswith("owner")}
    named_in_registry = {method.name for method in registry if "username" in method.segments}
    named_in_spec = {name for name, template in _spec_methods().items() if "{username}" in template}
    assert named_in_registry == named_in_spec
    assert named_in_registry <= by_name, sorted(named_in_registry - by_name)


def test_the_matrix_has_every_caller_and_follows_the_one_rule() -> None:
    # The cast's rule and the matrix's callers agree: only the owner and the friend see the owner.
    assert {caller for caller in CALLERS if SEES_OWNER[caller]} == set(OWNER_AND_FRIEND)
    for case in CASES + WATCHING_HEAT:
        assert case.seen_by <= OWNER_AND_FRIEND, case.name
        assert case.seen_by or case.control is not None, f"{case.name} could never fail for hiding too much"
