"""ratings: movie, show and episode ratings; network: follows

Revision ID: 0007
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def _item_fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE"
    )


def _rating_columns() -> list[sa.Column]:
    return [
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("rated_at", sa.BigInteger(), nullable=False),
    ]


def _range_check(table: str) -> sa.CheckConstraint:
    return sa.CheckConstraint("rating BETWEEN 1 AND 10", name=op.f(f"ck_{table}_rating_range"))


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("follower_id", sa.Integer(), nullable=False),
        sa.Column("followed_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.BigInteger(), nullable=False),
        sa.Column("approved_at", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("follower_id <> followed_id", name=op.f("ck_follows_not_self")),
        sa.ForeignKeyConstraint(
            ["followed_id"], ["users.id"], name=op.f("fk_follows_followed_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["follower_id"], ["users.id"], name=op.f("fk_follows_follower_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("follower_id", "followed_id", name=op.f("pk_follows")),
    )
    op.create_index("ix_follows_followed_id_follower_id", "follows", ["followed_id", "follower_id"])

    op.create_table(
        "movie_ratings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=False),
        *_rating_columns(),
        _range_check("movie_ratings"),
        _item_fk("movie_ratings", "movie_id", "movies"),
        _user_fk("movie_ratings"),
        sa.PrimaryKeyConstraint("user_id", "movie_id", name=op.f("pk_movie_ratings")),
    )
    op.create_index("ix_movie_ratings_movie_id", "movie_ratings", ["movie_id"])

    op.create_table(
        "show_ratings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        *_rating_columns(),
        _range_check("show_ratings"),
        _item_fk("show_ratings", "show_id", "shows"),
        _user_fk("show_ratings"),
        sa.PrimaryKeyConstraint("user_id", "show_id", name=op.f("pk_show_ratings")),
    )
    op.create_index("ix_show_ratings_show_id", "show_ratings", ["show_id"])

    op.create_table(
        "episode_ratings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        *_rating_columns(),
        _range_check("episode_ratings"),
        _item_fk("episode_ratings", "episode_id", "episodes"),
        _item_fk("episode_ratings", "show_id", "shows"),
        _user_fk("episode_ratings"),
        sa.PrimaryKeyConstraint("user_id", "episode_id", name=op.f("pk_episode_ratings")),
    )
    op.create_index("ix_episode_ratings_episode_id", "episode_ratings", ["episode_id"])
    op.create_index("ix_episode_ratings_user_id_show_id", "episode_ratings", ["user_id", "show_id"])


def downgrade() -> None:
    op.drop_index("ix_episode_ratings_user_id_show_id", table_name="episode_ratings")
    op.drop_index("ix_episode_ratings_episode_id", table_name="episode_ratings")
    op.drop_table("episode_ratings")
    op.drop_index("ix_show_ratings_show_id", table_name="show_ratings")
    op.drop_table("show_ratings")
    op.drop_index("ix_movie_ratings_movie_id", table_name="movie_ratings")
    op.drop_table("movie_ratings")
    op.drop_index("ix_follows_followed_id_follower_id", table_name="follows")
    op.drop_table("follows")
