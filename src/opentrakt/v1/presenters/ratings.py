"""The ratings aggregate and the per-user rating fields."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Ratings


def present_ratings(ratings: Ratings) -> dict[str, int]:
    """``{percentage, votes, loved, hated}``: this server's votes, else the imported dataset's."""
    if ratings.votes:
        percentage = round(ratings.total * 10 / ratings.votes)
        return {
            "percentage": percentage,
            "votes": ratings.votes,
            "loved": ratings.loved,
            "hated": ratings.hated,
        }
    if ratings.imdb_rating is not None and ratings.imdb_votes:
        # The dataset gives a mean and a count only, so the love/hate split is unknown.
        return {
            "percentage": round(ratings.imdb_rating * 10),
            "votes": ratings.imdb_votes,
            "loved": 0,
            "hated": 0,
        }
    return {"percentage": 0, "votes": 0, "loved": 0, "hated": 0}


def simple_rating(rating: int) -> Any:
    """The love/hate view of a 10-point rating: 6-10 love, 1-5 hate, 0 unrated (false)."""
    if rating <= 0:
        return False
    return "love" if rating > 5 else "hate"
