"""What an import did, per file, and the progress callbacks a front end can listen to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from opentrakt.catalog.imdb.files import FileKind


@dataclass
class FileReport:
    """Counts for one file.

    ``rows`` counts data lines read. The outcome counts are per record written: one per line,
    except for ``title.crew`` where each listed director and writer is one credit. Episode lines
    of ``title.basics`` are ``staged``: ``title.episode`` places them in the same run.
    """

    kind: FileKind
    path: Path
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    staged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    note: str | None = None  # why the file was not read, or broke off before its end

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] += count


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    seconds: float = 0.0

    def for_kind(self, kind: FileKind) -> FileReport:
        for report in self.files:
            if report.kind is kind:
                return report
        raise KeyError(kind)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


class ImportProgress(Protocol):
    """Told about each file as it is read; the importer never needs a terminal."""

    def start_file(self, kind: FileKind, path: Path, total_bytes: int) -> None: ...

    def advance(self, kind: FileKind, bytes_read: int, rows: int) -> None: ...

    def finish_file(self, report: FileReport) -> None: ...


class SilentProgress:
    def start_file(self, kind: FileKind, path: Path, total_bytes: int) -> None:
        pass

    def advance(self, kind: FileKind, bytes_read: int, rows: int) -> None:
        pass

    def finish_file(self, report: FileReport) -> None:
        pass
