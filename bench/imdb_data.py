"""Synthetic IMDb dataset files for the import benchmark, and the rows they should become.

Deterministic for a given scale: the files and the expected catalogue rows come from one
generator, so the benchmark's plain-insert baseline can insert exactly what the importer stores.
Titles and episodes are interleaved by tconst as in the real dumps (titles odd, episodes even),
an episode's parent may come after it, and the mix of types, adult flags, missing numbers and
repeated titles makes the importer skip, stage and resolve slug collisions as it does on real data.
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

NULL = "\\N"
GENRES = [
    "Action",
    "Adult",
    "Adventure",
    "Animation",
    "Biography",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "Film-Noir",
    "Game-Show",
    "History",
    "Horror",
    "Music",
    "Musical",
    "Mystery",
    "News",
    "Reality-TV",
    "Romance",
    "Sci-Fi",
    "Short",
    "Sport",
    "Talk-Show",
    "Thriller",
    "War",
    "Western",
]
# One slot per title ordinal modulo 20: what share of titles each type gets.
TYPES = (
    ["movie"] * 11
    + ["tvMovie", "tvSeries", "tvSeries", "tvMiniSeries", "short", "short", "video"]
    + [
        "tvSpecial",
        "movie",
    ]
)
SHOW_SLOTS = (12, 13, 14)
EPISODES_PER_SEASON = 10
_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "te",
    "su",
    "no",
    "vi",
    "da",
    "ne",
    "shi",
    "ro",
    "ma",
    "ki",
    "ta",
    "re",
    "zu",
    "ya",
    "po",
    "fe",
]


def _words(rng: random.Random) -> list[str]:
    # 400 pseudo-words: enough variety for mostly distinct titles, few enough for slug collisions.
    return sorted({"".join(rng.sample(_SYLLABLES, 3)).capitalize() for _ in range(2000)})[:400]


@dataclass(frozen=True, slots=True)
class Record:
    tconst: str
    kind: str  # a titleType
    title: str
    adult: bool
    year: int | None
    end_year: int | None
    runtime: int | None
    genres: tuple[str, ...]
    rating: tuple[float, int] | None
    # Episodes only
    parent: str | None = None
    show_ordinal: int | None = None
    season: int | None = None
    number: int | None = None


class Scale:
    def __init__(self, titles: int, episodes: int, seed: int = 20_240_501) -> None:
        self.titles = titles
        self.episodes = episodes
        self.seed = seed
        self.width = max(8, len(str(2 * max(titles, episodes) + 2)))
        self.shows = sum(1 for i in range(titles) if i % 20 in SHOW_SLOTS)

    def tconst(self, n: int) -> str:
        return f"tt{n:0{self.width}d}"

    def show_title_ordinal(self, show: int) -> int:
        return (show // len(SHOW_SLOTS)) * 20 + SHOW_SLOTS[show % len(SHOW_SLOTS)]

    def records(self) -> Iterator[Record]:
        """Every title and episode in tconst order (title i is number 2i+1, episode j is 2j+2)."""
        rng = random.Random(self.seed)
        words = _words(rng)
        for n in range(1, 2 * max(self.titles, self.episodes) + 3):
            if n % 2:
                i = (n - 1) // 2
                if i < self.titles:
                    yield self._title(rng, words, n, i)
            else:
                j = n // 2 - 1
                if j < self.episodes and self.shows:
                    yield self._episode(rng, n, j)

    def _title(self, rng: random.Random, words: list[str], n: int, i: int) -> Record:
        kind = TYPES[i % 20]
        year = rng.randint(1920, 2025) if rng.random() > 0.02 else None
        series = kind in ("tvSeries", "tvMiniSeries")
        return Record(
            tconst=self.tconst(n),
            kind=kind,
            title=" ".join(rng.choices(words, k=rng.choice((1, 2, 2, 3)))),
            adult=i % 20 == 19 and (i // 20) % 4 == 0,
            year=year,
            end_year=year + rng.randint(0, 12) if series and year and rng.random() < 0.6 else None,
            runtime=rng.randint(5, 200) if rng.random() > 0.2 else None,
            genres=tuple(sorted(set(rng.choices(GENRES, k=rng.randint(1, 3)))))
            if rng.random() > 0.08
            else (),
            rating=(round(rng.uniform(1, 10), 1), rng.randint(5, 3_000_000)) if rng.random() < 0.6 else None,
        )

    def _episode(self, rng: random.Random, n: int, j: int) -> Record:
        show = j % self.shows
        k = j // self.shows
        numbered = j % 250 != 249  # a few episodes have \N numbers, as in the dumps
        season, number = k // EPISODES_PER_SEASON + 1, k % EPISODES_PER_SEASON + 1
        return Record(
            tconst=self.tconst(n),
            kind="tvEpisode",
            title=f"Episode #{season}.{number}",
            adult=False,
            year=rng.randint(1950, 2025),
            end_year=None,
            runtime=rng.choice((22, 23, 30, 42, 45, 60)),
            genres=("Drama",),
            rating=(round(rng.uniform(1, 10), 1), rng.randint(5, 50_000)) if rng.random() < 0.3 else None,
            parent=self.tconst(2 * self.show_title_ordinal(show) + 1),
            show_ordinal=show,
            season=season if numbered else None,
            number=number if numbered else None,
        )


def _field(value: object) -> str:
    return NULL if value is None else str(value)


def write_files(scale: Scale, folder: Path) -> list[Path]:
    """title.basics, title.episode and title.ratings (gzip) for ``scale``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"title.{name}.tsv.gz" for name in ("basics", "episode", "ratings")]
    with ExitStack() as stack:
        basics, episodes, ratings = (
            stack.enter_context(gzip.open(p, "wt", encoding="utf-8", newline="", compresslevel=6))
            for p in paths
        )
        basics.write(
            "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
        )
        episodes.write("tconst\tparentTconst\tseasonNumber\tepisodeNumber\n")
        ratings.write("tconst\taverageRating\tnumVotes\n")
        for r in scale.records():
            genres = ",".join(r.genres) or NULL
            basics.write(
                f"{r.tconst}\t{r.kind}\t{r.title}\t{r.title}\t{int(r.adult)}\t{_field(r.year)}\t"
                f"{_field(r.end_year)}\t{_field(r.runtime)}\t{genres}\n"
            )
            if r.kind == "tvEpisode":
                episodes.write(f"{r.tconst}\t{r.parent}\t{_field(r.season)}\t{_field(r.number)}\n")
            if r.rating:
                ratings.write(f"{r.tconst}\t{r.rating[0]:.1f}\t{r.rating[1]}\n")
    return paths
