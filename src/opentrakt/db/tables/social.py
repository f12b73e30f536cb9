"""The append-only activity stream every action writes to."""

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text

from opentrakt.db.metadata import metadata

activity_events = Table(
    "activity_events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    # watching, scrobble, checkin, seen, collection, rating, watchlist, shout, review, created, item_added, …
    Column("action", String(20), nullable=False),
    Column("item_type", String(10), nullable=False),  # movie, show, season, episode, list
    Column("movie_id", Integer, ForeignKey("movies.id", ondelete="CASCADE")),
    Column("show_id", Integer, ForeignKey("shows.id", ondelete="CASCADE")),
    Column("episode_id", Integer, ForeignKey("episodes.id", ondelete="CASCADE")),
    Column("season", Integer),
    Column("list_id", Integer),
    # Small JSON document with action details (e.g. the episodes of a bulk seen, a rating value).
    Column("payload", Text),
    Index("ix_activity_events_user_id_created_at", "user_id", "created_at"),
    Index("ix_activity_events_created_at", "created_at"),
    Index("ix_activity_events_movie_id", "movie_id"),
    Index("ix_activity_events_show_id", "show_id"),
)
