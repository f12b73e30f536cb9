"""List slugs: derived from the name, unique per user.

The recorded server turned ``"test-list"`` into ``"testlist"`` and the documentation shows
``"Top 10 of 2011"`` → ``"top-10-of-2011"``: every character that is not a letter, a digit or a
space is dropped, then runs of spaces become one hyphen.
"""

from __future__ import annotations

import re
import unicodedata

from opentrakt.catalog.text import with_suffix
from opentrakt.db.tables.lists import MAX_LIST_SLUG

_DROPPED = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r" +")
# Room for "-" and a suffix number within the column.
_BASE_LENGTH = MAX_LIST_SLUG - 12


def list_slug(name: str) -> str:
    """The slug a list name derives; never empty."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    words = _DROPPED.sub("", ascii_text.replace("\t", " ").replace("\n", " ")).strip()
    slug = _SPACES.sub("-", words)[:_BASE_LENGTH].strip("-")
    return slug or "list"


def free_slug(base: str, taken: set[str]) -> str:
    """``base``, or the first ``base-2``, ``base-3``… that ``taken`` does not hold."""
    if base not in taken:
        return base
    n = 2
    while with_suffix(base, n) in taken:
        n += 1
    return with_suffix(base, n)
