"""Helpers for the IMDb importer tests: running an import, reading rows back, writing dump files."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select

from opentrakt.catalog.imdb import ImportOptions, ImportReport, import_imdb
from opentrakt.runtime import Runtime

SAMPLE_FILES = (
    "title.basics.tsv.gz",
    "title.episode.tsv.gz",
    "title.ratings.tsv.gz",
    "name.basics.tsv.gz",
    "title.principals.tsv.gz",
    "title.crew.tsv.gz",
)


def sample(shared_dir: Path, *names: str) -> list[Path]:
    folder = shared_dir / "data" / "imdb-sample"
    return [folder / name for name in (names or SAMPLE_FILES)]


async def run_import(runtime: Runtime, paths: Sequence[Path], **options: Any) -> ImportReport:
    async with runtime.engine.connect() as conn:
        return await import_imdb(conn, paths, clock=runtime.clock, options=ImportOptions(**options))


async def rows(runtime: Runtime, table: Table, *where: Any) -> list[Any]:
    async with runtime.engine.connect() as conn:
        return list(await conn.execute(select(table).where(*where)))


async def row(runtime: Runtime, table: Table, *where: Any) -> Any:
    found = await rows(runtime, table, *where)
    assert len(found) == 1, found
    return found[0]


def sample_lines(shared_dir: Path, name: str) -> list[str]:
    """A sample file's lines (header first), without line ends."""
    with gzip.open(sample(shared_dir, name)[0], "rt", encoding="utf-8", newline="") as handle:
        return handle.read().splitlines()


def write_tsv(path: Path, lines: Sequence[str], *, compress: bool | None = None) -> Path:
    """Write a dump file; gzip when the name ends in .gz (or when ``compress`` says so)."""
    text = "".join(f"{line}\n" for line in lines)
    if compress if compress is not None else path.name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def replace_field(lines: Sequence[str], key: str, column: int, value: str) -> list[str]:
    """``lines`` with field ``column`` of the line whose first field is ``key`` set to ``value``."""
    changed = []
    for line in lines:
        fields = line.split("\t")
        if fields[0] == key:
            fields[column] = value
        changed.append("\t".join(fields))
    return changed
