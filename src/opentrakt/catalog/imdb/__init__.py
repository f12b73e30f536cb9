"""Importing the IMDb non-commercial dataset files into the catalogue."""

from opentrakt.catalog.imdb.files import FileKind
from opentrakt.catalog.imdb.importer import ImportOptions, import_imdb
from opentrakt.catalog.imdb.report import FileReport, ImportProgress, ImportReport, SilentProgress

__all__ = [
    "FileKind",
    "FileReport",
    "ImportOptions",
    "ImportProgress",
    "ImportReport",
    "SilentProgress",
    "import_imdb",
]
