"""Text normalisation shared by slugs, exact-title matching and search."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: ``"Amélie"`` → ``"amelie"``."""
    if text.isascii():  # same result, an order of magnitude faster: bulk imports fold millions of titles
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip()


def slugify(text: str) -> str:
    """``"The Social Network"`` → ``"the-social-network"``; never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = ascii_text.replace("&", " and ").replace("'", "")
    return _NON_WORD.sub("-", ascii_text).strip("-")[:200] or "untitled"


def movie_slug(title: str, year: int | None) -> str:
    base = slugify(title)
    return f"{base}-{year}" if year else base


def show_slug(title: str) -> str:
    return slugify(title)


def person_slug(name: str) -> str:
    return slugify(name)


def with_suffix(slug: str, n: int) -> str:
    """The n-th alternative when ``slug`` is taken: ``dexter`` → ``dexter-2``."""
    return f"{slug}-{n}"
