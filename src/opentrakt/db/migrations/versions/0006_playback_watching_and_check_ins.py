"""playback: watching and check-ins

Revision ID: 0006
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "playback_sessions",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("item_type", sa.String(length=10), nullable=True),
        sa.Column("movie_id", sa.Integer(), nullable=True),
        sa.Column("show_id", sa.Integer(), nullable=True),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("identity_key", sa.String(length=40), nullable=True),
        sa.Column("started_at", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.BigInteger(), nullable=True),
        sa.Column("ends_at", sa.BigInteger(), nullable=True),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=100), nullable=True),
        sa.Column("venue_id", sa.String(length=64), nullable=True),
        sa.Column("venue_name", sa.String(length=200), nullable=True),
        sa.Column("share_facebook", sa.Boolean(), nullable=False),
        sa.Column("share_twitter", sa.Boolean(), nullable=False),
        sa.Column("share_tumblr", sa.Boolean(), nullable=False),
        sa.Column("share_path", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["episodes.id"],
            name=op.f("fk_playback_sessions_episode_id_episodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_playback_sessions_movie_id_movies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_playback_sessions_show_id_shows"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_playback_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_playback_sessions")),
    )
    with op.batch_alter_table("playback_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_playback_sessions_episode_id", ["episode_id"], unique=False)
        batch_op.create_index("ix_playback_sessions_movie_id", ["movie_id"], unique=False)
        batch_op.create_index("ix_playback_sessions_show_id", ["show_id"], unique=False)
        batch_op.create_index("ix_playback_sessions_state_ends_at", ["state", "ends_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("playback_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_playback_sessions_state_ends_at")
        batch_op.drop_index("ix_playback_sessions_show_id")
        batch_op.drop_index("ix_playback_sessions_movie_id")
        batch_op.drop_index("ix_playback_sessions_episode_id")

    op.drop_table("playback_sessions")
