"""A synthetic catalogue for the search benchmark, written with batched INSERTs.

Titles are built the way real ones read: a few words from a vocabulary whose frequencies fall off
like real title words (a couple hundred common English title words, each in up to ~2% of titles,
behind them a long tail of 100,000 rarer words), articles and prepositions ("The …", "… of the …"),
sequel numbers, punctuation (colons, hyphens, apostrophes, "&") and some accented words. IMDb-like
vote counts (log-normal, about half missing) give the popularity ranking something to do.
A handful of known rows (Uncle Buck, Cowboy Bebop, The Simpsons with 20 seasons, Eric Bana,
infodump, …) give the query mix fixed targets.

``scale`` titles = 70% movies + 5% shows + 25% episodes; people = scale / 2; users = scale / 500.
Everything is deterministic for a given scale.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from opentrakt.catalog.text import fold, slugify
from opentrakt.db.engine import write_connection
from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.catalog import (
    SOURCE_IMDB,
    episodes,
    genres,
    movie_genres,
    movies,
    people,
    seasons,
    show_genres,
    shows,
)

_COMMON_TEXT = (
    "love man night day life last girl world dead house black time story king war little blood death dark "
    "city one big secret lost white red home christmas new return lady island american family devil great "
    "first star street boy road moon murder good fire body game summer money wild heart woman men women "
    "children lives back end party island dream kill killer ghost shadow angel hell heaven sea water sun "
    "light master gold silver bad brother sister father mother son daughter wedding school town country "
    "west east north south river mountain love lost last living zombie vampire witch ice snow rain storm "
    "stars planet space ship train car highway run running hunter hunt dog cat horse bird wolf tiger dragon "
    "legend legends tale tales quest kingdom empire war wars battle soldier army hero heroes prince princess "
    "queen kings crime justice law escape prison detective case mystery affair truth lies secret secrets "
    "diary letter letters song songs music dance blues jazz rock street streets love american high fast "
    "furious deadly final lady man's world's nights days years hour minutes moment forever never always"
)
COMMON = _COMMON_TEXT.split()
ARTICLES = ("the", "a", "of", "in", "and", "to", "on", "for", "with", "from")
ACCENTED = "amélie café señor mañana über noël château crème façade naïve déjà müller ångström élan fiancée"
_SYLLABLE_TEXT = (
    "ka lo mi ra ne to sa vi de ur an el is or ba tre po lin mar gen sol dor fen zu qui bra cle dri"
)
SYLLABLES = _SYLLABLE_TEXT.split()
GENRE_NAMES = (
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Horror",
)
_FIRST_NAME_TEXT = (
    "eric john james robert michael william david richard joseph thomas charles mary patricia jennifer linda "
    "elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley kimberly emily donna "
    "anna marie jean pierre hans klaus yuki hiro maria jose carlos ana sofia lucia marco luca giulia chen wei"
)
FIRST_NAMES = _FIRST_NAME_TEXT.split()
# Fixed rows the query mix aims at: (title, votes).
LANDMARK_MOVIES = (
    ("Uncle Buck", 85_000),
    ("Spider-Man", 800_000),
    ("Spider-Man 2", 600_000),
    ("Amélie", 750_000),
    ("The Matrix", 2_000_000),
    ("Star Wars", 1_400_000),
    ("Love Actually", 500_000),
    ("Schindler's List", 1_400_000),
)
LANDMARK_SHOWS = (("Cowboy Bebop", 100_000), ("Breaking Bad", 2_000_000))
BIG_SHOW = "The Simpsons"
BIG_SHOW_SLUG = "the-simpsons"
BIG_SHOW_SEASONS = 20
BIG_SHOW_EPISODES = 22
BATCH = 5_000
NOW = 1_700_000_000


@dataclass(frozen=True, slots=True)
class Scale:
    titles: int

    @property
    def movies(self) -> int:
        return self.titles * 70 // 100

    @property
    def shows(self) -> int:
        return max(len(LANDMARK_SHOWS) + 1, self.titles * 5 // 100)

    @property
    def episodes(self) -> int:
        return self.titles - self.movies - self.shows

    @property
    def people(self) -> int:
        return self.titles // 2

    @property
    def users(self) -> int:
        return max(10, self.titles // 500)


class Words:
    """Random title words with realistic frequencies."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.common = list(dict.fromkeys(COMMON))
        self.common_weights = list(itertools.accumulate(1 / (k + 1) ** 0.3 for k in range(len(self.common))))
        tail = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(150_000)}
        self.rare = sorted(tail)[:100_000]
        rng.shuffle(self.rare)
        self.rare_weights = list(itertools.accumulate(1 / (k + 1) ** 0.6 for k in range(len(self.rare))))
        self.accented = ACCENTED.split()

    def word(self) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            return self.rng.choices(self.common, cum_weights=self.common_weights)[0]
        if roll < 0.36:
            return self.rng.choice(self.accented)
        return self.rng.choices(self.rare, cum_weights=self.rare_weights)[0]

    def title(self) -> str:
        w = self.word
        pattern = self.rng.randrange(20)
        if pattern < 4:
            text = f"{w()} {w()}"
        elif pattern < 7:
            text = f"the {w()}"
        elif pattern < 9:
            text = f"the {w()} {w()}"
        elif pattern < 11:
            text = f"{w()} of the {w()}"
        elif pattern < 13:
            text = f"{w()} {w()} {w()}"
        elif pattern < 14:
            text = f"{w()}: {w()} {self.rng.choice(ARTICLES)} {w()}"
        elif pattern < 15:
            text = f"{w()}'s {w()}"
        elif pattern < 16:
            text = f"{w()} & {w()}"
        elif pattern < 17:
            text = f"{w()}-{w()}"
        elif pattern < 18:
            text = f"{w()} {w()} {self.rng.randint(2, 5)}"
        else:
            text = w()
        return " ".join(part[:1].upper() + part[1:] for part in text.split(" "))

    def name(self) -> str:
        first = self.rng.choice(FIRST_NAMES).capitalize()
        last = self.word().capitalize()
        if self.rng.random() < 0.2:
            return f"{first} {self.rng.choice(FIRST_NAMES)[0].upper()}. {last}"
        return f"{first} {last}"


def votes(rng: random.Random) -> int | None:
    if rng.random() < 0.45:
        return None
    return min(3_000_000, int(math.exp(rng.gauss(4.5, 2.2))))


def _title_row(serial: int, title: str, year: int, count: int | None, *, slug: str = "") -> dict[str, Any]:
    return {
        "slug": slug or f"{slugify(title)}-{serial}",
        "title": title,
        "year": year,
        "title_key": fold(title),
        "imdb_votes": count,
        "imdb_rating": 7.0 if count else None,
        "runtime": 90,
        "source": SOURCE_IMDB,
        "created_at": NOW,
        "updated_at": NOW,
    }


async def _write(
    engine: AsyncEngine, table: Table, rows: Iterator[dict[str, Any]], report: Callable[[str], None]
) -> None:
    batch: list[dict[str, Any]] = []
    written = 0

    async def flush() -> None:
        nonlocal written
        async with engine.connect() as conn:
            conn = await write_connection(conn)
            async with conn.begin():
                await conn.execute(insert(table), batch)
        written += len(batch)
        batch.clear()
        if written % (BATCH * 20) == 0:
            report(f"  {table.name}: {written:,}")

    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            await flush()
    if batch:
        await flush()
    report(f"  {table.name}: {written:,}")


async def _ids(engine: AsyncEngine, table: Table) -> list[int]:
    async with engine.connect() as conn:
        return list((await conn.execute(select(table.c.id).order_by(table.c.id))).scalars())


async def build(engine: AsyncEngine, scale: Scale, report: Callable[[str], None] = print) -> None:
    """Fill a migrated, empty database."""
    rng = random.Random(20_240_601)
    words = Words(rng)
    serial = itertools.count(1)

    def movie_rows() -> Iterator[dict[str, Any]]:
        for title, count in LANDMARK_MOVIES:
            yield _title_row(next(serial), title, 1990, count)
        for _ in range(scale.movies - len(LANDMARK_MOVIES)):
            yield _title_row(next(serial), words.title(), rng.randint(1920, 2024), votes(rng))

    def show_rows() -> Iterator[dict[str, Any]]:
        yield _title_row(next(serial), BIG_SHOW, 1989, 400_000, slug=BIG_SHOW_SLUG)
        for title, count in LANDMARK_SHOWS:
            yield _title_row(next(serial), title, 2000, count)
        for _ in range(scale.shows - len(LANDMARK_SHOWS) - 1):
            yield _title_row(next(serial), words.title(), rng.randint(1950, 2024), votes(rng))

    await _write(engine, movies, movie_rows(), report)
    await _write(engine, shows, show_rows(), report)
    movie_ids, show_ids = await _ids(engine, movies), await _ids(engine, shows)
    await _link_genres(engine, rng, movie_ids, show_ids, report)
    await _write_episodes(engine, rng, words, scale, show_ids, report)

    def people_rows() -> Iterator[dict[str, Any]]:
        for n in range(scale.people):
            name = "Eric Bana" if n == 0 else words.name()
            yield {
                "slug": f"{slugify(name)}-{n}",
                "name": name,
                "name_key": fold(name),
                "source": SOURCE_IMDB,
                "updated_at": NOW,
            }

    def user_rows() -> Iterator[dict[str, Any]]:
        for n in range(scale.users):
            name = (
                "infodump"
                if n == 0
                else f"{words.word()}{rng.choice(['', '_', '.', ''])}{rng.randint(1, 999)}"
            )
            username = f"{name}"[:28] + ("" if n == 0 else f"-{n}")
            yield {
                "username": username,
                "username_key": username.casefold(),
                "email": f"user{n}@example.org",
                "email_key": f"user{n}@example.org",
                "password_hash": "-",  # nobody logs in as these
                "joined": NOW,
            }

    await _write(engine, people, people_rows(), report)
    await _write(engine, users, user_rows(), report)


async def _link_genres(
    engine: AsyncEngine,
    rng: random.Random,
    movie_ids: list[int],
    show_ids: list[int],
    report: Callable[[str], None],
) -> None:
    async with engine.connect() as conn:
        rows = await conn.execute(select(genres.c.name, genres.c.id).where(genres.c.name.in_(GENRE_NAMES)))
        genre_ids = [genre_id for _, genre_id in rows]

    def links(ids: list[int], column: str) -> Iterator[dict[str, Any]]:
        for item_id in ids:
            for genre_id in rng.sample(genre_ids, rng.randint(1, 3)):
                yield {column: item_id, "genre_id": genre_id}

    await _write(engine, movie_genres, links(movie_ids, "movie_id"), report)
    await _write(engine, show_genres, links(show_ids, "show_id"), report)


async def _write_episodes(
    engine: AsyncEngine,
    rng: random.Random,
    words: Words,
    scale: Scale,
    show_ids: list[int],
    report: Callable[[str], None],
) -> None:
    """The big show gets 20 full seasons; the rest go to other shows, a few seasons each."""
    plan: list[tuple[int, int, int]] = [
        (show_ids[0], season, number)
        for season in range(1, BIG_SHOW_SEASONS + 1)
        for number in range(1, BIG_SHOW_EPISODES + 1)
    ]
    others = show_ids[1:]
    while len(plan) < scale.episodes:
        show_id = rng.choice(others)
        season = rng.randint(1, 6)
        plan.extend((show_id, season, number) for number in range(1, rng.randint(4, 13)))
    plan = list(dict.fromkeys(plan[: scale.episodes]))

    def season_rows() -> Iterator[dict[str, Any]]:
        for show_id, season in dict.fromkeys((show_id, season) for show_id, season, _ in plan):
            yield {"show_id": show_id, "number": season}

    def episode_rows() -> Iterator[dict[str, Any]]:
        for index, (show_id, season, number) in enumerate(plan):
            title = "Lisa the Vegetarian" if index == 0 else words.title()
            yield {
                "show_id": show_id,
                "season": season,
                "number": number,
                "title": title,
                "title_key": fold(title),
                "imdb_votes": votes(rng),
                "first_aired": NOW - index,
                "source": SOURCE_IMDB,
                "created_at": NOW,
                "updated_at": NOW,
            }

    await _write(engine, seasons, season_rows(), report)
    await _write(engine, episodes, episode_rows(), report)
