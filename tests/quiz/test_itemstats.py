"""Item statistics, checked against examples worked by hand and against the textbook formulas."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduapp.quiz.itemstats import (
    FLAG_LOW,
    FLAG_NEGATIVE,
    FLAG_TOO_EASY,
    FLAG_TOO_HARD,
    ChoiceCount,
    MarkSums,
    choice_counts,
    item_stats,
    top_responses,
)


def sums(
    marks: Sequence[float | int], others: Sequence[float | int], max_mark: int = 1
) -> MarkSums:
    """The sums the SQL aggregate returns, from the raw columns."""
    m = [Fraction(x) for x in marks]
    o = [Fraction(x) for x in others]
    return MarkSums(
        max_mark=Fraction(max_mark),
        n=len(m),
        sum_mark=sum(m, Fraction(0)),
        sum_mark_sq=sum((x * x for x in m), Fraction(0)),
        sum_other=sum(o, Fraction(0)),
        sum_other_sq=sum((x * x for x in o), Fraction(0)),
        sum_mark_other=sum((x * y for x, y in zip(m, o, strict=True)), Fraction(0)),
    )


def close(value: Decimal | None, expected: float) -> bool:
    return value is not None and math.isclose(float(value), expected, abs_tol=1e-12)


def test_a_worked_example() -> None:
    """Four attempts, a 1-mark question; marks x = 1, 1, 0, 0 and rest-of-test o = 3, 2, 1, 2.

    facility = (1+1+0+0)/4 = 0.5.
    mean x = 0.5, deviations +.5 +.5 -.5 -.5, squares sum to 1: var = 1/3, SD = 0.57735.
    mean o = 2, deviations +1 0 -1 0, squares sum to 2: var(o) = 2/3.
    cross products: .5*1 + .5*0 + (-.5)(-1) + (-.5)*0 = 1: cov = 1/3.
    discrimination = (1/3) / sqrt(1/3 * 2/3) = 1/sqrt(2) = 0.70711 (Moodle shows 70.71).
    """
    stats = item_stats([sums([1, 1, 0, 0], [3, 2, 1, 2])])
    assert stats.responses == 4
    assert stats.facility == Fraction(1, 2)
    assert close(stats.sd, math.sqrt(1 / 3))
    assert close(stats.discrimination, 1 / math.sqrt(2))
    assert stats.flags == ()


def test_negative_discrimination_is_flagged() -> None:
    """Swap who got it right: x = 0, 0, 1, 1 with o = 3, 2, 1, 2.
    Cross products: (-.5)(1) + 0 + (.5)(-1) + 0 = -1, so the index is -1/sqrt(2)."""
    stats = item_stats([sums([0, 0, 1, 1], [3, 2, 1, 2])])
    assert close(stats.discrimination, -1 / math.sqrt(2))
    assert stats.flags == (FLAG_NEGATIVE,)


def test_no_discrimination_is_flagged() -> None:
    """x = 1, 0, 1, 0 with o = 3, 3, 1, 1: deviations +.5 -.5 +.5 -.5 against +1 +1 -1 -1
    give cross products .5 - .5 - .5 + .5 = 0: the index is 0, below 0.25."""
    stats = item_stats([sums([1, 0, 1, 0], [3, 3, 1, 1])])
    assert stats.discrimination == 0
    assert stats.flags == (FLAG_LOW,)


def test_partial_marks_and_a_two_mark_question() -> None:
    """A 2-mark question, marks 2, 1, 0 (shares 1, .5, 0), rest-of-test 4, 2, 3.

    facility = 3/(3*2) = 0.5. Shares: mean .5, deviations .5 0 -.5: var = .5/2 = .25, SD = .5.
    o: mean 3, deviations 1 -1 0: var = 2/2 = 1. Cross products .5 + 0 + 0 = .5: cov = .25.
    discrimination = .25 / sqrt(.25 * 1) = 0.5.
    """
    stats = item_stats([sums([2, 1, 0], [4, 2, 3], max_mark=2)])
    assert stats.facility == Fraction(1, 2)
    assert stats.sd == Decimal("0.5")
    assert stats.discrimination == Decimal("0.5")


def test_everyone_right_has_no_spread() -> None:
    """Marks 1, 1, 1: facility 1 (too easy), SD 0, and the index is undefined (0/0)."""
    stats = item_stats([sums([1, 1, 1], [2, 1, 0])])
    assert stats.facility == 1
    assert stats.sd == 0
    assert stats.discrimination is None
    assert stats.flags == (FLAG_TOO_EASY,)


def test_rest_of_test_without_spread_leaves_the_index_undefined() -> None:
    stats = item_stats([sums([1, 0, 0, 0], [2, 2, 2, 2])])
    assert stats.discrimination is None
    assert stats.flags == (FLAG_TOO_HARD,)  # 25% < 30%


def test_one_response() -> None:
    stats = item_stats([sums([0], [5])])
    assert (stats.responses, stats.facility, stats.sd, stats.discrimination) == (1, 0, None, None)
    assert stats.flags == (FLAG_TOO_HARD,)


def test_no_responses_and_zero_point_items() -> None:
    assert item_stats([]).facility is None
    stats = item_stats([sums([0, 0], [1, 2], max_mark=0)])
    assert (stats.responses, stats.facility, stats.flags) == (0, None, ())


def test_the_thresholds_themselves_are_not_flagged() -> None:
    """9 of 10 right is exactly 90%, 3 of 10 exactly 30%: the flags are for above and below."""
    nine = item_stats([sums([1] * 9 + [0], list(range(10)))])
    three = item_stats([sums([1] * 3 + [0] * 7, list(range(10)))])
    assert nine.facility == Fraction(9, 10) and FLAG_TOO_EASY not in nine.flags
    assert three.facility == Fraction(3, 10) and FLAG_TOO_HARD not in three.flags
    assert FLAG_TOO_EASY in item_stats([sums([1] * 10 + [0], list(range(11)))]).flags


def test_a_question_whose_points_changed_is_analysed_as_shares() -> None:
    """Two answers out of 2 marks (2 and 0) and one out of 1 mark (1) are the shares 1, 0, 1."""
    mixed = item_stats([sums([2, 0], [3, 1], max_mark=2), sums([1], [2], max_mark=1)])
    same = item_stats([sums([1, 0, 1], [3, 1, 2])])
    assert mixed == same


marks = st.lists(
    st.tuples(st.sampled_from([0, 0.5, 1]), st.integers(min_value=0, max_value=20)),
    min_size=2,
    max_size=40,
)


@given(marks)
def test_agrees_with_the_textbook_formulas(rows: list[tuple[float, int]]) -> None:
    x = [r[0] for r in rows]
    o = [r[1] for r in rows]
    stats = item_stats([sums(x, o)])
    assert stats.facility == Fraction(statistics.fmean(x)).limit_denominator(1000)
    assert close(stats.sd, statistics.stdev(x))
    if len(set(x)) > 1 and len(set(o)) > 1:
        assert close(stats.discrimination, statistics.correlation(x, o))
    else:
        assert stats.discrimination is None


def test_choice_counts() -> None:
    """Ten responses: [a] x4, [a, b] x3, [] x2 and [z] x1 (a choice since removed)."""
    counts, blank = choice_counts(
        ["a", "b", "c"], [(["a"], 4), (["a", "b"], 3), ([], 2), (["z"], 1)], 10
    )
    assert counts == [
        ChoiceCount("a", 7, Fraction(7, 10)),
        ChoiceCount("b", 3, Fraction(3, 10)),
        ChoiceCount("c", 0, Fraction(0)),
        ChoiceCount("z", 1, Fraction(1, 10)),
    ]
    assert blank == 2
    assert choice_counts(["a"], [], 0) == ([ChoiceCount("a", 0, Fraction(0))], 0)


def test_top_responses() -> None:
    rows = [(["b"], 2), (["a"], 2), ([], 9), (["c"], 5), (["x:1", "y:2"], 1)]
    assert top_responses(rows, 19, limit=3) == [
        ChoiceCount("c", 5, Fraction(5, 19)),
        ChoiceCount("a", 2, Fraction(2, 19)),
        ChoiceCount("b", 2, Fraction(2, 19)),
    ]
    assert top_responses(rows, 19)[-1].key == "x:1, y:2"
    assert top_responses([], 0) == []


@pytest.mark.parametrize("n", [2, 3])
def test_two_and_three_responses_are_enough_for_an_index(n: int) -> None:
    stats = item_stats([sums([1] + [0] * (n - 1), list(range(n, 0, -1)))])
    assert stats.discrimination is not None and stats.discrimination > 0
