"""What a search text asks for: its words, the terms each ranking tier looks for, and the
punctuation-free form used for exact and starts-with matches.

The indexes (migration 0004) derive the same two forms from the stored keys: ``words`` with
apostrophes dropped and ``&`` spelled ``and``, and ``joined`` with every separator removed.
Nothing here is SQL: words are letters and digits only, so no query syntax can leak through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opentrakt.catalog.text import fold

APOSTROPHES = "'`ʼ‘’"
_DROP_APOSTROPHES = str.maketrans("", "", APOSTROPHES)
_WORD = re.compile(r"[^\W_]+")
# Longer inputs are cut: a title is never this long, and every extra term costs an index scan.
MAX_TEXT = 300
MAX_TERMS = 8
# Shorter words match whole words only; as prefixes they would expand to most of the index.
MIN_PREFIX = 3
# Words too common to narrow a search: they still count in exact and all-words matches, as
# whole words, but a title sharing only them with the query is not a partial match.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "and", "at", "by", "for", "from", "in", "into", "is", "of", "on", "or", "the", "to", "with",
    "de", "der", "die", "el", "en", "et", "la", "le", "les", "un", "une",
})
# fmt: on


@dataclass(frozen=True, slots=True)
class Term:
    word: str
    prefix: bool  # also matches longer words: "uncl" finds "uncle"


@dataclass(frozen=True, slots=True)
class SearchText:
    joined: str  # every word run together: "spiderman" for "Spider-Man"
    terms: tuple[Term, ...]  # all required for an all-words match
    partial_terms: tuple[Term, ...]  # any one of them makes a partial match

    @property
    def prefix_tier(self) -> bool:
        """Whether "starts with" is worth asking: short or stopword-only texts start half the catalogue."""
        return len(self.joined) >= MIN_PREFIX and any(not _is_stopword(t.word) for t in self.terms)


def normalise(text: str) -> str:
    """The key form both the indexes and queries start from: folded, ``&`` as ``and``, no apostrophes."""
    folded = fold(text).replace("&", " and ")
    return folded.translate(_DROP_APOSTROPHES)


def _is_stopword(word: str) -> bool:
    return word in STOPWORDS


def _term(word: str) -> Term:
    return Term(word, prefix=len(word) >= MIN_PREFIX and not _is_stopword(word))


def parse(text: str) -> SearchText | None:
    """None when the text has no letters or digits at all."""
    words = _WORD.findall(normalise(text[:MAX_TEXT]))
    if not words:
        return None
    distinct = list(dict.fromkeys(words))[:MAX_TERMS]
    terms = tuple(_term(word) for word in distinct)
    # Stopwords only count when there is nothing else.
    partial = tuple(term for term in terms if not _is_stopword(term.word)) or terms
    return SearchText(joined="".join(words), terms=terms, partial_terms=partial)
