"""Users, their API keys and their settings."""

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Integer, String, Table, Text

from opentrakt.db.metadata import metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(32), nullable=False),
    # Case-folded username: uniqueness and look-ups are case-insensitive.
    Column("username_key", String(32), nullable=False, unique=True),
    Column("email", String(254), nullable=False),
    Column("email_key", String(254), nullable=False, unique=True),
    # Argon2id hash of the SHA1 hex digest clients send; never the digest itself.
    Column("password_hash", Text, nullable=False),
    Column("full_name", String(200)),
    Column("gender", String(10)),
    Column("age", Integer),
    Column("location", String(200)),
    Column("about", Text),
    Column("avatar_url", Text),
    Column("protected", Boolean, nullable=False, default=False),
    Column("vip", Boolean, nullable=False, default=False),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("joined", BigInteger, nullable=False),
    Column("last_login", BigInteger, nullable=False, default=0),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    # Comma-separated developer permissions: scrobble, checkin, create_account.
    Column("permissions", String(100), nullable=False, default=""),
    Column("created_at", BigInteger, nullable=False),
)

user_settings = Table(
    "user_settings",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("timezone", String(16), nullable=False, default="UM8"),
    Column("use_24hr", Boolean, nullable=False, default=False),
    Column("ratings_mode", String(10), nullable=False, default="simple"),
    Column("shouts_show_badges", Boolean, nullable=False, default=True),
    Column("shouts_show_spoilers", Boolean, nullable=False, default=False),
    Column("sharing_text_watching", String(200), nullable=False, default="I'm watching [item]"),
    Column("sharing_text_watched", String(200), nullable=False, default="I just watched [item]"),
)
