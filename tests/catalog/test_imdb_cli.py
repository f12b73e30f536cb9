"""``opentrakt import imdb``: the summary it prints and the errors it refuses with."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from opentrakt.cli import app
from opentrakt.config import is_sqlite
from tests.catalog.imdb_support import sample


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    url = "" if is_sqlite(database_url) else database_url  # SQLite: the command makes its own
    return {"OPENTRAKT_DATA_DIR": str(tmp_path / "data"), "OPENTRAKT_DATABASE_URL": url, "COLUMNS": "200"}


def invoke(env: dict[str, str], *args: str) -> Result:
    # The command runs its own event loop; keep it off the thread the async tests use.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(CliRunner().invoke, app, list(args), env=env).result()


def _table_row(output: str, name: str) -> list[str]:
    """The cells of the summary table's row for the file ``name``."""
    line = next(line for line in output.splitlines() if line.startswith("│") and f" {name} " in line)
    return [cell.strip() for cell in line.split("│")[1:-1]]


def test_import_prints_a_summary(env: dict[str, str], shared_dir: Path) -> None:
    files = [str(p) for p in sample(shared_dir)]

    first = invoke(env, "import", "imdb", "--no-progress", *files)
    again = invoke(env, "import", "imdb", *files)

    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert _table_row(first.stdout, "title.basics.tsv.gz")[:6] == [
        "title.basics.tsv.gz",
        "384",
        "185",
        "0",
        "0",
        "75",
    ]
    assert "title.basics.tsv.gz: skipped 67: short titles are not imported" in lines
    assert "title.basics.tsv.gz: 124 episode rows handed to title.episode" in lines
    assert lines[-1].startswith("1,976 rows read in ")
    assert again.exit_code == 0, again.output
    assert _table_row(again.stdout, "title.basics.tsv.gz")[:6] == [
        "title.basics.tsv.gz",
        "384",
        "0",
        "0",
        "185",
        "75",
    ]
    assert _table_row(again.stdout, "title.ratings.tsv.gz")[:6] == [
        "title.ratings.tsv.gz",
        "204",
        "0",
        "0",
        "150",
        "54",
    ]


def test_refuses_a_file_it_does_not_know(env: dict[str, str], tmp_path: Path) -> None:
    stray = tmp_path / "movies.csv"
    stray.write_text("id,title\n")

    result = invoke(env, "import", "imdb", str(stray))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {stray}: not an IMDb dataset file name (expected one of title.basics, title.episode, "
        "title.ratings, name.basics, title.principals, title.crew, title.akas, .tsv or .tsv.gz)"
    ]
