"""The README stays true: its configuration table matches Settings, and its commands work."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from opentrakt.config import Settings
from tests.support import REPO, live_server

README = REPO / "README.md"
SEPARATOR = "=====README-STEP====="


def readme() -> str:
    return README.read_text()


def section(title: str) -> str:
    text = readme()
    start = text.index(f"\n{title}\n")
    # The next heading of level two or more; a lone "# " is a comment inside a shell block.
    following = re.compile(r"\n#{2,6} ").search(text, start + len(title) + 2)
    return text[start : following.start() if following else None]


def code_blocks(text: str, language: str = "sh") -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def configuration_rows() -> dict[str, str]:
    rows = {}
    for line in section("## Configuration").splitlines():
        match = re.match(r"\| `OPENTRAKT_([A-Z_]+)` \| ([^|]+) \|", line)
        if match:
            rows[match.group(1).lower()] = match.group(2).strip()
    return rows


def test_configuration_table_lists_every_setting() -> None:
    rows = configuration_rows()
    assert sorted(rows) == sorted(Settings.model_fields)
    for name, field in Settings.model_fields.items():
        default, cell = field.default, rows[name]
        if isinstance(default, bool):
            assert cell == f"`{str(default).lower()}`", name
        elif isinstance(default, Path):
            assert (
                cell == f"`{default.as_posix() if default.is_absolute() else './' + default.as_posix()}`"
            ), name
        elif default == "":
            assert cell == "*(empty)*", name
        else:
            assert cell.startswith(f"`{default}`"), (name, cell)


def test_readme_starts_with_the_two_commands() -> None:
    first_block = code_blocks(readme())[0]
    assert [line.split("#")[0].strip() for line in first_block.splitlines()] == ["make run", "make test"]
    assert "## Importing a catalogue" in readme()


def commands_with_expected_output(block: str) -> list[tuple[str, str | None]]:
    """(command, the ``# …`` output line shown right under it, if any)."""
    steps: list[tuple[str, str | None]] = []
    pending = ""
    for line in block.splitlines():
        if pending or (line and not line.startswith("#")):
            pending += line.rstrip("\\") + " " if line.endswith("\\") else line
            if not line.endswith("\\"):
                steps.append((pending, None))
                pending = ""
        elif line.startswith("# ") and steps and steps[-1][1] is None and line[2:3] in ("{", "H"):
            steps[-1] = (steps[-1][0], line[2:])
    return steps


def matches(expected: str, actual: str) -> bool:
    if "…" in expected:
        # Elided output: the shown pieces appear in order.
        position = 0
        for piece in (p.strip() for p in expected.split("…")):
            found = actual.find(piece, position)
            if found < 0:
                return False
            position = found + len(piece)
        return True
    want: Any = json.loads(expected)
    got: Any = json.loads(actual)
    # Numbers are clock readings and ids; everything else must be as shown.
    return set(want) == set(got) and all(
        got[k] == v for k, v in want.items() if not isinstance(v, int | float) or isinstance(v, bool)
    )


@pytest.mark.live
@pytest.mark.skipif(not all(shutil.which(tool) for tool in ("bash", "curl", "sha1sum")), reason="needs curl")
def test_readme_curl_examples_work(database_url: str, tmp_path: Path) -> None:
    opentrakt = f"{shlex.quote(sys.executable)} -m opentrakt"
    env = {**os.environ, "OPENTRAKT_DATABASE_URL": database_url, "OPENTRAKT_DATA_DIR": str(tmp_path)}
    add_user = next(
        line[2:]
        for line in section("## Creating a user").splitlines()
        if line.startswith("$ ") and "user add" in line
    )
    created = subprocess.run(
        ["bash", "-c", add_user.replace(".venv/bin/opentrakt", opentrakt)],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    assert re.fullmatch(r"[0-9a-f]{40}", created.stdout.splitlines()[-1])

    (block,) = code_blocks(section("### Trying it with curl"))
    steps = commands_with_expected_output(block)
    assert sum(1 for _, expected in steps if expected) >= 6
    with live_server(database_url, tmp_path) as base:
        script = "\n".join(
            command.replace("http://127.0.0.1:8080", base).replace(".venv/bin/opentrakt", opentrakt)
            + (f"\necho; echo {SEPARATOR}" if expected else "")
            for command, expected in steps
        )
        run = subprocess.run(
            ["bash", "-ec", script.replace("curl ", "curl -sS ")],
            env=env,
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
    assert run.returncode == 0, run.stderr
    outputs = [chunk.strip() for chunk in run.stdout.split(SEPARATOR)][:-1]
    expectations = [expected for _, expected in steps if expected]
    assert len(outputs) == len(expectations)
    for expected, actual in zip(expectations, outputs, strict=True):
        assert matches(expected, actual), (expected, actual)
