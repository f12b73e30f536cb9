"""Finding and reading IMDb dataset files: gzip or plain TSV, one header row, ``\\N`` nulls, no quoting."""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from opentrakt.errors import Invalid


class FileKind(StrEnum):
    TITLE_BASICS = "title.basics"
    TITLE_EPISODE = "title.episode"
    TITLE_RATINGS = "title.ratings"
    NAME_BASICS = "name.basics"
    TITLE_PRINCIPALS = "title.principals"
    TITLE_CREW = "title.crew"
    # Recognised so that `import imdb dumps/*` works, but alternative titles are not stored.
    TITLE_AKAS = "title.akas"


# Each file needs the rows of the ones before it (episodes need shows, credits need people).
IMPORT_ORDER = (
    FileKind.TITLE_BASICS,
    FileKind.TITLE_EPISODE,
    FileKind.TITLE_RATINGS,
    FileKind.NAME_BASICS,
    FileKind.TITLE_PRINCIPALS,
    FileKind.TITLE_CREW,
)

# The columns each kind needs; they are found by header name, so extra or reordered columns are fine.
COLUMNS: dict[FileKind, tuple[str, ...]] = {
    FileKind.TITLE_BASICS: (
        "tconst",
        "titleType",
        "primaryTitle",
        "isAdult",
        "startYear",
        "endYear",
        "runtimeMinutes",
        "genres",
    ),
    FileKind.TITLE_EPISODE: ("tconst", "parentTconst", "seasonNumber", "episodeNumber"),
    FileKind.TITLE_RATINGS: ("tconst", "averageRating", "numVotes"),
    FileKind.NAME_BASICS: ("nconst", "primaryName", "birthYear"),
    FileKind.TITLE_PRINCIPALS: ("tconst", "ordering", "nconst", "category", "job", "characters"),
    FileKind.TITLE_CREW: ("tconst", "directors", "writers"),
    FileKind.TITLE_AKAS: ("titleId",),
}

# "title.basics.tsv.gz", "2024-05-01_title.basics.tsv", "title.basics.20240501.tsv.gz", …
_KIND_IN_NAME = re.compile(r"(?<![a-z])(" + "|".join(re.escape(k.value) for k in FileKind) + r")(?![a-z])")
_GZIP_MAGIC = b"\x1f\x8b"

# Why a line could not be split into fields.
SKIP_COLUMNS = "wrong number of columns"
SKIP_ENCODING = "not valid UTF-8"
SKIP_NUL = "contains a NUL character"


@dataclass(frozen=True)
class DatasetFile:
    kind: FileKind
    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def identify(path: Path) -> FileKind:
    found = _KIND_IN_NAME.search(path.name.lower())
    if not found:
        names = ", ".join(k.value for k in FileKind)
        raise Invalid(f"{path}: not an IMDb dataset file name (expected one of {names}, .tsv or .tsv.gz)")
    return FileKind(found.group(1))


def plan(paths: Sequence[Path]) -> list[DatasetFile]:
    """The files to read, in dependency order; refuses missing files and two files of one kind."""
    by_kind: dict[FileKind, Path] = {}
    for path in paths:
        if not path.is_file():
            raise Invalid(f"{path}: no such file")
        kind = identify(path)
        if kind in by_kind:
            raise Invalid(f"{by_kind[kind]} and {path} are both {kind.value} files; give one of each")
        by_kind[kind] = path
    ordered = [*IMPORT_ORDER, FileKind.TITLE_AKAS]
    return [DatasetFile(kind, by_kind[kind]) for kind in ordered if kind in by_kind]


class TsvReader:
    """Streams one file's data lines as lists of fields, never holding more than one line.

    ``position`` is how far into the file on disk (compressed bytes for gzip) reading has got,
    which is what a progress bar can compare with the file size.
    """

    def __init__(self, dataset: DatasetFile) -> None:
        self.dataset = dataset
        self._raw: BinaryIO = dataset.path.open("rb")
        try:
            compressed = self._raw.read(2) == _GZIP_MAGIC
            self._raw.seek(0)
            stream: BinaryIO = gzip.GzipFile(fileobj=self._raw, mode="rb") if compressed else self._raw  # type: ignore[assignment]
            # strict decoding would abort the whole file on one bad byte; escaped bytes are caught per line.
            self._text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
            self.header = self._read_header()
        except BaseException:
            self._raw.close()
            raise
        self.width = len(self.header)
        self.lines = 0
        # Set when the file breaks off (a truncated download): the lines before it still count.
        self.error: str | None = None

    def _read_header(self) -> list[str]:
        try:
            first = self._text.readline()
        except (OSError, EOFError) as exc:
            raise Invalid(f"{self.dataset.path}: cannot read: {exc}") from None
        header = first.rstrip("\r\n").split("\t")
        missing = [c for c in COLUMNS[self.dataset.kind] if c not in header]
        if missing:
            raise Invalid(
                f"{self.dataset.path}: not a {self.dataset.kind.value} file: "
                f"its header lacks {', '.join(missing)}"
            )
        return header

    @property
    def position(self) -> int:
        return self._raw.tell()

    def __iter__(self) -> Iterator[list[str] | str]:
        """Each data line's fields, or the reason (a string) why the line is unusable."""
        width = self.width
        try:
            for line in self._text:
                self.lines += 1
                fields = line.rstrip("\r\n").split("\t")
                if len(fields) != width:
                    yield SKIP_COLUMNS
                elif not line.isascii() and not _encodable(line):
                    yield SKIP_ENCODING
                elif "\x00" in line:
                    yield SKIP_NUL
                else:
                    yield fields
        except (OSError, EOFError) as exc:
            self.error = f"stopped reading after data line {self.lines}: {exc}"

    def close(self) -> None:
        self._text.close()
        self._raw.close()

    def __enter__(self) -> TsvReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _encodable(line: str) -> bool:
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
