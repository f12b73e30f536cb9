"""Personal tracking state: plays, collection, watchlist, unseen marks and last-activity times.

Every table carries ``user_id`` first in its key, so all of a user's rows sit together and the
tables can be distributed by user.
"""

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Table

from opentrakt.db.metadata import metadata

# How a play was recorded.
ACTION_SEEN = "seen"
ACTION_SCROBBLE = "scrobble"
ACTION_CHECKIN = "checkin"


def _user() -> Column:
    return Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


def _ref(name: str, table: str) -> Column:
    return Column(name, Integer, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


movie_plays = Table(
    "movie_plays",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    _user(),
    _ref("movie_id", "movies"),
    Column("watched_at", BigInteger, nullable=False),
    Column("action", String(10), nullable=False),
    # A "seen" sync may report several plays of one item at once; they are kept as one row.
    Column("count", Integer, nullable=False, default=1),
    Index("ix_movie_plays_user_id_movie_id", "user_id", "movie_id"),
    Index("ix_movie_plays_movie_id", "movie_id"),
)

episode_plays = Table(
    "episode_plays",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    _user(),
    _ref("episode_id", "episodes"),
    # Denormalised so per-show reads of a user's plays need no join to episodes.
    _ref("show_id", "shows"),
    Column("watched_at", BigInteger, nullable=False),
    Column("action", String(10), nullable=False),
    Column("count", Integer, nullable=False, default=1),
    Index("ix_episode_plays_user_id_show_id_episode_id", "user_id", "show_id", "episode_id"),
    Index("ix_episode_plays_episode_id", "episode_id"),
    Index("ix_episode_plays_show_id", "show_id"),
)

movie_collection = Table(
    "movie_collection",
    metadata,
    _user(),
    _ref("movie_id", "movies"),
    Column("collected_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("user_id", "movie_id"),
    Index("ix_movie_collection_movie_id", "movie_id"),
)

episode_collection = Table(
    "episode_collection",
    metadata,
    _user(),
    _ref("episode_id", "episodes"),
    _ref("show_id", "shows"),
    Column("collected_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("user_id", "episode_id"),
    Index("ix_episode_collection_user_id_show_id", "user_id", "show_id"),
    Index("ix_episode_collection_episode_id", "episode_id"),
)

movie_watchlist = Table(
    "movie_watchlist",
    metadata,
    _user(),
    _ref("movie_id", "movies"),
    Column("listed_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("user_id", "movie_id"),
    Index("ix_movie_watchlist_movie_id", "movie_id"),
)

show_watchlist = Table(
    "show_watchlist",
    metadata,
    _user(),
    _ref("show_id", "shows"),
    Column("listed_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("user_id", "show_id"),
    Index("ix_show_watchlist_show_id", "show_id"),
)

episode_watchlist = Table(
    "episode_watchlist",
    metadata,
    _user(),
    _ref("episode_id", "episodes"),
    _ref("show_id", "shows"),
    Column("listed_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("user_id", "episode_id"),
    Index("ix_episode_watchlist_user_id_show_id", "user_id", "show_id"),
    Index("ix_episode_watchlist_episode_id", "episode_id"),
)

# Explicit "unseen" marks: clients clear their local watched state from them.
movie_unseen = Table(
    "movie_unseen",
    metadata,
    _user(),
    _ref("movie_id", "movies"),
    Column("marked_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("user_id", "movie_id"),
    Index("ix_movie_unseen_movie_id", "movie_id"),
)

episode_unseen = Table(
    "episode_unseen",
    metadata,
    _user(),
    _ref("episode_id", "episodes"),
    _ref("show_id", "shows"),
    Column("marked_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("user_id", "episode_id"),
    Index("ix_episode_unseen_user_id_show_id", "user_id", "show_id"),
    Index("ix_episode_unseen_episode_id", "episode_id"),
)

# user/lastactivity in O(1): one row per user, one column per (kind, action); 0 = never.
LAST_ACTIVITY_KEYS = {
    "movie": (
        "watched",
        "scrobble",
        "seen",
        "checkin",
        "collection",
        "rating",
        "watchlist",
        "comment",
        "review",
        "shout",
    ),
    "show": ("rating", "watchlist", "comment", "review", "shout"),
    "episode": (
        "watched",
        "scrobble",
        "seen",
        "checkin",
        "collection",
        "rating",
        "watchlist",
        "comment",
        "review",
        "shout",
    ),
}

user_last_activity = Table(
    "user_last_activity",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    *(
        Column(f"{kind}_{action}", BigInteger, nullable=False, default=0)
        for kind, actions in LAST_ACTIVITY_KEYS.items()
        for action in actions
    ),
)
