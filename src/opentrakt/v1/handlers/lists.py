"""lists/add, lists/update, lists/delete, lists/items/add, lists/items/delete.

Every method acts on the caller's own lists, named by ``slug``. Bad settings fail the whole
request before anything is written; items that name nothing known are skipped and echoed.
"""

from __future__ import annotations

from typing import Any

from opentrakt.lists import items as list_items
from opentrakt.lists import service as lists
from opentrakt.lists.models import MAX_ITEMS, ListChanges, Privacy
from opentrakt.v1.body_fields import flag, text_field
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error, success
from opentrakt.v1.items import item_list
from opentrakt.v1.list_items import resolve_list_items
from opentrakt.v1.presenters.lists import present_list_saved
from opentrakt.v1.registry import WRITE, Auth, v1_method


def _privacy(value: object, default: Privacy | None) -> Privacy | None:
    text = text_field(value, "privacy")
    if text is None:
        return default
    try:
        return Privacy(text.strip().lower())
    except ValueError:
        raise V1Error(400, "privacy must be private, friends or public") from None


def _slug(call: V1Call) -> str:
    slug = text_field(call.body.get("slug"), "slug", required=True)
    assert slug is not None
    return slug


def _items(call: V1Call) -> list[Any]:
    submitted = item_list(call, "items")
    # Checked before resolving: a larger request could never fit, and resolving it is costly.
    if len(submitted) > MAX_ITEMS:
        raise V1Error(400, f"a list holds at most {MAX_ITEMS} items")
    return submitted


@v1_method("lists/add", verbs=WRITE, auth=Auth.REQUIRED)
async def add(call: V1Call) -> dict[str, Any]:
    body = call.body
    name = text_field(body.get("name"), "name", required=True)
    assert name is not None
    created = await lists.create_list(
        call.conn,
        call.caller.id,
        name=name,
        description=text_field(body.get("description"), "description"),
        privacy=_privacy(body.get("privacy"), Privacy.PRIVATE) or Privacy.PRIVATE,
        show_numbers=bool(flag(body.get("show_numbers"), "show_numbers")),
        allow_shouts=bool(flag(body.get("allow_shouts"), "allow_shouts")),
        now=call.now,
    )
    return present_list_saved(created, "list added")


@v1_method("lists/update", verbs=WRITE, auth=Auth.REQUIRED)
async def update(call: V1Call) -> dict[str, Any]:
    body = call.body
    changes = ListChanges(
        name=text_field(body.get("name"), "name"),
        description=text_field(body.get("description"), "description"),
        privacy=_privacy(body.get("privacy"), None),
        show_numbers=flag(body.get("show_numbers"), "show_numbers", None),
        allow_shouts=flag(body.get("allow_shouts"), "allow_shouts", None),
    )
    updated = await lists.update_list(call.conn, call.caller.id, _slug(call), changes, call.now)
    return present_list_saved(updated, "list updated")


@v1_method("lists/delete", verbs=WRITE, auth=Auth.REQUIRED)
async def delete(call: V1Call) -> dict[str, Any]:
    await lists.delete_list(call.conn, call.caller.id, _slug(call))
    return success("list deleted")


@v1_method("lists/items/add", verbs=WRITE, auth=Auth.REQUIRED)
async def items_add(call: V1Call) -> dict[str, Any]:
    target = await lists.get_list(call.conn, call.caller.id, _slug(call))
    resolved = await resolve_list_items(call, _items(call), create=True)
    result = await list_items.add_items(call.conn, target, resolved.refs, call.now)
    # No message: the documented answer has none.
    return success(
        inserted=result.inserted,
        already_exist=result.already_exist,
        skipped=len(resolved.skipped),
        skipped_items=resolved.skipped,
    )


@v1_method("lists/items/delete", verbs=WRITE, auth=Auth.REQUIRED)
async def items_delete(call: V1Call) -> dict[str, Any]:
    target = await lists.get_list(call.conn, call.caller.id, _slug(call))
    resolved = await resolve_list_items(call, _items(call), create=False)
    removed = await list_items.remove_items(call.conn, target, resolved.refs, call.now)
    return success(f"{removed} items deleted")
