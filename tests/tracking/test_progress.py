"""Show progress: numbers, the aired rule, next episode, stats, filters and sort modes."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.errors import Invalid
from opentrakt.tracking import episodes, shows
from opentrakt.tracking.batches import EpisodeSeen
from opentrakt.tracking.progress import (
    PROGRESS_SORTS,
    Completion,
    NextEpisode,
    PlayStats,
    SeasonProgress,
    show_progress,
)
from tests.conftest import START
from tests.tracking.factories import DAY, add_episodes, add_show, aired_season


async def _watch(conn: AsyncConnection, user_id: int, show_id: int, ids: list[int], at: int = START) -> None:
    await episodes.mark_episodes_seen(
        conn, user_id, show_id, [EpisodeSeen(i, last_played=at) for i in ids], START
    )


async def test_watched_progress_numbers(conn: AsyncConnection, user_id: int) -> None:
    show_id = await add_show(conn, "The Walking Dead", 2010)
    upcoming = [(3, 1, START + DAY), (3, 2, START + 8 * DAY)]
    ep = await add_episodes(
        conn, show_id, [*aired_season(0, 1), *aired_season(1, 6), *aired_season(2, 6), *upcoming]
    )
    await _watch(
        conn, user_id, show_id, [ep[1, n] for n in range(1, 7)] + [ep[2, 1], ep[2, 2], ep[2, 3], ep[0, 1]]
    )
    await episodes.record_episode_play(conn, user_id, ep[1, 1], START + 50, "scrobble")

    [progress] = await show_progress(conn, user_id, "watched", START)
    assert progress.show_id == show_id
    assert progress.completion == Completion(aired=12, completed=9)
    assert (progress.completion.left, progress.completion.percentage) == (3, 75)
    assert progress.seasons == (
        SeasonProgress(1, Completion(6, 6), (1, 2, 3, 4, 5, 6), (True,) * 6),
        SeasonProgress(2, Completion(6, 3), (1, 2, 3, 4, 5, 6), (True, True, True, False, False, False)),
    )
    assert progress.hidden_seasons == ()
    assert progress.stats == PlayStats(plays=11, scrobbles=1, checkins=0, seen=10)
    assert progress.next_episode == NextEpisode(ep[2, 4], 2, 4)
    assert progress.last_activity == START + 50
    assert progress.last_aired == START - 400 * DAY + 5 * 7 * DAY


async def test_next_episode_follows_the_furthest_watched_then_falls_back_to_gaps(
    conn: AsyncConnection, user_id: int
) -> None:
    show_id = await add_show(conn, "Community", 2009)
    ep = await add_episodes(conn, show_id, aired_season(1, 5))

    async def next_episode() -> NextEpisode | None:
        [progress] = await show_progress(conn, user_id, "watched", START)
        return progress.next_episode

    await _watch(conn, user_id, show_id, [ep[1, 1], ep[1, 3]])
    assert await next_episode() == NextEpisode(ep[1, 4], 1, 4)
    await _watch(conn, user_id, show_id, [ep[1, 5]])
    assert await next_episode() == NextEpisode(ep[1, 2], 1, 2)
    await _watch(conn, user_id, show_id, [ep[1, 2], ep[1, 4]])
    assert await next_episode() is None


async def test_collected_progress(conn: AsyncConnection, user_id: int) -> None:
    show_id = await add_show(conn, "Dexter", 2006)
    ep = await add_episodes(conn, show_id, [*aired_season(1, 4), *aired_season(2, 4)])
    await episodes.add_episodes_to_collection(conn, user_id, show_id, [ep[2, 1], ep[2, 2], ep[1, 4]], START)
    await _watch(conn, user_id, show_id, [ep[1, 1]])

    [progress] = await show_progress(conn, user_id, "collected", START)
    assert progress.completion == Completion(aired=8, completed=3)
    assert progress.completion.percentage == 38
    assert progress.seasons[0].episodes == ((1, False), (2, False), (3, False), (4, True))
    assert progress.next_episode == NextEpisode(ep[1, 1], 1, 1)
    assert progress.stats == PlayStats(plays=1, seen=1)
    assert progress.last_activity == START


async def test_aired_rule(conn: AsyncConnection, user_id: int) -> None:
    undated = await add_show(conn, "Home Videos", 2020)
    u = await add_episodes(conn, undated, [(1, 1, None), (1, 2, None), (2, 1, None)])
    dated = await add_show(conn, "Lost", 2004)
    d = await add_episodes(
        conn, dated, [*aired_season(1, 2), (1, 3, None), (1, 4, START + DAY), (1, 5, START + DAY)]
    )
    await _watch(conn, user_id, undated, [u[1, 1]])
    # A watched episode has aired, whatever the catalogue says.
    await _watch(conn, user_id, dated, [d[1, 1], d[1, 5]])

    by_show = {p.show_id: p for p in await show_progress(conn, user_id, "watched", START)}
    assert by_show[undated].completion == Completion(aired=3, completed=1)
    assert by_show[undated].last_aired is None
    assert by_show[dated].completion == Completion(aired=3, completed=2)
    assert by_show[dated].seasons[0].episodes == ((1, True), (2, False), (5, True))
    assert by_show[dated].next_episode == NextEpisode(d[1, 2], 1, 2)


async def test_percentage_rounds_half_up(conn: AsyncConnection, user_id: int) -> None:
    show_id = await add_show(conn, "Eight", 2001)
    ep = await add_episodes(conn, show_id, aired_season(1, 8))
    await _watch(conn, user_id, show_id, [ep[1, 1]])
    [progress] = await show_progress(conn, user_id, "watched", START)
    assert progress.completion.percentage == 13
    assert Completion(3, 2).percentage == 67
    assert Completion(0, 0).percentage == 0


async def test_shows_with_only_specials_watched_have_nothing_aired(
    conn: AsyncConnection, user_id: int
) -> None:
    show_id = await add_show(conn, "Specials Only", 2001)
    ep = await add_episodes(conn, show_id, aired_season(0, 2))
    await _watch(conn, user_id, show_id, [ep[0, 1]])
    [progress] = await show_progress(conn, user_id, "watched", START)
    assert (progress.completion, progress.seasons, progress.next_episode) == (Completion(0, 0), (), None)


@pytest.fixture
async def three_shows(conn: AsyncConnection, user_id: int) -> dict[str, int]:
    """Alpha 50% (active last, aired 100 days ago), Bravo 100% (aired yesterday), Charlie 20% (300 days ago)."""
    ids: dict[str, int] = {}
    for name, count, watched, active, last_aired in (
        ("Charlie", 5, 1, START + 20, START - 300 * DAY),
        ("Alpha", 4, 2, START + 30, START - 100 * DAY),
        ("Bravo", 2, 2, START + 10, START - DAY),
    ):
        show_id = await add_show(conn, name, 2000)
        first = last_aired - (count - 1) * 7 * DAY
        ep = await add_episodes(conn, show_id, aired_season(1, count, first=first))
        await _watch(conn, user_id, show_id, [ep[1, n] for n in range(1, watched + 1)], at=active)
        ids[name] = show_id
    return ids


async def test_sort_modes(conn: AsyncConnection, user_id: int, three_shows: dict[str, int]) -> None:
    expected = {
        "title": ["Alpha", "Bravo", "Charlie"],
        "activity": ["Alpha", "Charlie", "Bravo"],
        "most-completed": ["Bravo", "Alpha", "Charlie"],
        "least-completed": ["Charlie", "Alpha", "Bravo"],
        "recently-aired": ["Bravo", "Alpha", "Charlie"],
        "previously-aired": ["Charlie", "Alpha", "Bravo"],
    }
    assert set(expected) == set(PROGRESS_SORTS)
    for sort, order in expected.items():
        progress = await show_progress(conn, user_id, "watched", START, sort=sort)  # type: ignore[arg-type]
        assert [p.show_id for p in progress] == [three_shows[name] for name in order], sort


async def test_title_filter_and_bad_arguments(
    conn: AsyncConnection, user_id: int, three_shows: dict[str, int]
) -> None:
    bravo, charlie = three_shows["Bravo"], three_shows["Charlie"]
    progress = await show_progress(conn, user_id, "watched", START, show_ids=[charlie, bravo, 999_999])
    assert [p.show_id for p in progress] == [bravo, charlie]
    assert await show_progress(conn, user_id, "watched", START, show_ids=[]) == []
    assert await show_progress(conn, user_id, "collected", START) == []
    with pytest.raises(Invalid):
        await show_progress(conn, user_id, "watched", START, sort="random")  # type: ignore[arg-type]
    with pytest.raises(Invalid):
        await show_progress(conn, user_id, "rated", START)  # type: ignore[arg-type]


async def test_whole_show_seen_completes_the_show(conn: AsyncConnection, user_id: int) -> None:
    show_id = await add_show(conn, "Firefly", 2002)
    await add_episodes(conn, show_id, [*aired_season(0, 1), *aired_season(1, 14)])
    await shows.mark_show_seen(conn, user_id, show_id, START)
    [progress] = await show_progress(conn, user_id, "watched", START)
    assert progress.completion == Completion(14, 14)
    assert progress.completion.percentage == 100
    assert progress.next_episode is None


async def test_a_show_looks_caught_up_only_when_every_aired_episode_is_completed(
    conn: AsyncConnection, user_id: int
) -> None:
    """Specials, repeated plays and completed unaired episodes never make a show look finished."""
    show_id = await add_show(conn, "Counting", 2015)
    ep = await add_episodes(conn, show_id, [*aired_season(0, 2), *aired_season(1, 3), (1, 4, START + DAY)])
    # As many completions as aired regular episodes (3), but one regular episode is missing.
    await _watch(conn, user_id, show_id, [ep[1, 1], ep[1, 2], ep[0, 1]])
    await episodes.record_episode_play(conn, user_id, ep[1, 1], START + 10, "scrobble")

    async def progress() -> tuple[Completion, NextEpisode | None, tuple[bool, ...]]:
        [found] = await show_progress(conn, user_id, "watched", START)
        return found.completion, found.next_episode, found.seasons[0].completed

    assert await progress() == (Completion(3, 2), NextEpisode(ep[1, 3], 1, 3), (True, True, False))
    # An unaired episode watched counts as aired, and still leaves the missing one missing.
    await _watch(conn, user_id, show_id, [ep[1, 4]])
    assert await progress() == (Completion(4, 3), NextEpisode(ep[1, 3], 1, 3), (True, True, False, True))
    await _watch(conn, user_id, show_id, [ep[1, 3], ep[0, 2]])
    assert await progress() == (Completion(4, 4), None, (True,) * 4)
