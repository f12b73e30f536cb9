"""One module per v1 section; importing them registers their methods."""

import importlib

SECTIONS = (
    "account",
    "activity",
    "calendar",
    "comment",
    "deprecated_friends",
    "deprecated_shouts",
    "deprecated_watched",
    "genres",
    "item_stats",
    "lists",
    "movie",
    "movie_tracking",
    "movies",
    "network",
    "playback",
    "rate",
    "recommendations",
    "related",
    "search",
    "server",
    "show",
    "show_episode",
    "show_season",
    "show_tracking",
    "shows",
    "trending",
    "user_library",
    "user_lists",
    "user_network",
    "user_profile",
    "user_progress",
    "user_ratings",
    "watching_now",
)


def load_handlers() -> None:
    for section in SECTIONS:
        importlib.import_module(f"{__name__}.{section}")
