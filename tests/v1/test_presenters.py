"""Presenters on their own: key order, the never-null rule, images, and the activity keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from opentrakt.accounts.models import User
from opentrakt.catalog.models import Episode, Movie, People, Ratings, Season, Show
from opentrakt.catalog.summaries import MovieDetail, SeasonEpisodes, ShowDetail, Updated
from opentrakt.config import Settings
from opentrakt.tracking.models import NO_STATE, EpisodePlays, ItemActivity, ItemUserState, Watcher
from opentrakt.v1.presenters.airtimes import PACIFIC, air_times, zone
from opentrakt.v1.presenters.episode import present_episode
from opentrakt.v1.presenters.images import image_url, placeholder_names, sized
from opentrakt.v1.presenters.movie import Level, present_movie
from opentrakt.v1.presenters.show import present_show
from opentrakt.v1.presenters.summary import present_movie_summary, present_show_summary
from opentrakt.v1.presenters.updated import present_movies_updated
from tests.spec_examples import nulls

SETTINGS = Settings(public_url="http://tracker.example:8080", site_url="http://trakt.tv")

BARE_MOVIE = Movie(
    id=1, slug="home-video-2011", title="Home Video", year=None, released=None, runtime=None, tagline=None,
    overview=None, certification=None, trailer=None, imdb_id=None, tmdb_id=None, rt_id=None,
    poster_url=None, fanart_url=None, source="client", updated_at=1_600_000_000, ratings=Ratings(),
)  # fmt: skip
BARE_SHOW = Show(
    id=2, slug="bare-show", title="Bare Show", year=None, first_aired=None, country=None, overview=None,
    runtime=None, network=None, air_day=None, air_time=None, air_timezone=None, certification=None,
    status=None, imdb_id=None, tvdb_id=None, tvrage_id=None, tmdb_id=None, poster_url=None,
    fanart_url=None, banner_url=None, source="client", updated_at=1_600_000_000, ratings=Ratings(),
)  # fmt: skip
BARE_EPISODE = Episode(
    id=3, show_id=2, season=1, number=1, title=None, overview=None, first_aired=None, runtime=None,
    tvdb_id=None, imdb_id=None, tmdb_id=None, screen_url=None, ratings=Ratings(),
)  # fmt: skip
ALICE = User(
    id=7, username="alice", email="alice@example.org", full_name="Alice A", gender="female", age=30,
    location="Lisbon", about="", avatar_url=None, protected=False, vip=False, is_admin=False,
    joined=1_500_000_000, last_login=1_600_000_000,
)  # fmt: skip
RATED = ItemUserState(plays=2, in_collection=True, in_watchlist=False, rating=8)


@pytest.mark.parametrize("level", list(Level))
def test_bare_items_have_no_nulls_at_any_level(level: Level) -> None:
    for data in (
        present_movie(BARE_MOVIE, SETTINGS, level, state=NO_STATE),
        present_show(BARE_SHOW, SETTINGS, level, state=NO_STATE),
        present_episode(BARE_EPISODE, BARE_SHOW, SETTINGS, state=NO_STATE),
    ):
        assert nulls(data) == []


def test_bare_summaries_have_no_nulls() -> None:
    season = SeasonEpisodes(Season(2, 1, 1, None), [BARE_EPISODE])
    movie = present_movie_summary(MovieDetail(BARE_MOVIE, People()), ItemActivity(), SETTINGS, state=NO_STATE)
    show = present_show_summary(
        ShowDetail(BARE_SHOW, People(), [season]),
        ItemActivity(),
        SETTINGS,
        state=NO_STATE,
        episode_states={BARE_EPISODE.id: NO_STATE},
        extended=True,
    )
    assert nulls(movie) == nulls(show) == []
    assert show["seasons"] == [
        {
            "season": 1,
            "url": "http://trakt.tv/show/bare-show/season/1",
            "images": {"poster": "http://tracker.example:8080/images/poster-small.jpg"},
            "episodes": [present_episode(BARE_EPISODE, BARE_SHOW, SETTINGS, state=NO_STATE)],
        }
    ]


def test_user_fields_order_differs_for_shows() -> None:
    movie = present_movie(BARE_MOVIE, SETTINGS, Level.MIN, state=RATED)
    show = present_show(BARE_SHOW, SETTINGS, Level.MIN, state=RATED)
    assert list(movie)[-6:] == [
        "watched",
        "plays",
        "in_watchlist",
        "in_collection",
        "rating",
        "rating_advanced",
    ]
    assert [movie[k] for k in list(movie)[-6:]] == [True, 2, False, True, "love", 8]
    assert list(show)[-3:] == ["rating", "rating_advanced", "in_watchlist"]
    assert "plays" not in show


def test_activity_keys_have_their_spec_shapes() -> None:
    """What summaries show once plays are recorded: watchers lead with plays, episodes end with them."""
    episode = Episode(
        id=9, show_id=2, season=1, number=2, title="Second", overview=None, first_aired=1_288_573_200,
        runtime=None, tvdb_id=None, imdb_id=None, tmdb_id=None, screen_url=None, ratings=Ratings(),
    )  # fmt: skip
    activity = ItemActivity(
        watchers=3,
        plays=5,
        scrobbles=4,
        top_watchers=(Watcher(ALICE, 4),),
        top_episodes=(EpisodePlays(episode, 5),),
    )
    show = present_show_summary(ShowDetail(BARE_SHOW, People(), []), activity, SETTINGS, state=None)
    watcher = show["top_watchers"][0]
    assert list(watcher)[:2] == ["plays", "username"]
    assert (watcher["plays"], watcher["url"]) == (4, "http://trakt.tv/user/alice")
    assert show["top_episodes"] == [
        {
            "season": 1,
            "number": 2,
            "title": "Second",
            "url": "http://trakt.tv/show/bare-show/season/1/episode/2",
            # No zone is known, so the air time is taken as Pacific (UTC-8 standard).
            "first_aired": 1_288_573_200,
            "first_aired_utc": 1_288_573_200 + 8 * 3600,
            "plays": 5,
        }
    ]
    assert show["stats"] == {
        "watchers": 3,
        "plays": 5,
        "scrobbles": 4,
        "scrobbles_unique": 0,
        "checkins": 0,
        "checkins_unique": 0,
        "collection": 0,
        "collection_unique": 0,
    }


def test_images_use_stored_urls_or_served_placeholders() -> None:
    assert image_url("http://img/p.jpg", "poster", SETTINGS) == "http://img/p.jpg"
    assert image_url(None, "fanart", SETTINGS) == "http://tracker.example:8080/images/fanart-summary.jpg"
    assert image_url("", "screen", SETTINGS) == "http://tracker.example:8080/images/episode-screen.jpg"
    assert sized("http://trakt.us/images/posters/5.jpg", "300") == "http://trakt.us/images/posters/5-300.jpg"
    assert (
        sized("http://trakt.us/images/fanart/5.2.jpg", "940") == "http://trakt.us/images/fanart/5.2-940.jpg"
    )
    names = placeholder_names()
    assert {
        "poster-small-138.jpg",
        "poster-small-300.jpg",
        "fanart-summary-218.jpg",
        "fanart-summary-940.jpg",
    } <= names
    # Clients skip downloading URLs that contain these words.
    assert any("poster-small" in n for n in names) and any("fanart-summary" in n for n in names)


def test_updated_timestamps_say_where_to_resume() -> None:
    whole = present_movies_updated(Updated([BARE_MOVIE], None), 100, 500, SETTINGS)
    cut = present_movies_updated(Updated([BARE_MOVIE], 300), 100, 500, SETTINGS)
    assert whole["timestamps"] == {"start": 100, "end": 500, "current": 500}
    assert cut["timestamps"] == {"start": 100, "end": 300, "current": 300}
    assert whole["movies"] == [
        {
            "imdb_id": "",
            "tmdb_id": "",
            "title": "Home Video",
            "year": 0,
            "url": "http://trakt.tv/movie/home-video-2011",
            "last_updated": 1_600_000_000,
        }
    ]


def _slow_as_pacific(naive: datetime) -> int:
    return int(naive.replace(tzinfo=PACIFIC).timestamp())


@pytest.mark.parametrize("zone_name", ["America/New_York", "America/Los_Angeles", "Europe/London", None])
def test_air_times_agree_with_datetime_arithmetic_across_daylight_saving(zone_name: str | None) -> None:
    """Hourly instants through the 2010 autumn changes, Pacific's repeated hour included."""
    start = int(datetime(2010, 10, 30, tzinfo=UTC).timestamp())
    for instant in range(start, start + 10 * 86_400, 1_800):
        local = datetime.fromtimestamp(instant, zone(zone_name))
        standard = (local.utcoffset() or timedelta()) - (local.dst() or timedelta())
        wall = local.replace(tzinfo=None)
        assert air_times(instant, zone_name) == (
            _slow_as_pacific(wall),
            local.replace(tzinfo=timezone(standard)).isoformat(),
            _slow_as_pacific(wall - standard),
        )


def test_air_times_of_the_spec_examples() -> None:
    boardwalk = int(datetime(2010, 9, 20, 1, 0, tzinfo=UTC).timestamp())  # 21:00 EDT
    assert air_times(boardwalk, "America/New_York") == (1284955200, "2010-09-19T21:00:00-05:00", 1284973200)
    assert air_times(None, "America/New_York") == (0, "", 0)
    assert air_times(boardwalk, "Not/AZone").first_aired == boardwalk  # unknown zones read as Pacific
