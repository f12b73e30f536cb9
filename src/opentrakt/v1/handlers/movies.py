"""movies/updated."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.summaries import movies_updated_since
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.presenters.updated import present_movies_updated
from opentrakt.v1.registry import Auth, v1_method

# The most movies one call lists; `timestamps.current` then says where the next call resumes.
UPDATED_LIMIT = 5000


@v1_method("movies/updated", auth=Auth.NONE, required=("timestamp",))
async def updated(call: V1Call) -> dict[str, Any]:
    since = lookup.timestamp(call.require("timestamp"))
    page = await movies_updated_since(call.conn, since, UPDATED_LIMIT)
    return present_movies_updated(page, since, call.now, call.runtime.settings)
