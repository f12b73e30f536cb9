"""The v1 comment object (movie/comments and friends) and the deprecated shout object."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from opentrakt.accounts.models import User
from opentrakt.config import Settings
from opentrakt.social.comments import Comment
from opentrakt.social.visibility import redacted
from opentrakt.v1.presenters.ratings import simple_rating
from opentrakt.v1.presenters.user import present_user

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def text_html(text: str) -> str:
    """The text as safe HTML: escaped first, then blank lines make paragraphs and single line
    breaks ``<br>``; nothing the user typed can become markup."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = (part.strip() for part in _PARAGRAPH_BREAK.split(normalised))
    return "".join(
        f"<p>{'<br>'.join(html.escape(line) for line in part.split(chr(10)))}</p>"
        for part in paragraphs
        if part
    )


class CommentAuthors:
    """The authors of a listing: who they are, which of them the caller may see, their ratings."""

    def __init__(self, users: Mapping[int, User], visible: set[int], ratings: Mapping[int, int]) -> None:
        self.users = users
        self.visible = visible
        self.ratings = ratings

    def user(self, user_id: int) -> User:
        author = self.users[user_id]
        return author if user_id in self.visible else redacted(author)

    def rating(self, user_id: int) -> int:
        # A rating is the author's data: hidden along with the profile.
        return self.ratings.get(user_id, 0) if user_id in self.visible else 0


def present_comment(comment: Comment, authors: CommentAuthors, settings: Settings) -> dict[str, Any]:
    rating = authors.rating(comment.user_id)
    return {
        "id": comment.id,
        "inserted": comment.created_at,
        "text": comment.text,
        "text_html": text_html(comment.text),
        "spoiler": comment.spoiler,
        "type": "review" if comment.review else "shout",
        "likes": 0,
        "replies": 0,
        "user": present_user(authors.user(comment.user_id), settings),
        "user_ratings": {"rating": simple_rating(rating), "rating_advanced": rating},
    }


def present_shout(comment: Comment, authors: CommentAuthors, settings: Settings) -> dict[str, Any]:
    """The 2011 shout (``inserted``, ``shout``, ``spoiler``, ``user``), followed by the comment
    keys that clients moved to */comments read (``text``, ``type``, …)."""
    data = present_comment(comment, authors, settings)
    return {
        "inserted": data["inserted"],
        "shout": comment.text,
        "spoiler": data["spoiler"],
        "user": data["user"],
        **{key: value for key, value in data.items() if key not in ("inserted", "spoiler", "user")},
    }
