"""account/create, account/settings, account/test."""

from __future__ import annotations

from typing import Any

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import Permission
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import success
from opentrakt.v1.presenters.user import present_settings
from opentrakt.v1.registry import WRITE, Auth, v1_method


@v1_method("account/create", verbs=WRITE, auth=Auth.NONE, permission=Permission.CREATE_ACCOUNT)
async def create(call: V1Call) -> dict[str, Any]:
    user, _key = await accounts.create_user(
        call.conn,
        username=call.body.get("username"),
        email=call.body.get("email"),
        password_sha1=call.body.get("password"),
        now=call.now,
    )
    return success(f"created account for {user.username}")


@v1_method("account/settings", verbs=WRITE, auth=Auth.REQUIRED)
async def settings(call: V1Call) -> dict[str, Any]:
    user = call.caller
    user_settings = await accounts.get_settings(call.conn, user.id)
    return success(
        f"All settings for {user.username}", **present_settings(user, user_settings, call.runtime.settings)
    )


@v1_method("account/test", verbs=WRITE, auth=Auth.REQUIRED)
async def test(call: V1Call) -> dict[str, Any]:
    await accounts.touch_last_login(call.conn, call.caller.id, call.now)
    return success("all good!")
