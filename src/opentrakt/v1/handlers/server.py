"""server/time."""

from __future__ import annotations

from typing import Any

from opentrakt.v1.call import V1Call
from opentrakt.v1.registry import Auth, v1_method


@v1_method("server/time", auth=Auth.NONE)
async def time(call: V1Call) -> dict[str, Any]:
    return {"timestamp": call.now, "timezone": call.runtime.settings.timezone_name}
