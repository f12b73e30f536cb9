"""Splitting a v1 request target into method name, API key and positional segments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote_plus

from opentrakt.v1.registry import Registry, V1Method


@dataclass(frozen=True, slots=True)
class ParsedPath:
    method: V1Method
    api_key: str | None
    segments: tuple[str, ...]  # raw decoded values after the key; "" marks an empty segment
    key_index: int  # index of the key among the raw path parts, for log masking


def strip_absolute_form(path: str) -> str:
    """``http://api.trakt.tv/account/test/KEY`` → ``/account/test/KEY``."""
    scheme_end = path.find("://")
    if 0 < scheme_end < 8:
        slash = path.find("/", scheme_end + 3)
        return path[slash:] if slash >= 0 else "/"
    return path


def split_path(path: str) -> list[str]:
    return strip_absolute_form(path).split("/")


def match_method(parts: list[str], registry: Registry) -> ParsedPath | None:
    """Find the method named by the leading parts; tolerant of ``.json``, ``//`` and a trailing ``/``."""
    words: list[str] = []
    index = 0
    # Leading words name the method; empty parts there come from doubled slashes.
    while index < len(parts) and len(words) < registry.max_depth:
        part = parts[index]
        index += 1
        if not part:
            continue
        if part.endswith(".json"):
            words.append(part[:-5])
            break
        words.append(part)
    # The longest registered prefix wins: "show/season/seen" before "show/season".
    for depth in range(len(words), 0, -1):
        method = registry.get("/".join(words[:depth]))
        if method is None:
            continue
        rest_start = _index_after_words(parts, depth)
        return _with_key(method, parts, rest_start)
    return None


def _index_after_words(parts: list[str], depth: int) -> int:
    seen = 0
    for i, part in enumerate(parts):
        if part:
            seen += 1
            if seen == depth:
                return i + 1
    return len(parts)


def _with_key(method: V1Method, parts: list[str], start: int) -> ParsedPath:
    rest = parts[start:]
    key_index = start
    # Skip doubled slashes between the method and the key.
    while rest and not rest[0]:
        rest = rest[1:]
        key_index += 1
    if not rest:
        return ParsedPath(method, None, (), -1)
    api_key = unquote_plus(rest[0])
    segments = [unquote_plus(s) for s in rest[1:]]
    while segments and not segments[-1]:
        segments.pop()
    return ParsedPath(method, api_key or None, tuple(segments), key_index)


def bind_segments(
    method: V1Method, raw: tuple[str, ...], query: Mapping[str, str] | None = None
) -> dict[str, str | None] | None:
    """Name the positional segments; None when a required one is missing.

    An empty segment means "left at its default". When it would leave a required segment
    empty it is read as a doubled slash instead and dropped. A required parameter missing from
    the path may come in the query string instead (``search/movies.json/KEY?query=…``).
    """
    values = list(raw)
    if any(not v for v in values[: len(method.required)]) or len(values) < len(method.required):
        values = [v for v in values if v]
    if any(not (query or {}).get(name) for name in method.required[len(values) :]):
        return None
    bound: dict[str, str | None] = {}
    for i, name in enumerate(method.segments):
        value = values[i] if i < len(values) else ""
        bound[name] = value or None
    return bound


def masked_path(parts: list[str], key_index: int) -> str:
    if 0 <= key_index < len(parts):
        parts = [*parts[:key_index], "<key>", *parts[key_index + 1 :]]
    return "/".join(parts)
