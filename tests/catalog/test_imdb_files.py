"""Reading dataset files and parsing their lines, on real lines of the sample dump."""

from __future__ import annotations

from pathlib import Path

import pytest

from opentrakt.catalog.imdb.files import COLUMNS, DatasetFile, FileKind, TsvReader, identify, plan
from opentrakt.catalog.imdb.genres import trakt_name
from opentrakt.catalog.imdb.rows import (
    Credit,
    EpisodeRef,
    Kind,
    Person,
    Pick,
    Rating,
    Title,
    columns,
    parse_crew,
    parse_episode,
    parse_person,
    parse_principal,
    parse_rating,
    parse_title,
)
from opentrakt.errors import Invalid
from tests.catalog.imdb_support import sample, sample_lines, write_tsv


def _line(shared_dir: Path, name: str, key: str, *, contains: str = "") -> tuple[list[str], Pick]:
    """The fields of the sample line starting with ``key`` (and holding ``contains``), and the column positions."""
    lines = sample_lines(shared_dir, name)
    kind = identify(Path(name))
    at = columns(lines[0].split("\t"), COLUMNS[kind])
    found = next(line for line in lines[1:] if line.startswith(f"{key}\t") and contains in line)
    return found.split("\t"), at


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("title.basics.tsv.gz", FileKind.TITLE_BASICS),
        ("title.episode.tsv", FileKind.TITLE_EPISODE),
        ("2024-05-01-name.basics.tsv.gz", FileKind.NAME_BASICS),
        ("title.principals.20240501.tsv.gz", FileKind.TITLE_PRINCIPALS),
        ("TITLE.CREW.TSV.GZ", FileKind.TITLE_CREW),
        ("title.akas.tsv.gz", FileKind.TITLE_AKAS),
    ],
)
def test_files_are_known_by_name(name: str, kind: FileKind) -> None:
    assert identify(Path(name)) is kind


def test_plan_puts_files_in_dependency_order(shared_dir: Path) -> None:
    given = sample(
        shared_dir, "title.crew.tsv.gz", "name.basics.tsv.gz", "title.basics.tsv.gz", "title.akas.tsv.gz"
    )
    assert [f.kind for f in plan(list(reversed(given)))] == [
        FileKind.TITLE_BASICS,
        FileKind.NAME_BASICS,
        FileKind.TITLE_CREW,
        FileKind.TITLE_AKAS,
    ]


def test_a_file_with_the_wrong_header_is_refused(tmp_path: Path) -> None:
    path = write_tsv(tmp_path / "title.ratings.tsv", ["tconst\tprimaryTitle", "tt0000001\tCarmencita"])
    with pytest.raises(Invalid, match="its header lacks averageRating, numVotes"):
        TsvReader(DatasetFile(FileKind.TITLE_RATINGS, path))


def test_columns_are_found_by_header_name(tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "title.ratings.tsv", ["numVotes\textra\ttconst\taverageRating", "2169\tx\ttt0000001\t5.7"]
    )
    with TsvReader(DatasetFile(FileKind.TITLE_RATINGS, path)) as reader:
        at = columns(reader.header, COLUMNS[FileKind.TITLE_RATINGS])
        (fields,) = list(reader)
    assert isinstance(fields, list)
    assert parse_rating(fields, at) == Rating("tt0000001", 5.7, 2169)


def test_reading_reports_compressed_progress(shared_dir: Path) -> None:
    dataset = DatasetFile(FileKind.TITLE_CREW, sample(shared_dir, "title.crew.tsv.gz")[0])
    with TsvReader(dataset) as reader:
        lines = list(reader)
        assert reader.position == dataset.size
    assert len(lines) == reader.lines == 322


def test_title_lines(shared_dir: Path) -> None:
    fields, at = _line(shared_dir, "title.basics.tsv.gz", "tt0047766")
    assert parse_title(fields, at) == Title(
        imdb_id="tt0047766",
        kind=Kind.SHOW,
        title="Quatermass II",
        year=1955,
        end_year=1955,
        runtime=None,
        genres=("Drama", "Horror", "Sci-Fi"),
        mini_series=True,
        adult=False,
    )
    fields, at = _line(shared_dir, "title.basics.tsv.gz", "tt9892000")  # adult, no year
    adult = parse_title(fields, at)
    assert isinstance(adult, Title) and adult.adult and adult.year is None
    fields, at = _line(shared_dir, "title.basics.tsv.gz", "tt0000001")
    assert parse_title(fields, at) == "short titles are not imported"


def test_episode_lines(shared_dir: Path) -> None:
    fields, at = _line(shared_dir, "title.episode.tsv.gz", "tt0348034")
    assert parse_episode(fields, at) == EpisodeRef("tt0348034", "tt0096697", 1, 1)
    fields, at = _line(shared_dir, "title.episode.tsv.gz", "tt0031458")
    assert parse_episode(fields, at) == "no season or episode number"


def test_person_lines(shared_dir: Path) -> None:
    fields, at = _line(shared_dir, "name.basics.tsv.gz", "nm0634240")
    assert parse_person(fields, at) == Person("nm0634240", "Christopher Nolan", 1970)


def test_principal_lines(shared_dir: Path) -> None:
    fields, at = _line(shared_dir, "title.principals.tsv.gz", "tt11161192", contains="executive producer")
    assert parse_principal(fields, at) == Credit(
        "tt11161192", "nm3207919", "producer", None, "executive producer", True, 4
    )
    fields, at = _line(shared_dir, "title.principals.tsv.gz", "tt3456370", contains="Barmaid")
    assert parse_principal(fields, at) == Credit(
        "tt3456370", "nm4123730", "actor", "Extra / Barmaid", None, False, 10
    )
    fields, at = _line(shared_dir, "title.principals.tsv.gz", "tt10070612", contains="self")
    credit = parse_principal(fields, at)
    assert isinstance(credit, Credit) and (credit.role, credit.character) == ("actor", "Self")
    fields, at = _line(shared_dir, "title.principals.tsv.gz", "tt2535470", contains="composer")
    assert parse_principal(fields, at) == "composer credits are not stored"


def test_crew_lines_give_one_credit_per_person(shared_dir: Path) -> None:
    fields, at = _line(shared_dir, "title.crew.tsv.gz", "tt0468569")
    credits = parse_crew(fields, at)
    assert isinstance(credits, list)
    assert [(c.person_imdb_id, c.role, c.position) for c in credits] == [
        ("nm0634240", "director", 0),
        ("nm0634300", "writer", 1),
        ("nm0634240", "writer", 2),
        ("nm0275286", "writer", 3),
        ("nm0004170", "writer", 4),
    ]


@pytest.mark.parametrize(
    ("imdb", "trakt"),
    [
        ("Sci-Fi", "Science Fiction"),
        ("Film-Noir", "Film Noir"),
        ("Game-Show", "Game Show"),
        ("Talk-Show", "Talk Show"),
        ("Reality-TV", "Reality"),
        ("Sport", "Sport"),
        ("Musical", "Musical"),
        ("Biography", "Biography"),
    ],
)
def test_genre_names(imdb: str, trakt: str) -> None:
    assert trakt_name(imdb) == trakt
