"""Who follows whom. A follow of a protected user waits for approval (``approved_at`` NULL)."""

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Table,
)

from opentrakt.db.metadata import metadata

follows = Table(
    "follows",
    metadata,
    Column("follower_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("followed_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("requested_at", BigInteger, nullable=False),
    # NULL while pending; otherwise when the follow took effect.
    Column("approved_at", BigInteger),
    PrimaryKeyConstraint("follower_id", "followed_id"),
    CheckConstraint("follower_id <> followed_id", name="not_self"),
    # Followers of a user, and their pending requests, without scanning the table.
    Index("ix_follows_followed_id_follower_id", "followed_id", "follower_id"),
)
