"""Table definitions, one module per domain; importing this package registers them all."""

from opentrakt.db.metadata import metadata
from opentrakt.db.tables import (
    accounts,
    catalog,
    comments,
    discovery,
    lists,
    network,
    playback,
    ratings,
    social,
    tracking,
)

__all__ = [
    "accounts",
    "catalog",
    "comments",
    "discovery",
    "lists",
    "metadata",
    "network",
    "playback",
    "ratings",
    "social",
    "tracking",
]
