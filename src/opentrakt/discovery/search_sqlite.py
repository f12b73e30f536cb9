"""SQLite: each tier's candidates from the contentless FTS5 tables of migration 0004, joined to
their rows for the ranking columns."""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Subquery,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    table,
    union_all,
)

from opentrakt.discovery.search_targets import Target, Tier
from opentrakt.discovery.search_text import SearchText, Term


def _phrase(term: Term) -> str:
    # Words are letters and digits only, so quoting makes them plain terms, never operators.
    return f'"{term.word}"*' if term.prefix else f'"{term.word}"'


def _all_words(terms: tuple[Term, ...]) -> str:
    return "words : (" + " AND ".join(_phrase(term) for term in terms) + ")"


def _matching(fts: str, expression: str, cap: int) -> Select:
    """At most ``cap`` ids, in index order: the ranking runs over these only."""
    return (
        select(literal_column("rowid").label("id"))
        .select_from(table(fts))
        .where(literal_column(fts).op("MATCH", is_comparison=True)(bindparam(None, expression, String)))
        .limit(cap)
    )


def _rows(target: Target, hits: Subquery, matched: ColumnElement[int]) -> Subquery:
    return (
        select(*target.candidate_columns(), matched.label("matched"))
        .join(hits, hits.c.id == target.id)
        .subquery()
    )


def candidates(target: Target, tier: Tier, text: SearchText, cap: int) -> Subquery:
    """Columns ``id``, ``key``, ``votes``, ``matched`` (how many of the words a partial match has)."""
    if tier is Tier.PARTIAL:
        share = max(1, cap // len(text.partial_terms))
        arms = [
            _matching(target.fts, f"words : {_phrase(term)}", share).subquery() for term in text.partial_terms
        ]
        hits = union_all(*(select(arm.c.id) for arm in arms)).subquery()
        counted = select(hits.c.id, func.count().label("matched")).group_by(hits.c.id).subquery()
        return _rows(target, counted, counted.c.matched)
    if tier is Tier.EXACT:
        expression = f'joined : "{text.joined}"'
    elif tier is Tier.STARTS_WITH:
        expression = f'joined : "{text.joined}"*'
    else:
        expression = _all_words(text.terms)
    return _rows(target, _matching(target.fts, expression, cap).subquery(), literal(1, Integer))
