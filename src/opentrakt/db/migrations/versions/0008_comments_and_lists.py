"""comments: shouts and reviews; lists: custom lists and their ranked items

Revision ID: 0008
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custom_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=220), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("privacy", sa.String(length=10), nullable=False),
        sa.Column("show_numbers", sa.Boolean(), nullable=False),
        sa.Column("allow_shouts", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "privacy IN ('private', 'friends', 'public')", name=op.f("ck_custom_lists_privacy")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_custom_lists_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_lists")),
        sa.UniqueConstraint("user_id", "name_key", name="uq_custom_lists_user_id_name_key"),
        sa.UniqueConstraint("user_id", "slug", name="uq_custom_lists_user_id_slug"),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("item_type", sa.String(length=10), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=True),
        sa.Column("show_id", sa.Integer(), nullable=True),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("spoiler", sa.Boolean(), nullable=False),
        sa.Column("review", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("item_type IN ('movie', 'show', 'episode')", name=op.f("ck_comments_item_type")),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["episodes.id"], name=op.f("fk_comments_episode_id_episodes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_comments_movie_id_movies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_comments_show_id_shows"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_comments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index("ix_comments_episode_id_created_at", ["episode_id", "created_at"], unique=False)
        batch_op.create_index("ix_comments_movie_id_created_at", ["movie_id", "created_at"], unique=False)
        batch_op.create_index("ix_comments_show_id_created_at", ["show_id", "created_at"], unique=False)
        batch_op.create_index("ix_comments_user_id", ["user_id"], unique=False)

    op.create_table(
        "custom_list_items",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("item_type", sa.String(length=10), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=True),
        sa.Column("show_id", sa.Integer(), nullable=True),
        sa.Column("season", sa.Integer(), nullable=True),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("item_key", sa.String(length=40), nullable=False),
        sa.Column("added_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "item_type IN ('movie', 'show', 'season', 'episode')", name=op.f("ck_custom_list_items_item_type")
        ),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["episodes.id"],
            name=op.f("fk_custom_list_items_episode_id_episodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["custom_lists.id"],
            name=op.f("fk_custom_list_items_list_id_custom_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_custom_list_items_movie_id_movies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_custom_list_items_show_id_shows"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_custom_list_items_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_list_items")),
        sa.UniqueConstraint("list_id", "item_key", name="uq_custom_list_items_list_id_item_key"),
    )
    with op.batch_alter_table("custom_list_items", schema=None) as batch_op:
        batch_op.create_index("ix_custom_list_items_list_id_rank", ["list_id", "rank"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("custom_list_items", schema=None) as batch_op:
        batch_op.drop_index("ix_custom_list_items_list_id_rank")

    op.drop_table("custom_list_items")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_user_id")
        batch_op.drop_index("ix_comments_show_id_created_at")
        batch_op.drop_index("ix_comments_movie_id_created_at")
        batch_op.drop_index("ix_comments_episode_id_created_at")

    op.drop_table("comments")
    op.drop_table("custom_lists")
