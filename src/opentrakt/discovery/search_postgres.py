"""PostgreSQL: each tier's candidates from the indexes of migration 0004: a GIN index over the
stored ``search_vector`` tsvector and a B-tree (byte order) over ``search_joined(key)``."""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Subquery,
    and_,
    bindparam,
    collate,
    func,
    literal,
    literal_column,
    select,
    union_all,
)

from opentrakt.discovery.search_targets import Target, Tier
from opentrakt.discovery.search_text import SearchText, Term

# Above every character a joined key can hold: the end of the "starts with" range.
_LAST_CHARACTER = "\U0010ffff"


def _words_match(target: Target, terms: tuple[Term, ...]) -> ColumnElement[bool]:
    # Words are letters and digits only, so they can't carry tsquery operators.
    query = " & ".join(f"{term.word}:*" if term.prefix else term.word for term in terms)
    tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), bindparam(None, query, String))
    # A generated column that the table definitions don't know about: PostgreSQL only.
    vector = literal_column(f"{target.table.name}.search_vector")
    return vector.op("@@", is_comparison=True)(tsquery)


def _joined(target: Target) -> ColumnElement[str]:
    # Byte order, as the index is built: a prefix is then exactly a range.
    return collate(func.search_joined(target.key), "C")


def _matching(target: Target, condition: ColumnElement[bool], cap: int) -> Select:
    """At most ``cap`` rows, in the order the index yields them: the ranking runs over these only."""
    return select(*target.candidate_columns()).where(condition).limit(cap)


def candidates(target: Target, tier: Tier, text: SearchText, cap: int) -> Subquery:
    """Columns ``id``, ``key``, ``votes``, ``matched`` (how many of the words a partial match has)."""
    if tier is Tier.PARTIAL:
        share = max(1, cap // len(text.partial_terms))
        arms = [
            _matching(target, _words_match(target, (term,)), share).subquery() for term in text.partial_terms
        ]
        hits = union_all(*(select(arm.c.id, arm.c.key, arm.c.votes) for arm in arms)).subquery()
        return (
            select(hits.c.id, hits.c.key, hits.c.votes, func.count().label("matched"))
            .group_by(hits.c.id, hits.c.key, hits.c.votes)
            .subquery()
        )
    if tier is Tier.EXACT:
        condition = _joined(target) == text.joined
    elif tier is Tier.STARTS_WITH:
        condition = and_(_joined(target) >= text.joined, _joined(target) < text.joined + _LAST_CHARACTER)
    else:
        condition = _words_match(target, text.terms)
    hits = _matching(target, condition, cap).subquery()
    return select(hits, literal(1, Integer).label("matched")).subquery()
