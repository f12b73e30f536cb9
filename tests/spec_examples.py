"""The spec's JSON examples and recorded responses, for comparing shapes with ours."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_JSON_BLOCK = re.compile(r"```json\n(.*?)```", re.DOTALL)


def example(spec: Path, section: str, method: str, index: int = 0) -> Any:
    """The ``index``-th JSON example under the ``### <method>`` (or ``## <method>``) heading of
    ``<section>.md``."""
    text = (spec / f"{section}.md").read_text()
    heading = re.search(rf"^#{{2,3}} {re.escape(method)}\s*$", text, re.MULTILINE)
    assert heading, f"no heading for {method} in {section}.md"
    following = re.search(r"^#{2,3} ", text[heading.end() :], re.MULTILINE)
    body = text[heading.end() : heading.end() + following.start()] if following else text[heading.end() :]
    blocks = _JSON_BLOCK.findall(body)
    return json.loads(blocks[index])


def recorded(spec: Path, name: str) -> dict[str, Any]:
    """The one exchange of ``recorded/<name>.json``."""
    (exchange,) = json.loads((spec / "recorded" / f"{name}.json").read_text())
    return exchange


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    """Whether ``part`` appears in ``whole`` in the same order (other keys may sit between)."""
    remaining = iter(whole)
    return all(key in remaining for key in part)


def nulls(value: Any, path: str = "$") -> list[str]:
    """Where a JSON value holds ``null``."""
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in nulls(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [found for i, item in enumerate(value) for found in nulls(item, f"{path}[{i}]")]
    return []
