"""Users' ratings of movies, shows and episodes, stored on the 10-point scale.

The community aggregates live on the rated items themselves (``rating_votes`` and friends in
``catalog``), changed in the same transaction as these rows.
"""

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
)

from opentrakt.db.metadata import metadata


def _user() -> Column:
    return Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


def _ref(name: str, table: str) -> Column:
    return Column(name, Integer, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


def _rating_columns() -> list[Column]:
    return [
        Column("rating", SmallInteger, nullable=False),  # 1-10; an unrated item has no row
        Column("rated_at", BigInteger, nullable=False),
    ]


movie_ratings = Table(
    "movie_ratings",
    metadata,
    _user(),
    _ref("movie_id", "movies"),
    *_rating_columns(),
    PrimaryKeyConstraint("user_id", "movie_id"),
    CheckConstraint("rating BETWEEN 1 AND 10", name="rating_range"),
    Index("ix_movie_ratings_movie_id", "movie_id"),
)

show_ratings = Table(
    "show_ratings",
    metadata,
    _user(),
    _ref("show_id", "shows"),
    *_rating_columns(),
    PrimaryKeyConstraint("user_id", "show_id"),
    CheckConstraint("rating BETWEEN 1 AND 10", name="rating_range"),
    Index("ix_show_ratings_show_id", "show_id"),
)

episode_ratings = Table(
    "episode_ratings",
    metadata,
    _user(),
    _ref("episode_id", "episodes"),
    # Denormalised so a user's episode ratings of one show need no join to episodes.
    _ref("show_id", "shows"),
    *_rating_columns(),
    PrimaryKeyConstraint("user_id", "episode_id"),
    CheckConstraint("rating BETWEEN 1 AND 10", name="rating_range"),
    Index("ix_episode_ratings_episode_id", "episode_id"),
    Index("ix_episode_ratings_user_id_show_id", "user_id", "show_id"),
)
