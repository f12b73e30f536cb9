"""Which episodes have aired: the one rule behind whole-show writes and progress.

An episode has aired when its ``first_aired`` is at or before now. An episode without an air
date counts as aired only when its show has no dated episode at all: such shows come from
clients (auto-catalogue) or from datasets without air dates, and their episodes exist because
someone has them; in a dated show an undated episode is an announced one. Specials (season 0)
are never part of "the show" for these purposes: the original's ``show/seen`` marked 119
episodes of The Big Bang Theory in November 2012, which is exactly its aired regular episodes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select

from opentrakt.db.tables.catalog import episodes

SPECIALS = 0


def aired_clause(now: int, table: Any = episodes) -> ColumnElement[bool]:
    """SQL condition on ``table`` (the episodes table or an alias of it): the episode has aired."""
    dated = episodes.alias("dated")
    show_has_dates = exists(
        select(dated.c.id).where(dated.c.show_id == table.c.show_id, dated.c.first_aired.is_not(None))
    )
    return or_(
        table.c.first_aired <= now,
        and_(table.c.first_aired.is_(None), ~show_has_dates),
    )


def is_aired(first_aired: int | None, now: int, show_has_dates: bool) -> bool:
    """The same rule in Python, for reads that already hold a show's episodes."""
    if first_aired is None:
        return not show_has_dates
    return first_aired <= now
