"""movie/* and show/* playback: watching, scrobble, check-in and their cancellation.

The item is named in the body the way every write names one (ids, else title and year, plus
season and episode for shows); unknown items are added by the auto-catalogue when the body
says enough, and otherwise fail with ``movie not found`` / ``show not found``. A ping or
scrobble that names the item the way the caller's watching state was started is recognised
without resolving it again; otherwise the caller's playback lock is taken before resolving,
so one user's concurrent requests never race each other to add the same item.

Cancelling: ``cancelwatching`` always succeeds (media centres send it on every stop, after a
scrobble has already ended the state, and after a duplicate-scrobble failure), while
``cancelcheckin`` with no active check-in fails, so an app learns that its check-in already
ended. A user has one check-in and one watching state whatever the kind of item, so the movie
and show twins of a cancel act on either.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from opentrakt.accounts.models import Permission
from opentrakt.catalog.autocatalog import ensure_episode, ensure_movie, ensure_show
from opentrakt.catalog.identity import episode_ref, movie_identity, show_identity
from opentrakt.errors import Invalid
from opentrakt.playback import service
from opentrakt.playback.errors import CheckinInProgress
from opentrakt.playback.items import (
    episode_item,
    identity_key,
    movie_item,
    recent_episode,
    recent_movie,
)
from opentrakt.playback.models import CheckinRequest, PlaybackItem, Session
from opentrakt.v1 import playback_body
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error, success
from opentrakt.v1.lookup import EPISODE_NOT_FOUND, EPISODE_NOT_FOUND_STATUS, MOVIE_NOT_FOUND, SHOW_NOT_FOUND
from opentrakt.v1.presenters.watching import present_checked_in, present_scrobbled, present_watching
from opentrakt.v1.registry import READ, WRITE, Auth, v1_method

CANCELLED_WATCHING = "cancelled watching"
CANCELLED_CHECKIN = "cancelled checkin"
NO_CHECKIN = "there is no active checkin"


@dataclass(frozen=True, slots=True)
class _Named:
    """The item a body names, the digest of how it named it, and the caller's session when it
    was locked to resolve the item (None when the item was recognised without resolving)."""

    item: PlaybackItem
    key: str
    locked: Session | None = None


async def _movie(call: V1Call, duration: int | None, *, recent: bool = True) -> _Named:
    """The movie the body names; ``recent`` first tries the movie the caller is watching (a
    repeated ping, or the scrobble that closes the viewing)."""
    identity = movie_identity(call.body)
    if not identity.has_identity:
        raise V1Error(404, MOVIE_NOT_FOUND)
    key = identity_key("movie", identity)
    item = await recent_movie(call.conn, call.caller.id, key, call.now) if recent else None
    if item is not None:
        return _Named(item, key)
    locked = await service.lock(call.conn, call.caller.id)
    if identity.runtime is None and duration:
        identity = replace(identity, runtime=duration)  # what a new catalogue entry can learn
    movie_id = await ensure_movie(call.conn, identity, call.now, enabled=call.runtime.settings.auto_catalog)
    item = await movie_item(call.conn, movie_id) if movie_id is not None else None
    if item is None:
        raise V1Error(404, MOVIE_NOT_FOUND)
    return _Named(item, key, locked)


async def _episode(call: V1Call, duration: int | None, *, recent: bool = True) -> _Named:
    """``_movie`` for the episode of a show the body names."""
    identity = show_identity(call.body)
    if not identity.has_identity:
        raise V1Error(404, SHOW_NOT_FOUND)
    try:
        ref = episode_ref(call.body, inline_show=True)
    except Invalid as exc:
        raise V1Error(400, exc.message) from None
    key = identity_key("episode", identity, ref)
    item = await recent_episode(call.conn, call.caller.id, key, call.now) if recent else None
    if item is not None:
        return _Named(item, key)
    locked = await service.lock(call.conn, call.caller.id)
    if ref.runtime is None and duration:
        ref = ref._replace(runtime=duration)
    enabled = call.runtime.settings.auto_catalog
    show_id = await ensure_show(call.conn, identity, call.now, enabled=enabled)
    if show_id is None:
        raise V1Error(404, SHOW_NOT_FOUND)
    episode_id = await ensure_episode(call.conn, show_id, ref, call.now, enabled=enabled)
    item = await episode_item(call.conn, episode_id) if episode_id is not None else None
    if item is None:
        raise V1Error(EPISODE_NOT_FOUND_STATUS, EPISODE_NOT_FOUND)
    return _Named(item, key, locked)


async def _watching(call: V1Call, named: _Named, fields: playback_body.Progress) -> dict[str, Any]:
    result = await service.watch(
        call.conn,
        call.caller.id,
        named.item,
        duration=fields.duration,
        progress=fields.progress,
        now=call.now,
        identity_key=named.key,
        locked=named.locked,
    )
    return present_watching(result, call.runtime.settings)


async def _scrobble(call: V1Call, named: _Named, fields: playback_body.Progress) -> dict[str, Any]:
    result = await service.scrobble(
        call.conn, call.caller.id, named.item, duration=fields.duration, now=call.now, locked=named.locked
    )
    return present_scrobbled(result, call.runtime.settings)


async def _checkin(call: V1Call, named: _Named, request: CheckinRequest) -> dict[str, Any]:
    try:
        result = await service.check_in(
            call.conn,
            call.caller.id,
            named.item,
            request,
            now=call.now,
            identity_key=named.key,
            locked=named.locked,
        )
    except CheckinInProgress as exc:
        raise V1Error(409, exc.message, wait=exc.wait) from None
    return present_checked_in(result, call.runtime.settings)


async def _cancel_watching(call: V1Call) -> dict[str, Any]:
    await service.cancel_watching(call.conn, call.caller.id, call.now)
    return success(CANCELLED_WATCHING)


async def _cancel_checkin(call: V1Call) -> dict[str, Any]:
    # Registered for GET as well: cathode sends cancelcheckin as a bodiless GET.
    if not await service.cancel_checkin(call.conn, call.caller.id, call.now):
        raise V1Error(409, NO_CHECKIN)
    return success(CANCELLED_CHECKIN)


@v1_method("movie/watching", verbs=WRITE, auth=Auth.REQUIRED, permission=Permission.SCROBBLE)
async def movie_watching(call: V1Call) -> dict[str, Any]:
    fields = playback_body.progress(call.body)
    return await _watching(call, await _movie(call, fields.duration), fields)


@v1_method("movie/scrobble", verbs=WRITE, auth=Auth.REQUIRED, permission=Permission.SCROBBLE)
async def movie_scrobble(call: V1Call) -> dict[str, Any]:
    fields = playback_body.progress(call.body)
    return await _scrobble(call, await _movie(call, fields.duration), fields)


@v1_method("movie/cancelwatching", verbs=WRITE, auth=Auth.REQUIRED, permission=Permission.SCROBBLE)
async def movie_cancelwatching(call: V1Call) -> dict[str, Any]:
    return await _cancel_watching(call)


@v1_method("movie/checkin", verbs=WRITE, auth=Auth.REQUIRED, permission=Permission.CHECKIN)
async def movie_checkin(call: V1Call) -> dict[str, Any]:
    request = playback_body.checkin_request(call.body)
    return await _checkin(call, await _movie(call, request.duration, recent=False), request)


@v1_method("movie/cancelcheckin", verbs=READ, auth=Auth.REQUIRED, permission=Permission.CHECKIN, write=True)
async def movie_cancelcheckin(call: V1Call) -> dict[str, Any]:
    return await _cancel_checkin(call)


@v1_method("show/watching", verbs=WRITE, auth=Auth.REQUIRED, permission=Permission.SCROBBLE)
async def show_watching(call: V1Call) -> dict[str, Any]:
    fields = playback_body.progress(call.body)
    return await _watching(call, await _episode(call, fields.duration), fields)


@v1_method("show/scrobble", verbs=WRITE, auth=Auth.REQUIRED, permission=Permission.SCROBBLE)
async def show_scrobble(call: V1Call) -> dict[str, Any]:
    fields = playback_body.progress(call.body)
    return await _scrobble(call, await _episode(call, fields.duration), fields)


@v1_method("show/cancelwatching", verbs=WRITE, auth=Auth.REQUIRED, permission=Permission.SCROBBLE)
async def show_cancelwatching(call: V1Call) -> dict[str, Any]:
    return await _cancel_watching(call)


@v1_method("show/checkin", verbs=WRITE, auth=Auth.REQUIRED, permission=Permission.CHECKIN)
async def show_checkin(call: V1Call) -> dict[str, Any]:
    request = playback_body.checkin_request(call.body)
    return await _checkin(call, await _episode(call, request.duration, recent=False), request)


@v1_method("show/cancelcheckin", verbs=READ, auth=Auth.REQUIRED, permission=Permission.CHECKIN, write=True)
async def show_cancelcheckin(call: V1Call) -> dict[str, Any]:
    return await _cancel_checkin(call)
