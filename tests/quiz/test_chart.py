"""The item-analysis chart's geometry, and the x100 figure format."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from eduapp.quiz.chart import BOTTOM, LEFT, MIN_WIDTH, PLOT_HEIGHT, TOP, build_chart
from eduapp.templating import hundred


def test_bars_rise_and_fall_from_the_zero_line() -> None:
    chart = build_chart(
        [("Q1", Fraction(1, 2), Decimal("0.5")), ("Q2", Fraction(1), Decimal("-0.25"))]
    )
    # Scale -50..100 over 240 px: 1.6 px per point, zero at 16 + 100 * 1.6 = 176.
    assert chart.zero_y == 176
    facility, discrimination, full, negative = chart.bars
    assert (facility.y, facility.height) == (96, 80)
    assert (discrimination.y, discrimination.height) == (96, 80)
    assert (full.y, full.height) == (16, 160)
    assert (negative.y, negative.height) == (176, 40)  # downwards from zero
    assert negative.title == "Q2 discrimination: -25.0"
    assert full.title == "Q2 facility: 100.0%"
    assert [t.label for t in chart.ticks] == ["-50", "-25", "0", "25", "50", "75", "100"]
    assert [t.y for t in chart.thresholds] == [32, 128, 136]  # 90%, 30%, 25
    assert chart.width == MIN_WIDTH and chart.height == TOP + PLOT_HEIGHT + BOTTOM
    assert chart.bottom == TOP + PLOT_HEIGHT


def test_a_strongly_negative_index_extends_the_axis() -> None:
    chart = build_chart([("Q1", Fraction(1, 2), Decimal("-0.8"))])
    assert chart.ticks[0].label == "-100"
    assert chart.zero_y == 136  # halfway


def test_undefined_figures_are_marked_not_drawn_and_the_chart_widens() -> None:
    items = [(f"Q{i}", None, None) for i in range(1, 31)]
    chart = build_chart(items)
    assert chart.bars == []
    assert len(chart.missing) == 60
    assert chart.missing[0][1] == "Q1: facility not defined"
    assert chart.width > MIN_WIDTH and chart.labels[0][0] > LEFT
    assert not chart.scrolls
    pool = build_chart([(f"Q{i}", Fraction(1, 2), None) for i in range(1, 56)])
    assert pool.scrolls  # 55 questions: the figure scrolls rather than shrink the labels
    assert pool.labels[1][0] - pool.labels[0][0] == 28


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "—"),
        (Fraction(1, 2), "50"),
        (Fraction(2, 3), "66.7"),
        (Decimal("-0.0909"), "-9.1"),
        (Decimal("-0.0004"), "0"),
        (Fraction(1), "100"),
    ],
)
def test_hundred(value: Fraction | Decimal | None, shown: str) -> None:
    assert hundred(value) == shown
