"""What each search looks through, the tiers its results are ranked in, and the columns every
backend's candidates carry (``id``, ``key``, ``votes``, ``matched``) for the shared ranking."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from sqlalchemy import Column, ColumnElement, Integer, Table, func, literal

from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.catalog import episodes, movies, people, shows


class Tier(IntEnum):
    """Every result of a higher tier ranks above every result of a lower one."""

    PARTIAL = 0  # some of the words
    ALL_WORDS = 1  # every word, anywhere in the text
    STARTS_WITH = 2  # the text begins with the query, punctuation and spacing ignored
    EXACT = 3  # the whole text is the query, punctuation and spacing ignored


@dataclass(frozen=True, slots=True)
class Target:
    table: Table
    key: Column[str]  # the folded text searched (title_key, name_key, username_key)
    fts: str  # SQLite FTS5 table indexing ``key`` (migration 0004)
    has_votes: bool  # imdb_votes and rating_votes rank it; people and users have none

    @property
    def id(self) -> Column[int]:
        return self.table.c.id

    def candidate_columns(self) -> tuple[ColumnElement[object], ...]:
        """``id``, ``key`` and ``votes`` of a row (``matched`` depends on the tier)."""
        votes = (
            func.coalesce(self.table.c.imdb_votes, 0) + self.table.c.rating_votes
            if self.has_votes
            else literal(0, Integer)
        )
        return (self.id.label("id"), self.key.label("key"), votes.label("votes"))


MOVIES = Target(movies, movies.c.title_key, "movies_fts", has_votes=True)
SHOWS = Target(shows, shows.c.title_key, "shows_fts", has_votes=True)
EPISODES = Target(episodes, episodes.c.title_key, "episodes_fts", has_votes=True)
PEOPLE = Target(people, people.c.name_key, "people_fts", has_votes=False)
USERS = Target(users, users.c.username_key, "users_fts", has_votes=False)
