"""Live playback state: what each user is watching or checked in to right now.

One row per user, kept (as ``idle``) when nothing is playing: the row is what a user's
playback writes lock, so scrobbles and check-ins of one user are serialised across every
server instance without any state in process memory.
"""

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table

from opentrakt.db.metadata import metadata

STATE_IDLE = "idle"
STATE_WATCHING = "watching"
STATE_CHECKIN = "checkin"

playback_sessions = Table(
    "playback_sessions",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("state", String(10), nullable=False, default=STATE_IDLE),  # idle, watching, checkin
    Column("item_type", String(10)),  # movie or episode; NULL when idle
    Column("movie_id", Integer, ForeignKey("movies.id", ondelete="CASCADE")),
    Column("show_id", Integer, ForeignKey("shows.id", ondelete="CASCADE")),
    Column("episode_id", Integer, ForeignKey("episodes.id", ondelete="CASCADE")),
    # A digest of how the client named the item, so that repeated pings skip resolving it.
    Column("identity_key", String(40)),
    Column("started_at", BigInteger),
    Column("updated_at", BigInteger),  # the last watching ping, or the check-in time
    # When the state stops counting: a watching state lapses, a check-in becomes a play.
    Column("ends_at", BigInteger),
    Column("duration", Integer),  # minutes, as the client sent it or the item's runtime
    Column("progress", Integer),  # percent, watching only
    Column("message", String(100)),
    Column("venue_id", String(64)),
    Column("venue_name", String(200)),
    # What the client asked to share; a self-hosted server posts nowhere.
    Column("share_facebook", Boolean, nullable=False, default=False),
    Column("share_twitter", Boolean, nullable=False, default=False),
    Column("share_tumblr", Boolean, nullable=False, default=False),
    Column("share_path", Boolean, nullable=False, default=False),
    # The background duty finds due check-ins and lapsed watching states through this.
    Index("ix_playback_sessions_state_ends_at", "state", "ends_at"),
    # watchingnow reads.
    Index("ix_playback_sessions_movie_id", "movie_id"),
    Index("ix_playback_sessions_show_id", "show_id"),
    Index("ix_playback_sessions_episode_id", "episode_id"),
)
