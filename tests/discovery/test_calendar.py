"""The calendar service: window bounds in each show's zone, the day cap, the owner's shows."""

from __future__ import annotations

from datetime import date

from opentrakt.discovery.calendar import MAX_DAYS, calendar
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_episode, add_show, catalog_writer, local_time
from tests.discovery import activity as rows
from tests.support import make_user

TOKYO = "Asia/Tokyo"
HONOLULU = "Pacific/Honolulu"


async def test_window_edges_are_local_midnights_of_each_show(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        tokyo = await add_show(conn, "Tokyo", 2020, tvdb_id=1, air_timezone=TOKYO)
        honolulu = await add_show(conn, "Honolulu", 2020, tvdb_id=2, air_timezone=HONOLULU)
        # Both inside 2020-06-01 where they air, though 19 hours apart in UTC and on
        # different UTC dates (2020-05-31 15:00 and 2020-06-02 09:59).
        await add_episode(conn, tokyo, 1, 1, first_aired=local_time("2020-06-01 00:00", TOKYO))
        await add_episode(conn, honolulu, 1, 1, first_aired=local_time("2020-06-01 23:59", HONOLULU))
        await add_episode(conn, tokyo, 1, 2, first_aired=local_time("2020-05-31 23:59", TOKYO))
        await add_episode(conn, honolulu, 1, 2, first_aired=local_time("2020-06-02 00:00", HONOLULU))
    async with runtime.engine.connect() as conn:
        (day,) = await calendar(conn, start=date(2020, 6, 1), days=1)
    assert day.day == date(2020, 6, 1)
    assert [(a.show.title, a.episode.number) for a in day.airings] == [("Tokyo", 1), ("Honolulu", 1)]


async def test_days_are_capped_and_an_owner_keeps_their_shows(runtime: Runtime) -> None:
    owner = await make_user(runtime, "owner")
    async with catalog_writer(runtime) as conn:
        daily = await add_show(conn, "Daily", 2020, tvdb_id=1, air_timezone=TOKYO)
        other = await add_show(conn, "Other", 2020, tvdb_id=2, air_timezone=TOKYO)
        for day in range(1, 41):
            month, dom = (1, day) if day <= 31 else (2, day - 31)
            await add_episode(
                conn, daily, 1, day, first_aired=local_time(f"2021-{month:02}-{dom:02} 20:00", TOKYO)
            )
        await add_episode(conn, other, 1, 1, first_aired=local_time("2021-01-05 20:00", TOKYO))
        await rows.collect_episode(conn, owner.user_id, daily, await add_episode(conn, daily, 0, 1))
    async with runtime.engine.connect() as conn:
        everything = await calendar(conn, start=date(2021, 1, 1), days=365)
        mine = await calendar(conn, start=date(2021, 1, 5), days=1, owner_id=owner.user_id)
        premieres = await calendar(conn, start=date(2021, 1, 1), days=10, premieres_only=True)
    assert len(everything) == MAX_DAYS
    assert everything[-1].day == date(2021, 1, 31)
    assert [a.show.title for a in mine[0].airings] == ["Daily"]
    assert [(d.day.day, [a.show.title for a in d.airings]) for d in premieres] == [
        (1, ["Daily"]),
        (5, ["Other"]),
    ]
