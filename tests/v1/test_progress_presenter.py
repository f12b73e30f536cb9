"""The progress presenter's season objects: keys and flags exactly as the episode numbers say."""

from __future__ import annotations

from opentrakt.tracking.progress import Completion, SeasonProgress
from opentrakt.v1.presenters.progress import _season


def test_episode_keys_are_the_numbers_as_text_small_or_large() -> None:
    small = SeasonProgress(1, Completion(3, 2), (0, 1, 999), (True, False, True))
    large = SeasonProgress(2, Completion(3, 1), (998, 1000, 12345), (False, True, False))

    assert _season(small) == {
        "season": 1,
        "percentage": 67,
        "aired": 3,
        "completed": 2,
        "left": 1,
        "episodes": {"0": True, "1": False, "999": True},
    }
    assert list(_season(large)["episodes"].items()) == [("998", False), ("1000", True), ("12345", False)]


def test_an_empty_season_has_no_episodes() -> None:
    empty = SeasonProgress(3, Completion(0, 0), (), ())

    assert _season(empty)["episodes"] == {}
    assert _season(empty)["percentage"] == 0


def test_completed_seasons_list_every_episode_whether_numbered_on_or_with_gaps() -> None:
    numbered_on = SeasonProgress(1, Completion(3, 3), (1, 2, 3), (True,) * 3)
    same_numbers = SeasonProgress(4, Completion(3, 3), (1, 2, 3), (True,) * 3)
    with_gap = SeasonProgress(2, Completion(3, 3), (1, 2, 4), (True,) * 3)
    beyond_the_key_table = SeasonProgress(3, Completion(2, 2), (999, 1000), (True, True))

    assert _season(numbered_on)["episodes"] == {"1": True, "2": True, "3": True}
    assert _season(same_numbers)["episodes"] == {"1": True, "2": True, "3": True}
    assert _season(with_gap)["episodes"] == {"1": True, "2": True, "4": True}
    assert list(_season(beyond_the_key_table)["episodes"]) == ["999", "1000"]
    partly = SeasonProgress(5, Completion(3, 2), (1, 2, 3), (True, False, True))
    assert _season(partly)["episodes"] == {"1": True, "2": False, "3": True}


def test_a_completed_season_numbered_on_is_one_shared_object() -> None:
    first = _season(SeasonProgress(2, Completion(3, 3), (4, 5, 6), (True,) * 3))
    again = _season(SeasonProgress(2, Completion(3, 3), (4, 5, 6), (True,) * 3))
    other_season = _season(SeasonProgress(3, Completion(3, 3), (4, 5, 6), (True,) * 3))

    assert first is again
    assert first == {
        "season": 2,
        "percentage": 100,
        "aired": 3,
        "completed": 3,
        "left": 0,
        "episodes": {"4": True, "5": True, "6": True},
    }
    assert other_season["season"] == 3 and other_season["episodes"] is first["episodes"]
