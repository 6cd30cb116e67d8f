"""The suite's clock: every non-browser test starts at one fixed instant, fixtures included."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from eduapp.clock import now


@pytest.fixture
def stamp_from_a_fixture() -> datetime:
    return now()


def test_fixtures_and_test_share_the_fixed_clock(stamp_from_a_fixture: datetime) -> None:
    assert stamp_from_a_fixture.date() == date(2026, 11, 24) == date.today()
    assert timedelta(0) <= now() - stamp_from_a_fixture < timedelta(minutes=1)


@pytest.mark.clock("2030-02-28 23:59:00", tick=False)
def test_a_test_names_its_own_instant(stamp_from_a_fixture: datetime, clock) -> None:
    assert stamp_from_a_fixture == datetime(2030, 2, 28, 23, 59, tzinfo=UTC) == now()
    clock.shift(timedelta(minutes=1))
    assert now().date() == date(2030, 3, 1)
