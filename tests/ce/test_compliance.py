"""The compliance arithmetic, by hand: cycles and their edges, caps, rule changes, statuses."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from eduapp.ce.compliance import (
    AT_RISK,
    COMPLETE,
    ON_TRACK,
    OVERDUE,
    Credit,
    add_months,
    assess,
    cycle_bounds,
    fixed_renewal_on_or_after,
    is_renewal_day,
    next_status_change,
    version_for,
)
from eduapp.ce.rulefile import Cycle, RuleVersion

NCBTMB = ["NCBTMB"]


def rules(**extra: object) -> RuleVersion:
    data = {
        "effective_from": "2020-01-01",
        "cycle": {"months": 24},
        "total_hours": 24,
        "requirements": [
            {"id": "ethics", "label": "Ethics", "topic": "ethics", "min": 3},
            {"id": "self-care", "label": "Self-care", "topic": "self-care", "max": 4},
        ],
        **extra,
    }
    return RuleVersion.model_validate(data)


def credit(
    day: str,
    hours: str,
    *topics: str,
    delivery: str = "home-study",
    body: str = "NCBTMB",
) -> Credit:
    return Credit(
        date.fromisoformat(day),
        Decimal(hours),
        frozenset(topics),
        delivery,
        frozenset({body}),
        title=f"{day} {hours}",
    )


def test_add_months_keeps_the_day_inside_the_month() -> None:
    assert add_months(date(2027, 8, 31), -6) == date(2027, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2026, 1, 15), -24) == date(2024, 1, 15)


def test_the_cycle_ends_on_renewal_and_starts_the_day_after_it_a_cycle_earlier() -> None:
    assert cycle_bounds(Cycle(months=24), date(2027, 8, 31)) == (
        date(2025, 9, 1),
        date(2027, 8, 31),
    )


def test_fixed_cycles_find_their_renewal_day() -> None:
    florida = Cycle(months=24, anchor="fixed", month_day="08-31", years="odd")
    assert fixed_renewal_on_or_after(florida, date(2026, 11, 24)) == date(2027, 8, 31)
    assert fixed_renewal_on_or_after(florida, date(2027, 8, 31)) == date(2027, 8, 31)
    assert fixed_renewal_on_or_after(florida, date(2027, 9, 1)) == date(2029, 8, 31)
    illinois = Cycle(months=24, anchor="fixed", month_day="12-31", years="even")
    assert fixed_renewal_on_or_after(illinois, date(2025, 6, 1)) == date(2026, 12, 31)
    assert is_renewal_day(florida, date(2027, 8, 31))
    assert not is_renewal_day(florida, date(2026, 8, 31))  # an even year
    assert is_renewal_day(Cycle(months=24), date(2026, 5, 3))


def test_hours_on_the_first_and_last_day_count_and_a_day_outside_does_not() -> None:
    credits = [
        credit("2025-09-01", "10", "ethics"),  # first day of the cycle
        credit("2027-08-31", "14"),  # last day
        credit("2025-08-31", "5"),  # the day before: the previous cycle (no carry-over)
        credit("2027-09-01", "5"),  # the day after: the next cycle
    ]
    result = assess(rules(), NCBTMB, date(2027, 8, 31), credits, date(2027, 1, 1))
    assert result.total_counted == Decimal(24)
    assert result.status == COMPLETE


def test_only_the_packs_bodies_count() -> None:
    credits = [credit("2026-01-01", "24", "ethics", body="Some Other Board")]
    result = assess(rules(), NCBTMB, date(2027, 8, 31), credits, date(2026, 2, 1))
    assert result.total_counted == 0 and result.counted == []


def test_a_cap_limits_what_a_category_adds_earliest_first() -> None:
    credits = [
        credit("2026-01-01", "3", "self-care"),
        credit("2026-02-01", "3", "self-care"),  # only 1 of these 3 fits under the cap of 4
        credit("2026-03-01", "3", "ethics"),
    ]
    result = assess(rules(), NCBTMB, date(2027, 8, 31), credits, date(2026, 4, 1))
    assert [h for _, h in result.counted] == [Decimal(3), Decimal(1), Decimal(3)]
    assert result.total_counted == Decimal(7)
    self_care = next(c for c in result.categories if c.id == "self-care")
    assert self_care.counted == Decimal(4)
    assert result.total_missing == Decimal(17)


def test_minimums_by_topic_and_by_delivery() -> None:
    version = rules(
        requirements=[
            {"id": "ethics", "label": "Ethics", "topic": "ethics", "min": 2},
            {"id": "live", "label": "Live", "delivery": ["live"], "min": 12},
        ]
    )
    credits = [credit("2026-01-01", "20", "general"), credit("2026-02-01", "4", "ethics")]
    result = assess(version, NCBTMB, date(2027, 8, 31), credits, date(2026, 3, 1))
    assert result.total_counted == 24
    assert [(c.id, c.counted, c.missing) for c in result.categories] == [
        ("ethics", Decimal(4), Decimal(0)),
        ("live", Decimal(0), Decimal(12)),
    ]
    assert result.status == ON_TRACK  # the hours are there, the live hours are not


@pytest.mark.parametrize(
    ("today", "status"),
    [
        ("2026-06-01", ON_TRACK),
        ("2027-06-02", AT_RISK),  # 90 days before the end
        ("2027-06-01", ON_TRACK),  # 91 days before
        ("2027-08-31", AT_RISK),  # the last day
        ("2027-09-01", OVERDUE),  # the cycle ended unmet
    ],
)
def test_status_by_date(today: str, status: str) -> None:
    result = assess(rules(), NCBTMB, date(2027, 8, 31), [], date.fromisoformat(today))
    assert result.status == status


def test_the_rules_in_force_on_the_last_day_of_the_cycle_apply() -> None:
    old = rules(effective_from="2016-01-01", total_hours=24)
    new = rules(effective_from="2024-01-01", total_hours=25)
    versions = [(old.effective_from, old), (new.effective_from, new)]
    assert version_for(versions, date(2023, 12, 31)) is old
    assert version_for(versions, date(2024, 1, 1)) is new
    assert version_for(versions, date(2024, 12, 31)).total_hours == 25
    assert version_for(versions, date(2010, 1, 1)) is old  # before any: the earliest


@pytest.mark.parametrize(
    "credits",
    [(), (credit("2026-01-10", "24", "ethics"),), (credit("2026-01-10", "10", "ethics"),)],
)
def test_next_status_change_is_the_first_day_assess_says_otherwise(credits) -> None:
    """The dashboard keeps a person's status until this day (``valid_until``): it must be
    exactly the first day on which the status changes by the date alone, never later."""
    version = rules()
    renewal = date(2027, 5, 31)
    day = date(2026, 12, 1)
    while day <= date(2027, 7, 1):
        today = assess(version, NCBTMB, renewal, credits, day)
        change = next_status_change(today)
        following = day + timedelta(days=1)
        while following <= date(2027, 7, 1) and (change is None or following < change):
            assert assess(version, NCBTMB, renewal, credits, following).status == today.status
            following += timedelta(days=30)  # spot checks inside the stretch
        if change is not None:
            before = assess(version, NCBTMB, renewal, credits, change - timedelta(days=1))
            assert before.status == today.status
            assert assess(version, NCBTMB, renewal, credits, change).status != today.status
        day += timedelta(days=7)
