"""Movies, shows, seasons, episodes, people, their credits and genres."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from opentrakt.db.metadata import metadata

# Where an item's descriptive data came from. Client-sourced fields never overwrite imported ones.
SOURCE_CLIENT = "client"
SOURCE_IMDB = "imdb"


def _community_rating_columns() -> list[Column]:
    """The aggregate of this server's users' ratings, kept up to date by the ratings service."""
    return [
        Column("rating_votes", Integer, nullable=False, default=0),
        Column("rating_total", Integer, nullable=False, default=0),  # sum of 10-point ratings
        Column("rating_loved", Integer, nullable=False, default=0),  # ratings 6-10
        Column("rating_hated", Integer, nullable=False, default=0),  # ratings 1-5
        # The imported dataset's own rating, shown while the community has none.
        Column("imdb_rating", Float),
        Column("imdb_votes", Integer),
    ]


movies = Table(
    "movies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(250), nullable=False, unique=True),
    Column("title", String(500), nullable=False),
    Column("year", Integer),
    Column("released", BigInteger),
    Column("runtime", Integer),
    Column("tagline", Text),
    Column("overview", Text),
    Column("certification", String(20)),
    Column("trailer", Text),
    Column("imdb_id", String(16), unique=True),
    Column("tmdb_id", Integer, unique=True),
    Column("rt_id", Integer),
    Column("poster_url", Text),
    Column("fanart_url", Text),
    Column("source", String(10), nullable=False, default=SOURCE_CLIENT),
    Column("title_key", String(500), nullable=False),  # case- and accent-folded title
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    *_community_rating_columns(),
    Index("ix_movies_title_key_year", "title_key", "year"),
    Index("ix_movies_updated_at", "updated_at"),
)

shows = Table(
    "shows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(250), nullable=False, unique=True),
    Column("title", String(500), nullable=False),
    Column("year", Integer),
    Column("first_aired", BigInteger),
    Column("country", String(100)),
    Column("overview", Text),
    Column("runtime", Integer),
    Column("network", String(100)),
    Column("air_day", String(10)),
    Column("air_time", String(10)),
    Column("air_timezone", String(50)),  # IANA zone of air_day/air_time, e.g. America/New_York
    Column("certification", String(20)),
    Column("status", String(20)),  # Continuing / Ended
    Column("imdb_id", String(16), unique=True),
    Column("tvdb_id", Integer, unique=True),
    Column("tvrage_id", Integer, unique=True),
    Column("tmdb_id", Integer, unique=True),
    Column("poster_url", Text),
    Column("fanart_url", Text),
    Column("banner_url", Text),
    Column("source", String(10), nullable=False, default=SOURCE_CLIENT),
    Column("title_key", String(500), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    *_community_rating_columns(),
    Index("ix_shows_title_key_year", "title_key", "year"),
    Index("ix_shows_updated_at", "updated_at"),
)

seasons = Table(
    "seasons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("show_id", Integer, ForeignKey("shows.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),  # 0 = specials
    Column("poster_url", Text),
    UniqueConstraint("show_id", "number"),
)

episodes = Table(
    "episodes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("show_id", Integer, ForeignKey("shows.id", ondelete="CASCADE"), nullable=False),
    Column("season", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("title", String(500)),
    Column("overview", Text),
    Column("first_aired", BigInteger),  # UTC instant of the first airing
    Column("runtime", Integer),
    Column("tvdb_id", Integer, unique=True),
    Column("imdb_id", String(16), unique=True),
    Column("tmdb_id", Integer, unique=True),
    Column("screen_url", Text),
    Column("source", String(10), nullable=False, default=SOURCE_CLIENT),
    Column("title_key", String(500)),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    *_community_rating_columns(),
    UniqueConstraint("show_id", "season", "number"),
    Index("ix_episodes_first_aired", "first_aired"),
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(250), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("name_key", String(300), nullable=False),
    Column("imdb_id", String(16), unique=True),
    Column("tmdb_id", Integer, unique=True),
    Column("biography", Text),
    Column("birthday", String(10)),  # YYYY-MM-DD or YYYY
    Column("birthplace", String(300)),
    Column("headshot_url", Text),
    Column("source", String(10), nullable=False, default=SOURCE_CLIENT),
    Column("updated_at", BigInteger, nullable=False),
)

# Roles: actor (with character), director, writer (with job), producer (executive flag).
ROLES = ("actor", "director", "writer", "producer")


def _credits(name: str, item_table: str, item_column: str) -> Table:
    return Table(
        name,
        metadata,
        Column(item_column, Integer, ForeignKey(f"{item_table}.id", ondelete="CASCADE"), primary_key=True),
        Column(
            "person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
        ),
        Column("role", String(10), primary_key=True),
        Column("character", String(500)),
        Column("job", String(200)),
        Column("executive", Boolean, nullable=False, default=False),
        Column("position", SmallInteger, nullable=False, default=0),  # billing order
    )


movie_credits = _credits("movie_credits", "movies", "movie_id")
show_credits = _credits("show_credits", "shows", "show_id")

genres = Table(
    "genres",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(50), nullable=False, unique=True),
    Column("name", String(50), nullable=False),
    # Which of genres/movies and genres/shows list it, and in which order.
    Column("for_movies", Boolean, nullable=False, default=False),
    Column("for_shows", Boolean, nullable=False, default=False),
    Column("position", SmallInteger, nullable=False, default=1000),
)

movie_genres = Table(
    "movie_genres",
    metadata,
    Column("movie_id", Integer, ForeignKey("movies.id", ondelete="CASCADE"), primary_key=True),
    Column("genre_id", Integer, ForeignKey("genres.id", ondelete="CASCADE"), primary_key=True, index=True),
)

show_genres = Table(
    "show_genres",
    metadata,
    Column("show_id", Integer, ForeignKey("shows.id", ondelete="CASCADE"), primary_key=True),
    Column("genre_id", Integer, ForeignKey("genres.id", ondelete="CASCADE"), primary_key=True, index=True),
)
