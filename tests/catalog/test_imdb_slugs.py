"""Slugs stay unique when titles and names repeat, within a batch and against stored rows."""

from __future__ import annotations

from pathlib import Path

from opentrakt.db.tables.catalog import SOURCE_CLIENT, movies, people, shows
from opentrakt.runtime import Runtime
from tests.catalog.imdb_support import rows, run_import, sample_lines, write_tsv
from tests.catalog_fixtures import add_movie, add_show, catalog_writer

ROW = "{id}\t{type}\t{title}\t{title}\t0\t{year}\t\\N\t90\tDrama"


def _basics(shared_dir: Path, path: Path, titles: list[tuple[str, str, str, str]]) -> Path:
    header = sample_lines(shared_dir, "title.basics.tsv.gz")[0]
    lines = [ROW.format(id=i, type=t, title=title, year=year) for i, t, title, year in titles]
    return write_tsv(path, [header, *lines])


async def _slugs(runtime: Runtime, table: object) -> dict[str, str]:
    return {r.imdb_id: r.slug for r in await rows(runtime, table)}  # type: ignore[arg-type]


async def test_repeated_titles_get_suffixes_in_file_order(
    runtime: Runtime, shared_dir: Path, tmp_path: Path
) -> None:
    async with catalog_writer(runtime) as conn:
        # A client-made movie holds the first choice; a client-made show holds "dexter".
        await add_movie(conn, "Love", 2015, source=SOURCE_CLIENT)
        await add_show(conn, "Dexter", 2006, slug="dexter", source=SOURCE_CLIENT)
    path = _basics(
        shared_dir,
        tmp_path / "title.basics.tsv",
        [
            ("tt0000010", "movie", "Love", "2015"),
            ("tt0000011", "movie", "Love", "2015"),
            ("tt0000012", "tvMovie", "LOVE!", "2015"),
            ("tt0000013", "movie", "Love", "2016"),
            ("tt0000020", "tvSeries", "Dexter", "2006"),
            ("tt0000021", "tvSeries", "Dexter", "2006"),
            ("tt0000022", "tvMiniSeries", "Dexter", "2021"),
            ("tt0000023", "tvSeries", "Dexter", "\\N"),
        ],
    )

    # Batches of three: collisions are resolved against earlier batches as well as within one.
    await run_import(runtime, [path], batch_size=3)
    movie_slugs = await _slugs(runtime, movies)
    show_slugs = await _slugs(runtime, shows)

    assert [movie_slugs[f"tt00000{n}"] for n in (10, 11, 12, 13)] == [
        "love-2015-2",
        "love-2015-3",
        "love-2015-4",
        "love-2016",
    ]
    assert [show_slugs[f"tt00000{n}"] for n in (20, 21, 22, 23)] == [
        "dexter-2006",
        "dexter-2006-2",
        "dexter-2021",
        "dexter-2",
    ]
    # Importing again keeps every slug.
    await run_import(runtime, [path])
    assert await _slugs(runtime, movies) == movie_slugs
    assert await _slugs(runtime, shows) == show_slugs


async def test_people_sharing_a_name(runtime: Runtime, shared_dir: Path, tmp_path: Path) -> None:
    header = sample_lines(shared_dir, "name.basics.tsv.gz")[0]
    lines = [f"nm{n:07d}\tJohn Smith\t\\N\t\\N\tactor\t\\N" for n in range(1, 41)]
    path = write_tsv(tmp_path / "name.basics.tsv.gz", [header, *lines])

    # Batches of 15: the second and third find 15 and 30 John Smiths already stored.
    await run_import(runtime, [path], batch_size=15)

    slugs = await _slugs(runtime, people)
    assert slugs["nm0000001"] == "john-smith"
    assert sorted(slugs.values()) == sorted(["john-smith", *(f"john-smith-{n}" for n in range(2, 41))])
