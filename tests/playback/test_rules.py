"""The timing and text rules of playback."""

from __future__ import annotations

import pytest

from opentrakt.catalog.models import Episode, Movie, Ratings, Show
from opentrakt.playback import rules
from opentrakt.playback.models import EpisodeItem, MovieItem

NOW = 1_700_000_000


def movie(runtime: int | None = None, year: int | None = 2005) -> MovieItem:
    return MovieItem(
        Movie(
            id=1,
            slug="batman-begins-2005",
            title="Batman Begins",
            year=year,
            released=None,
            runtime=runtime,
            tagline=None,
            overview=None,
            certification=None,
            trailer=None,
            imdb_id=None,
            tmdb_id=None,
            rt_id=None,
            poster_url=None,
            fanart_url=None,
            source="client",
            updated_at=0,
            ratings=Ratings(),
        )
    )


def episode(episode_runtime: int | None = None, show_runtime: int | None = None) -> EpisodeItem:
    show = Show(
        id=1,
        slug="the-walking-dead",
        title="The Walking Dead",
        year=2010,
        first_aired=None,
        country=None,
        overview=None,
        runtime=show_runtime,
        network=None,
        air_day=None,
        air_time=None,
        air_timezone=None,
        certification=None,
        status=None,
        imdb_id=None,
        tvdb_id=None,
        tvrage_id=None,
        tmdb_id=None,
        poster_url=None,
        fanart_url=None,
        banner_url=None,
        source="client",
        updated_at=0,
        ratings=Ratings(),
    )
    ep = Episode(
        id=1,
        show_id=1,
        season=1,
        number=1,
        title=None,
        overview=None,
        first_aired=None,
        runtime=episode_runtime,
        tvdb_id=None,
        imdb_id=None,
        tmdb_id=None,
        screen_url=None,
        ratings=Ratings(),
    )
    return EpisodeItem(show, ep)


def test_labels_name_items_as_the_messages_do() -> None:
    assert movie().label == "Batman Begins (2005)"
    assert movie(year=None).label == "Batman Begins"
    assert episode().label == "The Walking Dead 1x01"


def test_episode_runtime_falls_back_to_the_show() -> None:
    assert episode(episode_runtime=42, show_runtime=60).runtime == 42
    assert episode(show_runtime=60).runtime == 60
    assert episode().runtime is None


@pytest.mark.parametrize(
    ("duration", "progress", "lapses_after"),
    [
        (40, 50, 20 * 60),  # 20 minutes left: the remaining runtime comes first
        (120, 10, 30 * 60),  # 108 minutes left: the 30-minute timeout comes first
        (None, 50, 30 * 60),  # no runtime known: only the timeout
        (60, None, 30 * 60),  # no progress: the whole runtime remains
        (25, None, 25 * 60),
        (10, 100, 0),  # finished: nothing remains
        (10, 150, 0),  # clients overshoot; clamped to 100
        (10, -20, 10 * 60),  # and undershoot; clamped to 0
    ],
)
def test_watching_lapses_at_remaining_runtime_or_timeout(
    duration: int | None, progress: int | None, lapses_after: int
) -> None:
    assert rules.watching_ends_at(NOW, duration, progress) == NOW + lapses_after


def test_duplicate_window_is_the_runtime_then_the_duration_then_an_hour() -> None:
    assert rules.duplicate_window(movie(runtime=140), duration=90) == 140 * 60
    assert rules.duplicate_window(movie(), duration=90) == 90 * 60
    assert rules.duplicate_window(movie(), duration=None) == 60 * 60


def test_checkin_lasts_the_duration_then_the_runtime_then_an_hour() -> None:
    assert rules.checkin_minutes(movie(runtime=140), 30) == 30
    assert rules.checkin_minutes(movie(runtime=140), None) == 140
    assert rules.checkin_minutes(episode(), None) == 60


def test_checkin_message_fills_the_users_sharing_text() -> None:
    assert rules.checkin_message(None, "I'm watching [item]", movie()) == "I'm watching Batman Begins (2005)"
    assert rules.checkin_message("   ", "Now: [item]", episode()) == "Now: The Walking Dead 1x01"
    assert rules.checkin_message("Popcorn time", "I'm watching [item]", movie()) == "Popcorn time"


def test_checkin_message_is_cut_to_100_characters() -> None:
    assert rules.checkin_message("x" * 250, "", movie()) == "x" * 100
    long_title = "I'm watching [item] " + "!" * 200
    assert len(rules.checkin_message(None, long_title, movie())) == 100
