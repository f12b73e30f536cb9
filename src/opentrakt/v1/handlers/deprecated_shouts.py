"""shout/movie, shout/show, shout/episode; movie/shouts, show/shouts, show/episode/shouts.

Deprecated in 2013 for the comment methods and kept as aliases onto them: a shout is a comment
that is not a review. Writes take the text as ``shout``; reads list shouts only, newest first,
in the 2011 shout shape plus the comment keys.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from opentrakt.social import comments
from opentrakt.social.comments import CommentFilter, CommentTarget
from opentrakt.v1 import comment_targets as targets
from opentrakt.v1.body_fields import flag
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import success
from opentrakt.v1.presenters.comment import present_shout
from opentrakt.v1.registry import READ, WRITE, Auth, v1_method

BodyTarget = Callable[[V1Call], Awaitable[tuple[CommentTarget, str]]]


async def _shout(call: V1Call, resolve: BodyTarget) -> dict[str, Any]:
    spoiler = bool(flag(call.body.get("spoiler"), "spoiler"))
    text = comments.checked_text(targets.comment_text(call, "shout"), review=False)
    target, label = await resolve(call)
    await comments.add_comment(
        call.conn, call.caller.id, target, text, spoiler=spoiler, review=False, now=call.now
    )
    return success(f"shout added to {label}")


@v1_method("shout/movie", verbs=WRITE, auth=Auth.REQUIRED, deprecated=True)
async def shout_movie(call: V1Call) -> dict[str, Any]:
    return await _shout(call, targets.body_movie)


@v1_method("shout/show", verbs=WRITE, auth=Auth.REQUIRED, deprecated=True)
async def shout_show(call: V1Call) -> dict[str, Any]:
    return await _shout(call, targets.body_show_target)


@v1_method("shout/episode", verbs=WRITE, auth=Auth.REQUIRED, deprecated=True)
async def shout_episode(call: V1Call) -> dict[str, Any]:
    return await _shout(call, targets.body_episode)


async def _shouts(call: V1Call, target: CommentTarget) -> list[dict[str, Any]]:
    found, authors = await targets.listing(call, target, CommentFilter.SHOUTS)
    return [present_shout(comment, authors, call.runtime.settings) for comment in found]


@v1_method("movie/shouts", verbs=READ, auth=Auth.OPTIONAL, required=("title",), deprecated=True)
async def movie_shouts(call: V1Call) -> list[dict[str, Any]]:
    return await _shouts(call, await targets.path_movie(call))


@v1_method("show/shouts", verbs=READ, auth=Auth.OPTIONAL, required=("title",), deprecated=True)
async def show_shouts(call: V1Call) -> list[dict[str, Any]]:
    return await _shouts(call, await targets.path_show(call))


@v1_method(
    "show/episode/shouts",
    verbs=READ,
    auth=Auth.OPTIONAL,
    required=("title", "season", "episode"),
    deprecated=True,
)
async def episode_shouts(call: V1Call) -> list[dict[str, Any]]:
    return await _shouts(call, await targets.path_episode(call))
