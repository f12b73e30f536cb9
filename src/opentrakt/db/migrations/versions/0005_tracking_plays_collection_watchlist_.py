"""tracking: plays, collection, watchlist, unseen, last activity, activity events

Revision ID: 0005
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "movie_collection",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=False),
        sa.Column("collected_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_movie_collection_movie_id_movies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_movie_collection_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "movie_id", name=op.f("pk_movie_collection")),
    )
    with op.batch_alter_table("movie_collection", schema=None) as batch_op:
        batch_op.create_index("ix_movie_collection_movie_id", ["movie_id"], unique=False)

    op.create_table(
        "movie_plays",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=False),
        sa.Column("watched_at", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_movie_plays_movie_id_movies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_movie_plays_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movie_plays")),
    )
    with op.batch_alter_table("movie_plays", schema=None) as batch_op:
        batch_op.create_index("ix_movie_plays_movie_id", ["movie_id"], unique=False)
        batch_op.create_index("ix_movie_plays_user_id_movie_id", ["user_id", "movie_id"], unique=False)

    op.create_table(
        "movie_unseen",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=False),
        sa.Column("marked_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_movie_unseen_movie_id_movies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_movie_unseen_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "movie_id", name=op.f("pk_movie_unseen")),
    )
    with op.batch_alter_table("movie_unseen", schema=None) as batch_op:
        batch_op.create_index("ix_movie_unseen_movie_id", ["movie_id"], unique=False)

    op.create_table(
        "movie_watchlist",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=False),
        sa.Column("listed_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_movie_watchlist_movie_id_movies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_movie_watchlist_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "movie_id", name=op.f("pk_movie_watchlist")),
    )
    with op.batch_alter_table("movie_watchlist", schema=None) as batch_op:
        batch_op.create_index("ix_movie_watchlist_movie_id", ["movie_id"], unique=False)

    op.create_table(
        "show_watchlist",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("listed_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_show_watchlist_show_id_shows"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_show_watchlist_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "show_id", name=op.f("pk_show_watchlist")),
    )
    with op.batch_alter_table("show_watchlist", schema=None) as batch_op:
        batch_op.create_index("ix_show_watchlist_show_id", ["show_id"], unique=False)

    op.create_table(
        "user_last_activity",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("movie_watched", sa.BigInteger(), nullable=False),
        sa.Column("movie_scrobble", sa.BigInteger(), nullable=False),
        sa.Column("movie_seen", sa.BigInteger(), nullable=False),
        sa.Column("movie_checkin", sa.BigInteger(), nullable=False),
        sa.Column("movie_collection", sa.BigInteger(), nullable=False),
        sa.Column("movie_rating", sa.BigInteger(), nullable=False),
        sa.Column("movie_watchlist", sa.BigInteger(), nullable=False),
        sa.Column("movie_comment", sa.BigInteger(), nullable=False),
        sa.Column("movie_review", sa.BigInteger(), nullable=False),
        sa.Column("movie_shout", sa.BigInteger(), nullable=False),
        sa.Column("show_rating", sa.BigInteger(), nullable=False),
        sa.Column("show_watchlist", sa.BigInteger(), nullable=False),
        sa.Column("show_comment", sa.BigInteger(), nullable=False),
        sa.Column("show_review", sa.BigInteger(), nullable=False),
        sa.Column("show_shout", sa.BigInteger(), nullable=False),
        sa.Column("episode_watched", sa.BigInteger(), nullable=False),
        sa.Column("episode_scrobble", sa.BigInteger(), nullable=False),
        sa.Column("episode_seen", sa.BigInteger(), nullable=False),
        sa.Column("episode_checkin", sa.BigInteger(), nullable=False),
        sa.Column("episode_collection", sa.BigInteger(), nullable=False),
        sa.Column("episode_rating", sa.BigInteger(), nullable=False),
        sa.Column("episode_watchlist", sa.BigInteger(), nullable=False),
        sa.Column("episode_comment", sa.BigInteger(), nullable=False),
        sa.Column("episode_review", sa.BigInteger(), nullable=False),
        sa.Column("episode_shout", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_last_activity_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_last_activity")),
    )
    op.create_table(
        "activity_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("item_type", sa.String(length=10), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=True),
        sa.Column("show_id", sa.Integer(), nullable=True),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("season", sa.Integer(), nullable=True),
        sa.Column("list_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["episodes.id"],
            name=op.f("fk_activity_events_episode_id_episodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_activity_events_movie_id_movies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_activity_events_show_id_shows"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_activity_events_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_events")),
    )
    with op.batch_alter_table("activity_events", schema=None) as batch_op:
        batch_op.create_index("ix_activity_events_created_at", ["created_at"], unique=False)
        batch_op.create_index("ix_activity_events_movie_id", ["movie_id"], unique=False)
        batch_op.create_index("ix_activity_events_show_id", ["show_id"], unique=False)
        batch_op.create_index(
            "ix_activity_events_user_id_created_at", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "episode_collection",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("collected_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["episodes.id"],
            name=op.f("fk_episode_collection_episode_id_episodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_episode_collection_show_id_shows"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_episode_collection_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "episode_id", name=op.f("pk_episode_collection")),
    )
    with op.batch_alter_table("episode_collection", schema=None) as batch_op:
        batch_op.create_index("ix_episode_collection_episode_id", ["episode_id"], unique=False)
        batch_op.create_index("ix_episode_collection_user_id_show_id", ["user_id", "show_id"], unique=False)

    op.create_table(
        "episode_plays",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("watched_at", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["episodes.id"],
            name=op.f("fk_episode_plays_episode_id_episodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_episode_plays_show_id_shows"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_episode_plays_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episode_plays")),
    )
    with op.batch_alter_table("episode_plays", schema=None) as batch_op:
        batch_op.create_index("ix_episode_plays_episode_id", ["episode_id"], unique=False)
        batch_op.create_index("ix_episode_plays_show_id", ["show_id"], unique=False)
        batch_op.create_index(
            "ix_episode_plays_user_id_show_id_episode_id", ["user_id", "show_id", "episode_id"], unique=False
        )

    op.create_table(
        "episode_unseen",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("marked_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["episodes.id"],
            name=op.f("fk_episode_unseen_episode_id_episodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_episode_unseen_show_id_shows"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_episode_unseen_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "episode_id", name=op.f("pk_episode_unseen")),
    )
    with op.batch_alter_table("episode_unseen", schema=None) as batch_op:
        batch_op.create_index("ix_episode_unseen_episode_id", ["episode_id"], unique=False)
        batch_op.create_index("ix_episode_unseen_user_id_show_id", ["user_id", "show_id"], unique=False)

    op.create_table(
        "episode_watchlist",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("listed_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["episodes.id"],
            name=op.f("fk_episode_watchlist_episode_id_episodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_episode_watchlist_show_id_shows"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_episode_watchlist_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "episode_id", name=op.f("pk_episode_watchlist")),
    )
    with op.batch_alter_table("episode_watchlist", schema=None) as batch_op:
        batch_op.create_index("ix_episode_watchlist_episode_id", ["episode_id"], unique=False)
        batch_op.create_index("ix_episode_watchlist_user_id_show_id", ["user_id", "show_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("episode_watchlist", schema=None) as batch_op:
        batch_op.drop_index("ix_episode_watchlist_user_id_show_id")
        batch_op.drop_index("ix_episode_watchlist_episode_id")

    op.drop_table("episode_watchlist")
    with op.batch_alter_table("episode_unseen", schema=None) as batch_op:
        batch_op.drop_index("ix_episode_unseen_user_id_show_id")
        batch_op.drop_index("ix_episode_unseen_episode_id")

    op.drop_table("episode_unseen")
    with op.batch_alter_table("episode_plays", schema=None) as batch_op:
        batch_op.drop_index("ix_episode_plays_user_id_show_id_episode_id")
        batch_op.drop_index("ix_episode_plays_show_id")
        batch_op.drop_index("ix_episode_plays_episode_id")

    op.drop_table("episode_plays")
    with op.batch_alter_table("episode_collection", schema=None) as batch_op:
        batch_op.drop_index("ix_episode_collection_user_id_show_id")
        batch_op.drop_index("ix_episode_collection_episode_id")

    op.drop_table("episode_collection")
    with op.batch_alter_table("activity_events", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_events_user_id_created_at")
        batch_op.drop_index("ix_activity_events_show_id")
        batch_op.drop_index("ix_activity_events_movie_id")
        batch_op.drop_index("ix_activity_events_created_at")

    op.drop_table("activity_events")
    op.drop_table("user_last_activity")
    with op.batch_alter_table("show_watchlist", schema=None) as batch_op:
        batch_op.drop_index("ix_show_watchlist_show_id")

    op.drop_table("show_watchlist")
    with op.batch_alter_table("movie_watchlist", schema=None) as batch_op:
        batch_op.drop_index("ix_movie_watchlist_movie_id")

    op.drop_table("movie_watchlist")
    with op.batch_alter_table("movie_unseen", schema=None) as batch_op:
        batch_op.drop_index("ix_movie_unseen_movie_id")

    op.drop_table("movie_unseen")
    with op.batch_alter_table("movie_plays", schema=None) as batch_op:
        batch_op.drop_index("ix_movie_plays_user_id_movie_id")
        batch_op.drop_index("ix_movie_plays_movie_id")

    op.drop_table("movie_plays")
    with op.batch_alter_table("movie_collection", schema=None) as batch_op:
        batch_op.drop_index("ix_movie_collection_movie_id")

    op.drop_table("movie_collection")
