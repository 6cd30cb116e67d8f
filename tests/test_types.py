"""``UTCDateTime``: aware UTC timestamps in and out on both backends, as ``replace`` gave them
before it was swapped for the cheaper ``datetime.combine``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from eduapp.models.types import UTCDateTime

SQLITE, POSTGRESQL = sqlite.dialect(), postgresql.dialect()
PLUS_TWO = timezone(timedelta(hours=2))


def test_sqlite_stores_naive_utc_and_reads_it_back_aware() -> None:
    kind = UTCDateTime()
    local = datetime(2026, 3, 29, 3, 30, 15, 123456, tzinfo=PLUS_TWO)
    stored = kind.process_bind_param(local, SQLITE)
    assert stored == datetime(2026, 3, 29, 1, 30, 15, 123456)
    assert stored.tzinfo is None
    read = kind.process_result_value(stored, SQLITE)
    assert read == local
    assert read.tzinfo is UTC
    assert (read.year, read.hour, read.microsecond) == (2026, 1, 123456)


def test_postgresql_keeps_the_zone_and_reads_utc() -> None:
    kind = UTCDateTime()
    local = datetime(2026, 3, 29, 3, 30, tzinfo=PLUS_TWO)
    assert kind.process_bind_param(local, POSTGRESQL).tzinfo is UTC
    read = kind.process_result_value(local, POSTGRESQL)
    assert read == local
    assert read.tzinfo is UTC
    assert read.hour == 1


def test_fold_and_none_pass_through() -> None:
    kind = UTCDateTime()
    assert kind.process_bind_param(None, SQLITE) is None
    assert kind.process_result_value(None, SQLITE) is None
    folded = datetime(2026, 11, 1, 1, 30, fold=1)
    assert kind.process_result_value(folded, SQLITE).fold == 1


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), SQLITE)
