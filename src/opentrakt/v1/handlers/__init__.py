"""One module per v1 section; importing them registers their methods."""

import importlib

SECTIONS = (
    "account",
    "deprecated_friends",
    "genres",
    "movie",
    "movie_tracking",
    "movies",
    "network",
    "playback",
    "rate",
    "search",
    "server",
    "show",
    "show_episode",
    "show_season",
    "show_tracking",
    "shows",
    "user_library",
    "user_network",
    "user_progress",
    "user_ratings",
    "watching_now",
)


def load_handlers() -> None:
    for section in SECTIONS:
        importlib.import_module(f"{__name__}.{section}")
