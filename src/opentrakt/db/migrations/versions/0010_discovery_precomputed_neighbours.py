"""discovery: the precomputed neighbours recommendations read, and their refresh times

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _neighbours(name: str, items: str, key: str) -> None:
    op.create_table(
        name,
        sa.Column(key, sa.Integer(), nullable=False),
        sa.Column("neighbour_id", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("neighbour_likers", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            [key], [f"{items}.id"], name=op.f(f"fk_{name}_{key}_{items}"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["neighbour_id"],
            [f"{items}.id"],
            name=op.f(f"fk_{name}_neighbour_id_{items}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(key, "neighbour_id", name=op.f(f"pk_{name}")),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(f"ix_{name}_neighbour_id", ["neighbour_id"], unique=False)


def upgrade() -> None:
    op.create_table(
        "discovery_refreshes",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("finished_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_discovery_refreshes")),
    )
    _neighbours("movie_neighbours", "movies", "movie_id")
    _neighbours("show_neighbours", "shows", "show_id")


def downgrade() -> None:
    op.drop_table("show_neighbours")
    op.drop_table("movie_neighbours")
    op.drop_table("discovery_refreshes")
