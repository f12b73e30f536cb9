"""The comments service: text rules, storage as sent, events and last activity, listings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from opentrakt.db.tables.social import activity_events
from opentrakt.errors import Invalid
from opentrakt.ratings import service as ratings
from opentrakt.runtime import Runtime
from opentrakt.social import comments
from opentrakt.social.comments import MAX_LENGTH, CommentFilter, CommentTarget
from opentrakt.tracking.lastactivity import last_activity
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.conftest import START
from tests.support import make_user

REVIEW = " ".join(["word"] * 200)


@pytest.mark.parametrize(
    ("text", "review"),
    [("", False), (" \n\t ", False), ("\x00", False), ("x" * (MAX_LENGTH + 1), False), ("too short", True)],
)
def test_bad_texts_are_invalid(text: str, review: bool) -> None:
    with pytest.raises(Invalid):
        comments.checked_text(text, review=review)


def test_texts_are_kept_as_sent() -> None:
    assert comments.checked_text("  <b>hi</b>\n\n", review=False) == "  <b>hi</b>\n\n"
    assert comments.checked_text("a\x00b", review=False) == "ab"  # NUL alone can't be stored
    assert comments.checked_text(REVIEW, review=True) == REVIEW
    assert comments.checked_text("x" * MAX_LENGTH, review=False)


async def test_adding_records_events_and_last_activity(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "Portlandia", 2011)
        episode = await add_episode(conn, show, 1, 1)
        target = CommentTarget("episode", episode, show_id=show)
        shout = await comments.add_comment(
            conn, alice.user_id, target, "Ha", spoiler=True, review=False, now=START
        )
        await comments.add_comment(
            conn, alice.user_id, target, REVIEW, spoiler=False, review=True, now=START + 1
        )
        events = (
            await conn.execute(
                select(
                    activity_events.c.action,
                    activity_events.c.item_type,
                    activity_events.c.show_id,
                    activity_events.c.episode_id,
                ).order_by(activity_events.c.id)
            )
        ).all()
        summary = await last_activity(conn, alice.user_id)
    assert shout.spoiler and not shout.review
    assert [tuple(row) for row in events] == [
        ("shout", "episode", show, episode),
        ("review", "episode", show, episode),
    ]
    assert (summary.episode["comment"], summary.episode["shout"], summary.episode["review"]) == (
        START + 1,
        START,
        START + 1,
    )


async def test_listings_are_newest_first_per_item_and_filtered(runtime: Runtime) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    async with catalog_writer(runtime) as conn:
        heat = CommentTarget("movie", await add_movie(conn, "Heat", 1995))
        other = CommentTarget("movie", await add_movie(conn, "Ronin", 1998))
        for n, (who, text, review) in enumerate(
            [(alice, "first", False), (bob, REVIEW, True), (alice, "third", False), (bob, "elsewhere", False)]
        ):
            target = other if text == "elsewhere" else heat
            await comments.add_comment(
                conn, who.user_id, target, text, spoiler=False, review=review, now=START + n
            )
        await ratings.rate(conn, bob.user_id, "movie", {heat.item_id: 9}, START)
        everything = await comments.comments_on(conn, heat)
        shouts = await comments.comments_on(conn, heat, CommentFilter.SHOUTS)
        reviews = await comments.comments_on(conn, heat, CommentFilter.REVIEWS)
        rated = await comments.author_ratings(conn, heat, [alice.user_id, bob.user_id])
        named = await comments.authors(conn, [alice.user_id, bob.user_id, alice.user_id])
    assert [c.text[:5] for c in everything] == ["third", "word ", "first"]
    assert [c.text for c in shouts] == ["third", "first"]
    assert [c.review for c in reviews] == [True]
    assert rated == {bob.user_id: 9}
    assert {user.username for user in named.values()} == {"alice", "bob"}
