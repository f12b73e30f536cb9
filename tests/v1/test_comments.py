"""comment/* and */comments, and the deprecated shout/* and */shouts mapped onto them:
shapes, filters, order, safe rendering, bad input and protected authors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opentrakt.db.tables.catalog import movies
from opentrakt.db.tables.comments import comments
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.social.cast import SEES_OWNER, make_cast
from tests.support import Account, make_user

HEAT = {"imdb_id": "tt0113277", "title": "Heat", "year": 1995}
PORTLANDIA = {"tvdb_id": 213221, "title": "Portlandia", "year": 2011}
REVIEW = " ".join(["splendid"] * 200)


@pytest.fixture
async def catalogue(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        await add_movie(conn, "Heat", 1995, imdb_id="tt0113277", tmdb_id=949)
        show = await add_show(conn, "Portlandia", 2011, tvdb_id=213221)
        await add_episode(conn, show, 1, 1, title="Dream of the 1890s")


async def _write(client: httpx.AsyncClient, who: Account, method: str, **fields: Any) -> httpx.Response:
    return await client.post(f"/{method}/{who.key}", json={**who.body, **fields})


async def _read(client: httpx.AsyncClient, path: str, viewer: Account | None = None) -> httpx.Response:
    if viewer is None:
        return await client.get(path)
    return await client.post(path, json=viewer.body)


async def _count(runtime: Runtime, table: Any) -> int:
    async with runtime.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


async def test_comment_on_a_movie_and_read_it_back(
    client: httpx.AsyncClient, runtime: Runtime, catalogue: None
) -> None:
    alice = await make_user(runtime, "alice", full_name="Alice A")
    await _write(client, alice, "rate/movie", **HEAT, rating=8)
    response = await _write(client, alice, "comment/movie", **HEAT, comment="Loved the heist.", spoiler=True)
    assert response.json() == {"status": "success", "message": "comment added to Heat (1995)"}
    listed = (await client.get(f"/movie/comments.json/{alice.key}/heat-1995")).json()
    (comment,) = listed
    assert list(comment) == [
        "id", "inserted", "text", "text_html", "spoiler", "type", "likes", "replies", "user", "user_ratings",
    ]  # fmt: skip
    assert {key: comment[key] for key in ("text", "text_html", "spoiler", "type", "likes", "replies")} == {
        "text": "Loved the heist.",
        "text_html": "<p>Loved the heist.</p>",
        "spoiler": True,
        "type": "shout",
        "likes": 0,
        "replies": 0,
    }
    assert comment["inserted"] == runtime.clock.now()
    assert (comment["user"]["username"], comment["user"]["full_name"]) == ("alice", "Alice A")
    assert comment["user_ratings"] == {"rating": "love", "rating_advanced": 8}
    by_imdb = await client.get(f"/movie/comments/{alice.key}/tt0113277/all")
    assert by_imdb.json() == listed


async def test_text_is_stored_as_sent_and_rendered_safely(
    client: httpx.AsyncClient, runtime: Runtime, catalogue: None
) -> None:
    alice = await make_user(runtime, "alice")
    text = "<script>alert('x')</script> & co\nline two\n\n\"Second\" paragraph"
    await _write(client, alice, "comment/movie", **HEAT, comment=text)
    (comment,) = (await client.get(f"/movie/comments.json/{alice.key}/heat-1995")).json()
    assert comment["text"] == text
    assert comment["text_html"] == (
        "<p>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co<br>line two</p>"
        "<p>&quot;Second&quot; paragraph</p>"
    )


async def test_shows_and_episodes_with_the_type_filter_newest_first(
    client: httpx.AsyncClient, runtime: Runtime, catalogue: None
) -> None:
    alice = await make_user(runtime, "alice")
    await _write(client, alice, "comment/show", **PORTLANDIA, comment="Put a bird on it.")
    runtime.clock.advance(10)
    review = await _write(client, alice, "comment/show", **PORTLANDIA, comment=REVIEW, review=True)
    assert review.json()["message"] == "review added to Portlandia"
    episode = await _write(client, alice, "comment/episode", **PORTLANDIA, season=1, episode=1, comment="Yes")
    assert episode.json()["message"] == "comment added to Portlandia 1x01"

    base = f"/show/comments.json/{alice.key}/portlandia"
    assert [c["type"] for c in (await client.get(base)).json()] == ["review", "shout"]
    assert [c["type"] for c in (await client.get(f"{base}/shouts")).json()] == ["shout"]
    assert [c["type"] for c in (await client.get(f"{base}/REVIEWS")).json()] == ["review"]
    assert (await client.get(f"{base}/loud")).status_code == 400
    episode_path = f"/show/episode/comments.json/{alice.key}/213221/1/1"
    assert [c["text"] for c in (await client.get(episode_path)).json()] == ["Yes"]


@pytest.mark.parametrize(
    ("method", "fields", "status"),
    [
        ("comment/movie", {**HEAT}, 400),
        ("comment/movie", {**HEAT, "comment": "   "}, 400),
        ("comment/movie", {**HEAT, "comment": 42}, 400),
        ("comment/movie", {**HEAT, "comment": "x" * 1_000_000}, 400),
        ("comment/movie", {**HEAT, "comment": "short review", "review": True}, 400),
        ("comment/movie", {**HEAT, "comment": "ok", "spoiler": "perhaps"}, 400),
        ("comment/movie", {"imdb_id": "tt9999999", "comment": "who?"}, 404),
        ("comment/episode", {**PORTLANDIA, "season": -1, "episode": 1, "comment": "x"}, 400),
        ("comment/episode", {**PORTLANDIA, "season": "one", "episode": 1, "comment": "x"}, 400),
        ("shout/movie", {**HEAT, "comment": "wrong field"}, 400),
    ],
)
async def test_bad_comments_change_nothing(
    client: httpx.AsyncClient,
    runtime: Runtime,
    catalogue: None,
    method: str,
    fields: dict[str, Any],
    status: int,
) -> None:
    alice = await make_user(runtime, "alice")
    response = await _write(client, alice, method, **fields)
    assert response.status_code == status
    assert response.json()["status"] == "failure"
    assert await _count(runtime, comments) == 0


async def test_a_rejected_comment_catalogues_nothing(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await _write(client, alice, "comment/movie", title="New Film", year=2020, comment="")
    assert response.status_code == 400
    assert await _count(runtime, movies) == 0
    created = await _write(client, alice, "comment/movie", title="New Film", year=2020, comment="fresh")
    assert created.json()["message"] == "comment added to New Film (2020)"


async def test_unknown_items_on_reads(client: httpx.AsyncClient, runtime: Runtime, catalogue: None) -> None:
    alice = await make_user(runtime, "alice")
    assert (await client.get(f"/movie/comments.json/{alice.key}/blah")).status_code == 404
    assert (await client.get(f"/show/shouts.json/{alice.key}/blah")).status_code == 404
    missing = await client.get(f"/show/episode/comments.json/{alice.key}/portlandia/9/9")
    assert (missing.status_code, missing.json()["error"]) == (400, "episode not found")
    assert (await client.get(f"/movie/comments.json/{alice.key}/heat-1995")).json() == []


async def test_comments_need_authentication(
    client: httpx.AsyncClient, runtime: Runtime, catalogue: None
) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.post(f"/comment/movie/{alice.key}", json={**HEAT, "comment": "hi"})
    assert response.status_code == 401
    assert await _count(runtime, comments) == 0


async def test_deprecated_shouts_map_onto_comments(
    client: httpx.AsyncClient, runtime: Runtime, catalogue: None
) -> None:
    alice = await make_user(runtime, "alice")
    shout = await _write(client, alice, "shout/movie", **HEAT, shout="Great movie!")
    assert shout.json() == {"status": "success", "message": "shout added to Heat (1995)"}
    await _write(client, alice, "comment/movie", **HEAT, comment=REVIEW, review=True)
    await _write(client, alice, "shout/show", **PORTLANDIA, shout="Portland!", spoiler=True)
    await _write(client, alice, "shout/episode", **PORTLANDIA, season=1, episode=1, shout="1890s")

    (movie_shout,) = (await client.get(f"/movie/shouts.json/{alice.key}/heat-1995")).json()
    assert list(movie_shout)[:4] == ["inserted", "shout", "spoiler", "user"]
    assert (movie_shout["shout"], movie_shout["text"], movie_shout["type"]) == (
        "Great movie!",
        "Great movie!",
        "shout",
    )
    # The shout is a comment: the new listing shows it beside the review.
    assert len((await client.get(f"/movie/comments.json/{alice.key}/heat-1995")).json()) == 2
    (show_shout,) = (await client.get(f"/show/shouts.json/{alice.key}/portlandia")).json()
    assert show_shout["spoiler"] is True
    (episode_shout,) = (await client.get(f"/show/episode/shouts.json/{alice.key}/portlandia/1/1")).json()
    assert episode_shout["shout"] == "1890s"


@pytest.mark.parametrize("viewer", ["owner", "friend", "pending", "fan", "stranger", None])
async def test_protected_authors_are_redacted_for_outsiders(
    client: httpx.AsyncClient, runtime: Runtime, catalogue: None, viewer: str | None
) -> None:
    cast = await make_cast(runtime)
    await _write(client, cast.owner, "rate/movie", **HEAT, rating=3)
    await _write(client, cast.owner, "shout/movie", **HEAT, shout="Secretive shout")
    who = cast.viewer(viewer)
    (shout,) = (await _read(client, f"/movie/shouts.json/{cast.owner.key}/heat-1995", who)).json()
    assert shout["shout"] == "Secretive shout"
    assert (shout["user"]["username"], shout["user"]["protected"]) == ("owner", True)
    if SEES_OWNER[viewer]:
        assert (shout["user"]["full_name"], shout["user"]["location"]) == ("Owen Owner", "Portland")
        assert shout["user_ratings"] == {"rating": "hate", "rating_advanced": 3}
    else:
        assert (shout["user"]["full_name"], shout["user"]["location"]) == (None, None)
        assert shout["user_ratings"] == {"rating": False, "rating_advanced": 0}
    # movie/comments takes no credentials, so every caller is an outsider there.
    (comment,) = (await _read(client, f"/movie/comments.json/{cast.owner.key}/heat-1995", who)).json()
    assert comment["user"]["full_name"] is None
