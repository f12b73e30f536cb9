"""``opentrakt import``: load catalogue data an operator downloaded."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text
from sqlalchemy.ext.asyncio import AsyncEngine

from opentrakt.catalog.imdb import (
    FileKind,
    FileReport,
    ImportOptions,
    ImportProgress,
    ImportReport,
    import_imdb,
)
from opentrakt.catalog.imdb.files import plan
from opentrakt.clock import Clock
from opentrakt.errors import Invalid

import_app = typer.Typer(help="Load catalogue data from files.", no_args_is_help=True)


class _RowsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0
        rows = task.fields.get("rows", 0)
        return Text(f"{rows / elapsed:,.0f} rows/s" if elapsed > 0 else "", style="progress.data.speed")


class _RichProgress(ImportProgress):
    """One bar per file: compressed bytes read against the file's size, and rows per second."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[FileKind, TaskID] = {}

    def start_file(self, kind: FileKind, path: Path, total_bytes: int) -> None:
        self._tasks[kind] = self._progress.add_task(path.name, total=max(total_bytes, 1), rows=0)

    def advance(self, kind: FileKind, bytes_read: int, rows: int) -> None:
        self._progress.update(self._tasks[kind], completed=bytes_read, rows=rows)

    def finish_file(self, report: FileReport) -> None:
        task = self._tasks[report.kind]
        total = self._progress.tasks[task].total
        self._progress.update(task, completed=total, rows=report.rows)


def _bars(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        _RowsPerSecond(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


@import_app.command("imdb")
def imdb(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="IMDb dataset files, any subset and order: title.basics, title.episode, title.ratings, "
            "name.basics, title.principals, title.crew (.tsv or .tsv.gz; a date in the name is fine).",
            show_default=False,
        ),
    ],
    batch_size: Annotated[
        int, typer.Option(min=100, max=100_000, help="Rows per transaction.")
    ] = ImportOptions.batch_size,
    adult: Annotated[bool, typer.Option("--adult", help="Also import titles IMDb marks isAdult=1.")] = False,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bars (default: when writing to a terminal)."),
    ] = None,
) -> None:
    """Import (or refresh) movies, shows, episodes, ratings, people and credits from IMDb's datasets.

    Safe to run again and to run on a newer dump: unchanged rows are left alone.
    """
    # Imported here: opentrakt.cli registers this sub-app, so a top-level import would be circular.
    from opentrakt.cli import fail, run_db

    try:
        plan(paths)  # refuse unknown or missing files before touching the database
    except Invalid as exc:
        fail(exc.message)
    out = Console()
    err = Console(stderr=True)
    show = err.is_terminal if progress is None else progress
    options = ImportOptions(batch_size=batch_size, include_adult=adult)

    async def work(engine: AsyncEngine) -> ImportReport:
        async with engine.connect() as conn:
            if not show:
                return await import_imdb(conn, paths, clock=Clock(), options=options)
            with _bars(err) as bars:
                return await import_imdb(
                    conn, paths, clock=Clock(), progress=_RichProgress(bars), options=options
                )

    started = time.monotonic()
    report = run_db(work)
    out.print(summary(report))
    for line in details(report):
        out.print(line, highlight=False)
    out.print(f"{report.rows:,} rows read in {time.monotonic() - started:,.1f} s", highlight=False)


def summary(report: ImportReport) -> Table:
    table = Table(title="IMDb import", title_justify="left")
    for name in ("file", "rows", "added", "updated", "unchanged", "skipped", "rows/s"):
        table.add_column(name, justify="left" if name == "file" else "right")
    for f in report.files:
        table.add_row(
            f.path.name,
            f"{f.rows:,}",
            f"{f.added:,}",
            f"{f.updated:,}",
            f"{f.unchanged:,}",
            f"{f.skipped_total:,}",
            f"{f.rows_per_second:,.0f}",
        )
    return table


def details(report: ImportReport) -> list[str]:
    """The why behind the numbers: episodes handed on, skip reasons, files cut short."""
    lines = []
    for f in report.files:
        if f.staged:
            lines.append(f"{f.path.name}: {f.staged:,} episode rows handed to title.episode")
        for reason, count in f.skipped.most_common():
            lines.append(f"{f.path.name}: skipped {count:,}: {reason}")
        if f.note:
            lines.append(f"{f.path.name}: {f.note}")
    return lines
