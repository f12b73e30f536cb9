"""Comments (shouts and reviews) on movies, shows and episodes."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from opentrakt.db.metadata import metadata

comments = Table(
    "comments",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("item_type", String(10), nullable=False),  # movie, show, episode
    # Exactly one of these is set, the one ``item_type`` names.
    Column("movie_id", Integer, ForeignKey("movies.id", ondelete="CASCADE")),
    Column("show_id", Integer, ForeignKey("shows.id", ondelete="CASCADE")),
    Column("episode_id", Integer, ForeignKey("episodes.id", ondelete="CASCADE")),
    Column("text", Text, nullable=False),  # as the client sent it; rendered on the way out
    Column("spoiler", Boolean, nullable=False),
    Column("review", Boolean, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    CheckConstraint("item_type IN ('movie', 'show', 'episode')", name="item_type"),
    # The */comments listings read one item's comments newest first.
    Index("ix_comments_movie_id_created_at", "movie_id", "created_at"),
    Index("ix_comments_show_id_created_at", "show_id", "created_at"),
    Index("ix_comments_episode_id_created_at", "episode_id", "created_at"),
    Index("ix_comments_user_id", "user_id"),
)
