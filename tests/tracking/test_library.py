"""Library and watchlist reads: sections, shapes and order."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.tracking import episodes, movies, shows
from opentrakt.tracking.batches import EpisodeSeen, MovieSeen
from opentrakt.tracking.library import (
    LibraryMovie,
    LibraryShow,
    SeasonNumbers,
    ShowEpisodes,
    WatchlistEpisode,
    WatchlistItem,
    WatchlistShowEpisodes,
    library_movies,
    library_show_episodes,
    library_shows,
    watchlist_episodes,
    watchlist_movies,
    watchlist_shows,
)
from tests.conftest import START
from tests.tracking.factories import add_episodes, add_movie, add_show, aired_season


async def test_movie_sections(conn: AsyncConnection, user_id: int) -> None:
    knight = await add_movie(conn, "The Dark Knight", 2008)
    gasland = await add_movie(conn, "GasLand", 2010)
    alien = await add_movie(conn, "Alien", 1979)
    await add_movie(conn, "Brazil", 1985)
    await movies.mark_movies_seen(conn, user_id, [MovieSeen(knight, plays=2), MovieSeen(alien)], START)
    await movies.record_movie_play(conn, user_id, alien, START, "scrobble")
    await movies.add_movies_to_collection(conn, user_id, [knight, gasland], START)
    await movies.mark_movies_unseen(conn, user_id, [gasland], START)

    assert await library_movies(conn, user_id, "all") == [
        LibraryMovie(alien, plays=2, in_collection=False, unseen=False),
        LibraryMovie(gasland, plays=0, in_collection=True, unseen=True),
        LibraryMovie(knight, plays=2, in_collection=True, unseen=False),
    ]
    assert [m.movie_id for m in await library_movies(conn, user_id, "collection")] == [gasland, knight]
    assert await library_movies(conn, user_id, "watched") == [
        LibraryMovie(alien, plays=2, in_collection=False, unseen=False),
        LibraryMovie(knight, plays=2, in_collection=True, unseen=False),
    ]


async def test_an_empty_library_is_empty(conn: AsyncConnection, user_id: int) -> None:
    assert await library_movies(conn, user_id, "all") == []
    assert await library_shows(conn, user_id) == []
    assert await library_show_episodes(conn, user_id, "watched") == []
    assert await watchlist_episodes(conn, user_id) == []


async def test_show_sections_list_seasons_newest_first_numbers_ascending(
    conn: AsyncConnection, user_id: int
) -> None:
    walking = await add_show(conn, "The Walking Dead", 2010)
    community = await add_show(conn, "Community", 2009)
    dexter = await add_show(conn, "Dexter", 2006)
    twd = await add_episodes(conn, walking, [*aired_season(1, 6), *aired_season(2, 4)])
    com = await add_episodes(conn, community, [*aired_season(0, 1), *aired_season(1, 3)])
    dex = await add_episodes(conn, dexter, aired_season(1, 2))

    await shows.add_show_to_collection(conn, user_id, walking, START)
    await episodes.add_episodes_to_collection(conn, user_id, community, [com[1, 2], com[0, 1]], START)
    await episodes.mark_episodes_seen(
        conn,
        user_id,
        walking,
        [EpisodeSeen(twd[2, 3]), EpisodeSeen(twd[1, 1]), EpisodeSeen(twd[2, 1])],
        START,
    )
    await episodes.record_episode_play(conn, user_id, twd[1, 1], START, "scrobble")
    await episodes.record_episode_play(conn, user_id, dex[1, 2], START, "checkin")
    await episodes.mark_episodes_unseen(conn, user_id, community, [com[1, 3]], START)

    assert await library_show_episodes(conn, user_id, "collection") == [
        ShowEpisodes(community, (SeasonNumbers(1, (2,)), SeasonNumbers(0, (1,)))),
        ShowEpisodes(walking, (SeasonNumbers(2, (1, 2, 3, 4)), SeasonNumbers(1, (1, 2, 3, 4, 5, 6)))),
    ]
    assert await library_show_episodes(conn, user_id, "watched") == [
        ShowEpisodes(dexter, (SeasonNumbers(1, (2,)),)),
        ShowEpisodes(walking, (SeasonNumbers(2, (1, 3)), SeasonNumbers(1, (1,)))),
    ]
    assert await library_show_episodes(conn, user_id, "unseen") == [
        ShowEpisodes(community, (SeasonNumbers(1, (3,)),)),
    ]
    assert await library_shows(conn, user_id) == [
        LibraryShow(community, plays=0, in_collection=True),
        LibraryShow(dexter, plays=1, in_collection=False),
        LibraryShow(walking, plays=4, in_collection=True),
    ]


async def test_watchlists_newest_first(conn: AsyncConnection, user_id: int) -> None:
    heat = await add_movie(conn, "Heat", 1995)
    alien = await add_movie(conn, "Alien", 1979)
    await movies.add_movies_to_watchlist(conn, user_id, [heat], START)
    await movies.add_movies_to_watchlist(conn, user_id, [alien], START + 10)
    assert await watchlist_movies(conn, user_id) == [
        WatchlistItem(alien, START + 10),
        WatchlistItem(heat, START),
    ]

    band = await add_show(conn, "Band of Brothers", 2001)
    community = await add_show(conn, "Community", 2009)
    await shows.add_shows_to_watchlist(conn, user_id, [community], START + 5)
    await shows.add_shows_to_watchlist(conn, user_id, [band], START + 1)
    assert await watchlist_shows(conn, user_id) == [
        WatchlistItem(community, START + 5),
        WatchlistItem(band, START + 1),
    ]

    band_ep = await add_episodes(conn, band, aired_season(1, 3))
    com_ep = await add_episodes(conn, community, aired_season(1, 2))
    await episodes.add_episodes_to_watchlist(conn, user_id, band, [band_ep[1, 3], band_ep[1, 1]], START)
    await episodes.add_episodes_to_watchlist(conn, user_id, community, [com_ep[1, 2]], START + 20)
    assert await watchlist_episodes(conn, user_id) == [
        WatchlistShowEpisodes(community, (WatchlistEpisode(com_ep[1, 2], 1, 2, START + 20),)),
        WatchlistShowEpisodes(
            band,
            (WatchlistEpisode(band_ep[1, 1], 1, 1, START), WatchlistEpisode(band_ep[1, 3], 1, 3, START)),
        ),
    ]
