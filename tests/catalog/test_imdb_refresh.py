"""Importing again, a newer dump, client rows, file order and subsets, and rows that can't be used."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Table, select

from opentrakt.catalog.imdb import FileKind
from opentrakt.db.engine import write_connection
from opentrakt.db.tables.catalog import (
    SOURCE_CLIENT,
    SOURCE_IMDB,
    episodes,
    movie_credits,
    movie_genres,
    movies,
    people,
    seasons,
    show_credits,
    show_genres,
    shows,
)
from opentrakt.db.tables.tracking import episode_collection, episode_plays
from opentrakt.errors import Invalid
from opentrakt.runtime import Runtime
from opentrakt.tracking import episodes as tracking_episodes
from opentrakt.tracking.batches import EpisodeSeen
from opentrakt.tracking.progress import show_progress
from tests.catalog.imdb_support import (
    replace_field,
    row,
    rows,
    run_import,
    sample,
    sample_lines,
    write_tsv,
)
from tests.catalog_fixtures import add_movie, catalog_writer
from tests.support import make_user

DAY = 86_400
CATALOGUE = (movies, shows, seasons, episodes, people, movie_genres, show_genres, movie_credits, show_credits)


async def _snapshot(runtime: Runtime) -> dict[str, list[tuple[object, ...]]]:
    """Every catalogue row, in a stable order."""
    async with runtime.engine.connect() as conn:
        return {
            table.name: sorted(tuple(r) for r in await conn.execute(select(table)))
            for table in CATALOGUE
            if isinstance(table, Table)
        }


async def test_importing_twice_changes_nothing(runtime: Runtime, shared_dir: Path) -> None:
    await run_import(runtime, sample(shared_dir))
    before = await _snapshot(runtime)
    runtime.clock.advance(DAY)  # type: ignore[attr-defined]

    again = await run_import(runtime, sample(shared_dir))

    assert await _snapshot(runtime) == before  # updated_at included
    for report in again.files:
        assert (report.added, report.updated) == (0, 0), report
    assert again.for_kind(FileKind.TITLE_BASICS).unchanged == 185
    assert again.for_kind(FileKind.TITLE_EPISODE).unchanged == 62
    assert again.for_kind(FileKind.TITLE_RATINGS).unchanged == 150
    assert again.for_kind(FileKind.NAME_BASICS).unchanged == 370


async def test_a_newer_dump_updates_what_changed(runtime: Runtime, shared_dir: Path, tmp_path: Path) -> None:
    await run_import(runtime, sample(shared_dir))
    knight_before = await row(runtime, movies, movies.c.imdb_id == "tt0468569")
    runtime.clock.advance(DAY)  # type: ignore[attr-defined]

    basics = sample_lines(shared_dir, "title.basics.tsv.gz")
    basics = replace_field(basics, "tt1375666", 7, "149")  # Inception's runtime
    basics = replace_field(basics, "tt1375666", 8, "Action,Sci-Fi,Thriller")
    basics = replace_field(basics, "tt5635850", 2, "The Last One")  # an episode's title
    ratings = replace_field(sample_lines(shared_dir, "title.ratings.tsv.gz"), "tt0816692", 2, "2400000")
    newer = [
        write_tsv(tmp_path / "title.basics.tsv.gz", basics),
        write_tsv(tmp_path / "title.ratings.tsv.gz", ratings),
        *sample(shared_dir, "title.episode.tsv.gz"),
    ]
    report = await run_import(runtime, newer)

    inception = await row(runtime, movies, movies.c.imdb_id == "tt1375666")
    assert (inception.runtime, inception.updated_at, inception.slug) == (
        149,
        runtime.clock.now(),
        "inception-2010",
    )
    async with runtime.engine.connect() as conn:
        genre_slugs = set(
            await conn.scalars(select(movie_genres.c.genre_id).where(movie_genres.c.movie_id == inception.id))
        )
    assert len(genre_slugs) == 3
    interstellar = await row(runtime, movies, movies.c.imdb_id == "tt0816692")
    assert (interstellar.imdb_votes, interstellar.updated_at) == (2400000, runtime.clock.now())
    episode = await row(runtime, episodes, episodes.c.imdb_id == "tt5635850")
    assert (episode.title, episode.title_key, episode.updated_at) == (
        "The Last One",
        "the last one",
        runtime.clock.now(),
    )
    # Rows the newer dump left alone keep their timestamp.
    assert await row(runtime, movies, movies.c.imdb_id == "tt0468569") == knight_before
    assert report.for_kind(FileKind.TITLE_BASICS).updated == 1
    assert report.for_kind(FileKind.TITLE_EPISODE).updated == 1
    assert report.for_kind(FileKind.TITLE_RATINGS).updated == 1


async def test_an_import_overwrites_a_client_row_it_matches(runtime: Runtime, shared_dir: Path) -> None:
    async with catalog_writer(runtime) as conn:
        made = await add_movie(
            conn, "inception", 2011, imdb_id="tt1375666", runtime=1, source=SOURCE_CLIENT, updated_at=5
        )

    await run_import(runtime, sample(shared_dir, "title.basics.tsv.gz", "title.ratings.tsv.gz"))

    inception = await row(runtime, movies, movies.c.imdb_id == "tt1375666")
    assert inception.id == made
    assert (inception.title, inception.year, inception.runtime, inception.source) == (
        "Inception",
        2010,
        148,
        SOURCE_IMDB,
    )
    assert (inception.imdb_rating, inception.updated_at) == (8.8, runtime.clock.now())
    assert inception.slug == "inception-2011"  # a slug, once given, stays: clients may have stored it


async def test_files_in_any_order_and_any_subset(runtime: Runtime, shared_dir: Path) -> None:
    # Ratings alone first: there is nothing to rate yet.
    alone = await run_import(runtime, sample(shared_dir, "title.ratings.tsv.gz"))
    assert alone.for_kind(FileKind.TITLE_RATINGS).skipped == {"title not in the catalogue": 204}
    # title.episode without title.basics can't create episodes: it lacks their titles.
    episodes_alone = await run_import(runtime, sample(shared_dir, "title.episode.tsv.gz"))
    assert episodes_alone.for_kind(FileKind.TITLE_EPISODE).skipped["show not in the catalogue"] == 124 - 2

    report = await run_import(
        runtime,
        list(
            reversed(sample(shared_dir, "title.basics.tsv.gz", "title.ratings.tsv.gz", "title.crew.tsv.gz"))
        ),
    )
    assert [f.kind for f in report.files] == [
        FileKind.TITLE_RATINGS,
        FileKind.TITLE_BASICS,
        FileKind.TITLE_CREW,
    ]
    assert (await row(runtime, movies, movies.c.imdb_id == "tt0468569")).imdb_rating == 9.0
    # Without name.basics nobody is in the catalogue to credit.
    assert report.for_kind(FileKind.TITLE_CREW).added == 0
    assert not await rows(runtime, episodes)

    later = await run_import(runtime, sample(shared_dir, "title.episode.tsv.gz"))
    assert (
        later.for_kind(FileKind.TITLE_EPISODE).skipped[
            "episode not in title.basics (give both files in one run)"
        ]
        == 62
    )


async def test_gzip_and_plain_files_read_the_same(runtime: Runtime, shared_dir: Path, tmp_path: Path) -> None:
    plain = tmp_path / "2024-05-01.title.basics.tsv"  # a dated name, not compressed
    with gzip.open(sample(shared_dir, "title.basics.tsv.gz")[0], "rb") as source, plain.open("wb") as target:
        shutil.copyfileobj(source, target)

    first = await run_import(runtime, [plain])
    second = await run_import(runtime, sample(shared_dir, "title.basics.tsv.gz"))

    assert first.for_kind(FileKind.TITLE_BASICS).added == 185
    assert second.for_kind(FileKind.TITLE_BASICS).unchanged == 185


async def test_rows_it_cannot_use_are_counted(runtime: Runtime, shared_dir: Path, tmp_path: Path) -> None:
    lines = sample_lines(shared_dir, "title.basics.tsv.gz")
    header, knight = lines[0], next(line for line in lines if line.startswith("tt0468569\t"))
    broken = [
        header,
        knight,
        "tt0000100\tmovie\tToo Few Columns",  # wrong column count
        "tt0000101\tmovie\tBad Year\tBad Year\t0\t19x5\t\\N\t90\tDrama",  # non-numeric year
        "tt0000102\tmovie\tBad Runtime\tBad Runtime\t0\t1995\t\\N\tninety\tDrama",
        "tt0000103\tpodcast\tUnknown Type\tUnknown Type\t0\t1995\t\\N\t90\tDrama",  # unknown type
        "xx0000104\tmovie\tBad Id\tBad Id\t0\t1995\t\\N\t90\tDrama",
        "tt0000105\tmovie\t\\N\t\\N\t0\t1995\t\\N\t90\tDrama",  # no title
        "tt0000106\tmovie\tNul\x00Title\tNul\t0\t1995\t\\N\t90\tDrama",
        "tt0468569\tmovie\tThe Dark Knight\tThe Dark Knight\t0\t2008\t\\N\t152\tAction",  # repeated id
        "tt0000107\tmovie\tStill Fine\tStill Fine\t0\t1995\t\\N\t90\tDrama",
    ]
    path = write_tsv(tmp_path / "title.basics.tsv", broken)
    path.write_bytes(path.read_bytes() + b"tt0000108\tmovie\tBad \xff Byte\tx\t0\t1995\t\\N\t90\tDrama\n")

    report = (await run_import(runtime, [path])).for_kind(FileKind.TITLE_BASICS)

    assert report.rows == 11
    assert report.added == 2
    assert report.skipped == {
        "wrong number of columns": 1,
        "startYear is not a number": 1,
        "runtimeMinutes is not a number": 1,
        "unknown titleType": 1,
        "malformed IMDb id": 1,
        "no title": 1,
        "contains a NUL character": 1,
        "the same id twice in the file": 1,
        "not valid UTF-8": 1,
    }
    assert {m.title for m in await rows(runtime, movies)} == {"The Dark Knight", "Still Fine"}


async def test_a_truncated_download_keeps_what_was_read(
    runtime: Runtime, shared_dir: Path, tmp_path: Path
) -> None:
    whole = sample(shared_dir, "title.basics.tsv.gz")[0].read_bytes()
    cut = tmp_path / "title.basics.tsv.gz"
    cut.write_bytes(whole[: len(whole) // 2])

    report = (await run_import(runtime, [cut], batch_size=100)).for_kind(FileKind.TITLE_BASICS)

    assert report.note is not None and report.note.startswith("stopped reading after data line")
    assert 0 < report.rows < 384
    assert report.added > 0


async def test_adult_titles_only_when_asked(runtime: Runtime, shared_dir: Path) -> None:
    await run_import(runtime, sample(shared_dir, "title.basics.tsv.gz"), include_adult=True)
    assert (
        len(await rows(runtime, movies, movies.c.imdb_id.in_(["tt9811452", "tt9818148", "tt9892000"]))) == 3
    )


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (("notes.txt",), "not an IMDb dataset file name"),
        (("title.basics.tsv", "title.basics.tsv.gz"), "are both title.basics files"),
        (("missing/title.crew.tsv",), "no such file"),
    ],
)
async def test_files_it_refuses(
    runtime: Runtime, tmp_path: Path, names: tuple[str, ...], message: str
) -> None:
    paths = [tmp_path / name for name in names]
    for path in paths:
        if path.parent.exists():
            path.write_text("tconst\n")
    with pytest.raises(Invalid, match=message):
        await run_import(runtime, paths)


async def test_an_episode_moved_to_another_show_takes_its_plays_along(
    runtime: Runtime, shared_dir: Path, tmp_path: Path
) -> None:
    await run_import(runtime, sample(shared_dir))
    episode = await row(runtime, episodes, episodes.c.imdb_id == "tt10070612")
    other_show = await row(runtime, shows, shows.c.imdb_id == "tt3456370")
    assert episode.show_id != other_show.id
    user = await make_user(runtime, "mover")
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            await tracking_episodes.mark_episodes_seen(
                conn, user.user_id, episode.show_id, [EpisodeSeen(episode.id)], runtime.clock.now()
            )
            await tracking_episodes.add_episodes_to_collection(
                conn, user.user_id, episode.show_id, [episode.id], runtime.clock.now()
            )

    lines = sample_lines(shared_dir, "title.episode.tsv.gz")
    lines = replace_field(replace_field(lines, "tt10070612", 1, "tt3456370"), "tt10070612", 2, "99")
    await run_import(runtime, [write_tsv(tmp_path / "title.episode.tsv.gz", lines)])

    moved = await row(runtime, episodes, episodes.c.imdb_id == "tt10070612")
    assert (moved.id, moved.show_id, moved.season) == (episode.id, other_show.id, 99)
    for table in (episode_plays, episode_collection):
        [kept] = await rows(runtime, table, table.c.user_id == user.user_id)
        assert (kept.episode_id, kept.show_id) == (episode.id, other_show.id)
    async with runtime.engine.connect() as conn:
        progress = {
            p.show_id: p for p in await show_progress(conn, user.user_id, "watched", runtime.clock.now())
        }
    assert list(progress) == [other_show.id]
    assert [
        (s.season, s.completion.completed) for s in progress[other_show.id].seasons if s.season == 99
    ] == [(99, 1)]
