"""Logging set-up shared by the CLI and the server processes."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure(level: str = "info") -> None:
    logging.basicConfig(level=level.upper(), format=FORMAT)
    logging.getLogger("opentrakt").setLevel(level.upper())
