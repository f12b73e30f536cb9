"""``import_imdb``: read the given dataset files in dependency order, in batches, one transaction each.

Memory stays flat: a file is read line by line and at most one batch of parsed records is held.
Each batch commits on its own, so a server using the same database keeps working during an
import (on SQLite it waits at most one batch for the write lock), and an interrupted import
keeps what it wrote; running it again finishes the job, since every write is an upsert.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.imdb import credits, episodes, people, ratings, scratch, titles
from opentrakt.catalog.imdb.files import COLUMNS, DatasetFile, FileKind, TsvReader, plan
from opentrakt.catalog.imdb.genres import GenreBook
from opentrakt.catalog.imdb.report import FileReport, ImportProgress, ImportReport, SilentProgress
from opentrakt.catalog.imdb.rows import (
    Credit,
    EpisodeRef,
    Kind,
    Pick,
    Title,
    columns,
    parse_crew,
    parse_episode,
    parse_person,
    parse_principal,
    parse_rating,
    parse_title,
)
from opentrakt.clock import Clock
from opentrakt.db.engine import write_connection
from opentrakt.db.sql import is_postgres
from opentrakt.db.tables import catalog as tables

SKIP_ADULT = "adult title"

# The tables each file writes and later batches query, for PostgreSQL's ANALYZE.
_ANALYZED: dict[FileKind, tuple[Table, ...]] = {
    FileKind.TITLE_BASICS: (tables.movies, tables.shows, scratch.staged),
    FileKind.TITLE_EPISODE: (tables.episodes, scratch.placing),
    FileKind.TITLE_RATINGS: (scratch.rated,),
    FileKind.NAME_BASICS: (tables.people,),
    FileKind.TITLE_PRINCIPALS: (tables.movie_credits, tables.show_credits),
    FileKind.TITLE_CREW: (tables.movie_credits, tables.show_credits),
    FileKind.TITLE_AKAS: (),
}
NOT_READ_AKAS = "not read: the catalogue keeps no alternative titles"

_PARSERS: dict[FileKind, Callable[[list[str], Pick], Any]] = {
    FileKind.TITLE_BASICS: parse_title,
    FileKind.TITLE_EPISODE: parse_episode,
    FileKind.TITLE_RATINGS: parse_rating,
    FileKind.NAME_BASICS: parse_person,
    FileKind.TITLE_PRINCIPALS: parse_principal,
    FileKind.TITLE_CREW: parse_crew,
}


@dataclass(frozen=True)
class ImportOptions:
    # Rows per transaction: large enough to amortise each statement, small enough to keep memory
    # flat and to hold SQLite's write lock only briefly.
    batch_size: int = 10_000
    # IMDb marks pornographic titles isAdult=1; a tracker for a household skips them unless asked.
    include_adult: bool = False


async def import_imdb(
    conn: AsyncConnection,
    paths: Sequence[Path],
    *,
    clock: Clock,
    progress: ImportProgress | None = None,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Import the IMDb dataset files ``paths`` (any subset, any order) through ``conn``.

    ``conn`` must not be in a transaction: the importer commits after every batch.
    """
    files = plan(paths)
    started = time.monotonic()
    conn = await write_connection(conn)
    async with conn.begin():
        genres = await GenreBook.load(conn)
        await scratch.create(conn)
    run = _Run(
        conn=conn,
        kinds={f.kind for f in files},
        clock=clock,
        genres=genres,
        progress=progress or SilentProgress(),
        options=options or ImportOptions(),
    )
    report = ImportReport()
    try:
        # title.ratings is read first (see ratings.py) and applied where the dependency order puts it.
        loaded = [await run.read(f, finish=False) for f in files if f.kind is FileKind.TITLE_RATINGS]
        report.files.extend(loaded)
        unchanged = await run.count_unchanged_ratings() if loaded else 0
        for dataset in files:
            if dataset.kind is FileKind.TITLE_RATINGS:
                await run.apply_ratings(loaded[0], unchanged)
            else:
                report.files.append(await run.read(dataset))
    finally:
        async with run.conn.begin():
            await scratch.drop(run.conn)
    report.seconds = time.monotonic() - started
    return report


@dataclass
class _Run:
    conn: AsyncConnection
    kinds: set[FileKind]
    clock: Clock
    genres: GenreBook
    progress: ImportProgress
    options: ImportOptions

    @property
    def with_ratings(self) -> bool:
        return FileKind.TITLE_RATINGS in self.kinds

    async def read(self, dataset: DatasetFile, *, finish: bool = True) -> FileReport:
        report = FileReport(dataset.kind, dataset.path)
        self.progress.start_file(dataset.kind, dataset.path, dataset.size)
        started = time.monotonic()
        if dataset.kind is FileKind.TITLE_AKAS:
            report.note = NOT_READ_AKAS
        else:
            with TsvReader(dataset) as reader:
                await self._stream(reader, report)
                report.rows = reader.lines
                report.note = reader.error
        report.seconds = time.monotonic() - started
        if finish:
            self.progress.finish_file(report)
        return report

    async def count_unchanged_ratings(self) -> int:
        async with self.conn.begin():
            return await ratings.count_unchanged(self.conn)

    async def apply_ratings(self, report: FileReport, unchanged: int) -> None:
        started = time.monotonic()
        await ratings.apply(self.conn, self.clock.now(), self.options.batch_size, report, unchanged)
        report.seconds += time.monotonic() - started
        self.progress.finish_file(report)

    async def _analyze(self, kind: FileKind) -> None:
        """Give PostgreSQL statistics on the tables a file's batches look up and join.

        Run after a file's first batch: a bulk load outruns autovacuum, and temporary tables are
        never analysed by it, so without this the planner keeps treating them as empty
        (sequential scans, nested loops). Later growth needs no refresh: the planner scales the
        row estimates by each table's current size.
        """
        if not is_postgres(self.conn) or not _ANALYZED[kind]:
            return
        async with self.conn.begin():
            await self.conn.exec_driver_sql(f"ANALYZE {', '.join(t.name for t in _ANALYZED[kind])}")

    async def _stream(self, reader: TsvReader, report: FileReport) -> None:
        kind = reader.dataset.kind
        parse = _PARSERS[kind]
        pick = columns(reader.header, COLUMNS[kind])
        write = self._writer(kind, report)
        size = self.options.batch_size
        # Principals are grouped by title: ending batches between titles keeps a title's
        # credits (and so the choice between duplicate credits) in one batch.
        grouped = kind is FileKind.TITLE_PRINCIPALS
        batch: list[Any] = []
        batches = 0
        for fields in reader:
            record = parse(fields, pick) if isinstance(fields, list) else fields
            if isinstance(record, str):
                report.skip(record)
                continue
            if len(batch) >= size and (
                not grouped or len(batch) >= 2 * size or record.title_imdb_id != batch[-1].title_imdb_id
            ):
                await self._commit(write, batch, reader)
                batches += 1
                if batches == 1:  # tables that were empty get statistics before the next batch plans
                    await self._analyze(kind)
                batch = []
            if isinstance(record, list):
                batch.extend(record)
            else:
                batch.append(record)
        await self._commit(write, batch, reader)

    async def _commit(
        self, write: Callable[[list[Any]], Awaitable[None]], batch: list[Any], reader: TsvReader
    ) -> None:
        if batch:
            async with self.conn.begin():
                await write(batch)
        self.progress.advance(reader.dataset.kind, reader.position, reader.lines)

    def _writer(self, kind: FileKind, report: FileReport) -> Callable[[list[Any]], Awaitable[None]]:
        conn = self.conn
        include_adult = self.options.include_adult

        async def basics(batch: list[Title]) -> None:
            now = self.clock.now()
            split: dict[Kind, list[Title]] = {Kind.MOVIE: [], Kind.SHOW: [], Kind.EPISODE: []}
            for title in batch:
                if title.adult and not include_adult and title.kind is not Kind.EPISODE:
                    report.skip(SKIP_ADULT)
                else:
                    split[title.kind].append(title)
            rated = await ratings.lookup(conn, [t.imdb_id for t in batch]) if self.with_ratings else None
            await titles.write_items(conn, titles.MOVIES, split[Kind.MOVIE], self.genres, now, report, rated)
            await titles.write_items(conn, titles.SHOWS, split[Kind.SHOW], self.genres, now, report, rated)
            if FileKind.TITLE_EPISODE in self.kinds:
                await episodes.stage(conn, split[Kind.EPISODE], report)
            else:
                await episodes.update_details(
                    conn, split[Kind.EPISODE], now, report, include_adult=include_adult
                )

        async def placement(batch: list[EpisodeRef]) -> None:
            await episodes.place(
                conn,
                batch,
                self.clock.now(),
                report,
                with_details=FileKind.TITLE_BASICS in self.kinds,
                with_ratings=self.with_ratings,
                include_adult=include_adult,
            )

        async def rating(batch: list[Any]) -> None:
            await ratings.load(conn, batch, report)

        async def person(batch: list[Any]) -> None:
            await people.write_people(conn, batch, self.clock.now(), report)

        async def principal(batch: list[Credit]) -> None:
            await credits.write_credits(conn, batch, report, update_stored=True)

        async def crew(batch: list[Credit]) -> None:
            await credits.write_credits(conn, batch, report, update_stored=False)

        return {
            FileKind.TITLE_BASICS: basics,
            FileKind.TITLE_EPISODE: placement,
            FileKind.TITLE_RATINGS: rating,
            FileKind.NAME_BASICS: person,
            FileKind.TITLE_PRINCIPALS: principal,
            FileKind.TITLE_CREW: crew,
        }[kind]
