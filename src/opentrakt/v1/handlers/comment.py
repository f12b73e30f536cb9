"""comment/movie, comment/show, comment/episode; movie/comments, show/comments,
show/episode/comments.

The text is checked before the item is resolved, so a rejected comment never catalogues
anything. Listings are newest first; authors the caller may not see appear redacted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from opentrakt.social import comments
from opentrakt.social.comments import CommentTarget
from opentrakt.v1 import comment_targets as targets
from opentrakt.v1.body_fields import flag
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import success
from opentrakt.v1.presenters.comment import present_comment
from opentrakt.v1.registry import READ, WRITE, Auth, v1_method

BodyTarget = Callable[[V1Call], Awaitable[tuple[CommentTarget, str]]]


async def _comment(call: V1Call, resolve: BodyTarget) -> dict[str, Any]:
    review = bool(flag(call.body.get("review"), "review"))
    spoiler = bool(flag(call.body.get("spoiler"), "spoiler"))
    text = comments.checked_text(targets.comment_text(call, "comment"), review=review)
    target, label = await resolve(call)
    await comments.add_comment(
        call.conn, call.caller.id, target, text, spoiler=spoiler, review=review, now=call.now
    )
    return success(f"{'review' if review else 'comment'} added to {label}")


@v1_method("comment/movie", verbs=WRITE, auth=Auth.REQUIRED)
async def comment_movie(call: V1Call) -> dict[str, Any]:
    return await _comment(call, targets.body_movie)


@v1_method("comment/show", verbs=WRITE, auth=Auth.REQUIRED)
async def comment_show(call: V1Call) -> dict[str, Any]:
    return await _comment(call, targets.body_show_target)


@v1_method("comment/episode", verbs=WRITE, auth=Auth.REQUIRED)
async def comment_episode(call: V1Call) -> dict[str, Any]:
    return await _comment(call, targets.body_episode)


async def _listing(call: V1Call, target: CommentTarget) -> list[dict[str, Any]]:
    found, authors = await targets.listing(call, target, targets.comment_filter(call.param("type")))
    return [present_comment(comment, authors, call.runtime.settings) for comment in found]


@v1_method("movie/comments", verbs=READ, auth=Auth.NONE, required=("title",), optional=("type",))
async def movie_comments(call: V1Call) -> list[dict[str, Any]]:
    return await _listing(call, await targets.path_movie(call))


@v1_method("show/comments", verbs=READ, auth=Auth.NONE, required=("title",), optional=("type",))
async def show_comments(call: V1Call) -> list[dict[str, Any]]:
    return await _listing(call, await targets.path_show(call))


@v1_method(
    "show/episode/comments",
    verbs=READ,
    auth=Auth.NONE,
    required=("title", "season", "episode"),
    optional=("type",),
)
async def episode_comments(call: V1Call) -> list[dict[str, Any]]:
    return await _listing(call, await targets.path_episode(call))
