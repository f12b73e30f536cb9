"""Custom lists and their items."""

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
    UniqueConstraint,
)

from opentrakt.db.metadata import metadata

MAX_LIST_NAME = 200
MAX_LIST_SLUG = 220  # the name's slug plus a collision suffix

custom_lists = Table(
    "custom_lists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(MAX_LIST_NAME), nullable=False),
    # Folded name: names are unique per user regardless of case and accents.
    Column("name_key", String(MAX_LIST_NAME), nullable=False),
    Column("slug", String(MAX_LIST_SLUG), nullable=False),
    Column("description", Text),
    Column("privacy", String(10), nullable=False),
    Column("show_numbers", Boolean, nullable=False),
    Column("allow_shouts", Boolean, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    CheckConstraint("privacy IN ('private', 'friends', 'public')", name="privacy"),
    UniqueConstraint("user_id", "slug", name="uq_custom_lists_user_id_slug"),
    UniqueConstraint("user_id", "name_key", name="uq_custom_lists_user_id_name_key"),
)

custom_list_items = Table(
    "custom_list_items",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("list_id", Integer, ForeignKey("custom_lists.id", ondelete="CASCADE"), nullable=False),
    # The list owner, denormalised so personal rows can be distributed by user.
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("rank", Integer, nullable=False),  # position on the list, ascending
    Column("item_type", String(10), nullable=False),  # movie, show, season, episode
    Column("movie_id", Integer, ForeignKey("movies.id", ondelete="CASCADE")),
    Column("show_id", Integer, ForeignKey("shows.id", ondelete="CASCADE")),
    Column("season", Integer),
    Column("episode_id", Integer, ForeignKey("episodes.id", ondelete="CASCADE")),
    # "movie:12", "season:3:1", …: one unique key, since NULLs never collide in a unique index.
    Column("item_key", String(40), nullable=False),
    Column("added_at", BigInteger, nullable=False),
    CheckConstraint("item_type IN ('movie', 'show', 'season', 'episode')", name="item_type"),
    UniqueConstraint("list_id", "item_key", name="uq_custom_list_items_list_id_item_key"),
    Index("ix_custom_list_items_list_id_rank", "list_id", "rank"),
)
