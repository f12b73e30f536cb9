"""List slugs: the recorded and documented derivations, and collision suffixes."""

from __future__ import annotations

import pytest

from opentrakt.lists.slugs import free_slug, list_slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("test-list", "testlist"),  # recorded: the hyphen is dropped
        ("Top 10 of 2011", "top-10-of-2011"),  # documented
        ("  Films   I  Love ", "films-i-love"),
        ("Amélie & Friends!", "amelie-friends"),
        ("!!!", "list"),
        ("日本の映画", "list"),
    ],
)
def test_list_slug(name: str, slug: str) -> None:
    assert list_slug(name) == slug


def test_list_slug_is_bounded() -> None:
    assert len(list_slug("word " * 500)) <= 208


def test_free_slug_suffixes_collisions() -> None:
    assert free_slug("top", set()) == "top"
    assert free_slug("top", {"top"}) == "top-2"
    assert free_slug("top", {"top", "top-2", "top-3"}) == "top-4"
