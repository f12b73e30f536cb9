"""``GET /images/<name>``: the placeholder artwork that items without their own images point at."""

from __future__ import annotations

import logging
import time
from functools import cache
from importlib import resources

from opentrakt.v1.envelopes import JSON_HEADERS, dumps, failure
from opentrakt.v1.presenters.images import placeholder_names
from opentrakt.v1.router import Receive, Scope, Send

PREFIX = "/images/"
# The files never change under a name, so clients and proxies may keep them for a year.
CACHE_CONTROL = b"public, max-age=31536000, immutable"

access_log = logging.getLogger("opentrakt.access")


@cache
def _image(name: str) -> bytes:
    return resources.files("opentrakt").joinpath("static", "images", name).read_bytes()


class PlaceholderImages:
    """Serves every name ``placeholder_names()`` lists, from the package's static files."""

    def __init__(self) -> None:
        self.names = frozenset(placeholder_names())

    @staticmethod
    def handles(path: str) -> bool:
        return path.startswith(PREFIX)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        name = scope["path"][len(PREFIX) :]
        if scope["method"] not in ("GET", "HEAD"):
            status, headers, body = 405, JSON_HEADERS, dumps(failure("images are read with GET"))
        elif name not in self.names:
            status, headers, body = 404, JSON_HEADERS, dumps(failure("image not found"))
        else:
            status, body = 200, _image(name)
            headers = [(b"content-type", b"image/jpeg"), (b"cache-control", CACHE_CONTROL)]
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
        elapsed_ms = (time.perf_counter() - started) * 1000
        access_log.info("%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed_ms)
