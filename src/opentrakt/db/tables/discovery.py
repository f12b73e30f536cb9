"""Discovery state: the recommendations each user dismissed, the precomputed neighbours
recommendations read, plus the indexes the discovery reads (trending windows, item stats,
related items) need on other domains' tables."""

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
)

from opentrakt.db.metadata import metadata
from opentrakt.db.tables.lists import custom_list_items
from opentrakt.db.tables.tracking import episode_collection, episode_plays, movie_plays


def _user() -> Column:
    return Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


movie_dismissals = Table(
    "movie_dismissals",
    metadata,
    _user(),
    Column("movie_id", Integer, ForeignKey("movies.id", ondelete="CASCADE"), nullable=False),
    Column("dismissed_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("user_id", "movie_id"),
)

show_dismissals = Table(
    "show_dismissals",
    metadata,
    _user(),
    Column("show_id", Integer, ForeignKey("shows.id", ondelete="CASCADE"), nullable=False),
    Column("dismissed_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("user_id", "show_id"),
)

# Trending reads the recent plays of everyone: a range over the play time.
Index("ix_movie_plays_watched_at", movie_plays.c.watched_at)
Index("ix_episode_plays_watched_at", episode_plays.c.watched_at)
# show/stats counts a show's collected episodes across all users.
Index("ix_episode_collection_show_id", episode_collection.c.show_id)
# Item stats count the custom lists holding an item.
Index("ix_custom_list_items_movie_id", custom_list_items.c.movie_id)
Index("ix_custom_list_items_show_id", custom_list_items.c.show_id)
Index("ix_custom_list_items_episode_id", custom_list_items.c.episode_id)


def _neighbours(name: str, items: str, key: str) -> Table:
    """Each liked item's most similar items, precomputed by the recommendations refresh."""
    return Table(
        name,
        metadata,
        Column(key, Integer, ForeignKey(f"{items}.id", ondelete="CASCADE"), nullable=False),
        Column("neighbour_id", Integer, ForeignKey(f"{items}.id", ondelete="CASCADE"), nullable=False),
        Column("similarity", Float, nullable=False),
        # How many people like the neighbour: the tie-break between equally similar items.
        Column("neighbour_likers", Integer, nullable=False),
        PrimaryKeyConstraint(key, "neighbour_id"),
        # Deleting a catalogue item cascades to the lists naming it as a neighbour.
        Index(f"ix_{name}_neighbour_id", "neighbour_id"),
    )


movie_neighbours = _neighbours("movie_neighbours", "movies", "movie_id")
show_neighbours = _neighbours("show_neighbours", "shows", "show_id")

# One row per precomputed table: when a refresh last started and finished. A server process
# claims a refresh by moving ``started_at`` forward, so among several only one runs it.
discovery_refreshes = Table(
    "discovery_refreshes",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("started_at", BigInteger, nullable=False),
    Column("finished_at", BigInteger, nullable=False),
)
