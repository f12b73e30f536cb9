"""What comment and shout methods share: the item a body or a path names, and the listing.

Writes identify the item as every write does (auto-cataloguing unknown ones); reads take the
path ``{title}`` (and season and episode numbers) and fail on unknown items.
"""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.autocatalog import ensure_movie
from opentrakt.catalog.autoepisodes import ensure_episode
from opentrakt.catalog.identity import episode_ref, movie_identity
from opentrakt.catalog.queries import episode_at, episodes_by_ids, movie_by_id, show_by_id
from opentrakt.errors import Invalid
from opentrakt.social import comments
from opentrakt.social.comments import Comment, CommentFilter, CommentTarget
from opentrakt.social.visibility import visible_user_ids
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.items import body_show
from opentrakt.v1.presenters.comment import CommentAuthors
from opentrakt.v1.presenters.rated import episode_label, movie_label


async def body_movie(call: V1Call) -> tuple[CommentTarget, str]:
    """The movie a write body names, and its label for the answer's message."""
    movie_id = await ensure_movie(
        call.conn, movie_identity(call.body), call.now, enabled=call.runtime.settings.auto_catalog
    )
    movie = await movie_by_id(call.conn, movie_id) if movie_id is not None else None
    if movie is None:
        raise V1Error(404, lookup.MOVIE_NOT_FOUND)
    return CommentTarget("movie", movie.id), movie_label(movie)


async def body_show_target(call: V1Call) -> tuple[CommentTarget, str]:
    show = await show_by_id(call.conn, await body_show(call))
    assert show is not None
    return CommentTarget("show", show.id), show.title


async def body_episode(call: V1Call) -> tuple[CommentTarget, str]:
    try:
        ref = episode_ref(call.body, inline_show=True)
    except Invalid as exc:
        raise V1Error(400, exc.message) from None
    show_id = await body_show(call)
    episode_id = await ensure_episode(
        call.conn, show_id, ref, call.now, enabled=call.runtime.settings.auto_catalog
    )
    episode = (await episodes_by_ids(call.conn, [episode_id])).get(episode_id) if episode_id else None
    show = await show_by_id(call.conn, show_id)
    if episode is None or show is None:
        raise V1Error(lookup.EPISODE_NOT_FOUND_STATUS, lookup.EPISODE_NOT_FOUND)
    return CommentTarget("episode", episode.id, show_id=show.id), episode_label(show, episode)


async def path_movie(call: V1Call) -> CommentTarget:
    return CommentTarget("movie", await lookup.movie_id(call))


async def path_show(call: V1Call) -> CommentTarget:
    return CommentTarget("show", await lookup.show_id(call))


async def path_episode(call: V1Call) -> CommentTarget:
    show_id = await lookup.show_id(call)
    season, number = lookup.item_number(call.require("season")), lookup.item_number(call.require("episode"))
    episode = (
        await episode_at(call.conn, show_id, season, number)
        if season is not None and number is not None
        else None
    )
    if episode is None:
        raise V1Error(lookup.EPISODE_NOT_FOUND_STATUS, lookup.EPISODE_NOT_FOUND)
    return CommentTarget("episode", episode.id, show_id=show_id)


def comment_filter(value: str | None) -> CommentFilter:
    """The optional ``type`` segment: ``all`` (also when absent), ``shouts`` or ``reviews``."""
    word = (value or "all").strip().lower() or "all"
    try:
        return CommentFilter(word)
    except ValueError:
        raise V1Error(400, "type must be all, shouts or reviews") from None


async def listing(
    call: V1Call, target: CommentTarget, which: CommentFilter
) -> tuple[list[Comment], CommentAuthors]:
    """The item's comments newest first, with what presenting their authors needs (batched)."""
    found = await comments.comments_on(call.conn, target, which)
    author_ids = {comment.user_id for comment in found}
    authors = CommentAuthors(
        users=await comments.authors(call.conn, author_ids),
        visible=await visible_user_ids(call.conn, call.user, author_ids),
        ratings=await comments.author_ratings(call.conn, target, author_ids),
    )
    return found, authors


def comment_text(call: V1Call, field: str) -> str:
    """The body's comment text (``comment``, or ``shout`` on the deprecated methods)."""
    value: Any = call.body.get(field)
    if not isinstance(value, str):
        raise V1Error(400, f"{field} is required")
    return value
