"""Naive strategies scored by the real grading rules, and the simulated pass probability."""

from __future__ import annotations

from fractions import Fraction

import pytest

from eduapp.content.lint import stats
from eduapp.content.lint.items import item_from
from eduapp.content.loader import load_course
from eduapp.quiz.grading import grade_question
from tests.conftest import FIXTURES
from tests.content.lintkit import item, items, multiple, single, true_false


@pytest.fixture(autouse=True)
def _fewer_trials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shape of the simulation is under test here, not its precision."""
    monkeypatch.setattr(stats, "TRIALS", 300)


def _expected(outcomes: stats.Outcomes) -> Fraction:
    return sum((p * f for p, f in outcomes), Fraction(0))


def test_longest_picks_the_longest_and_splits_ties() -> None:
    cued = item(single("q", "the long careful key", ["short", "brief", "tiny"]))
    assert stats.outcomes(cued, stats.STRATEGIES["longest"], False, 1) == [
        (Fraction(1), Fraction(1))
    ]
    tied = item(single("q", "same", ["same", "abcd", "no"]))
    assert _expected(stats.outcomes(tied, stats.STRATEGIES["longest"], False, 1)) == Fraction(1, 3)
    assert stats.outcomes(tied, stats.STRATEGIES["shortest"], False, 1) == [
        (Fraction(1), Fraction(0))
    ]


def test_position_strategies_guess_when_options_are_shuffled() -> None:
    question = item(single("q", "first option", ["second", "third", "fourth"]))
    assert _expected(stats.outcomes(question, stats.STRATEGIES["first"], False, 1)) == 1
    assert _expected(stats.outcomes(question, stats.STRATEGIES["last"], False, 1)) == 0
    assert _expected(stats.outcomes(question, stats.STRATEGIES["first"], True, 1)) == Fraction(1, 4)


def test_true_false_strategies() -> None:
    hedged_true = item(true_false("t", "Massage may ease pain for some people.", True))
    absolute_false = item(true_false("f", "Massage always cures pain.", False))
    for question, answer in ((hedged_true, True), (absolute_false, False)):
        for name in ("most hedged", "avoid absolutes"):
            assert _expected(stats.outcomes(question, stats.STRATEGIES[name], True, 1)) == 1
        assert _expected(stats.outcomes(question, stats.STRATEGIES["all true"], True, 1)) == int(
            answer
        )
        # True/false options are never shuffled: "first" is always True.
        assert _expected(stats.outcomes(question, stats.STRATEGIES["first"], True, 1)) == int(
            answer
        )


def test_multiple_select_is_scored_with_partial_credit_as_grading_does() -> None:
    """Two correct of four: ticking one right and one wrong scores 1/2 - 1/2 = 0."""
    question = item(
        multiple(
            "m",
            [
                ("a long correct option", True),
                ("a longer wrong option here", False),
                ("ok", True),
                ("no", False),
            ],
        )
    )
    [(_, score)] = stats.outcomes(question, stats.STRATEGIES["longest"], False, 2)
    ticked = ["a", "b"]
    assert score == grade_question(question.grading, ticked).fraction == 0
    # One tick among the two shortest ("ok" right, "no" wrong): half the time half the marks.
    one_tick = stats.outcomes(question, stats.STRATEGIES["shortest"], False, 1)
    assert sorted(one_tick) == [(Fraction(1, 2), Fraction(0)), (Fraction(1, 2), Fraction(1, 2))]


def test_chance_of_a_blind_guess() -> None:
    assert stats.chance(item(single("q", "a", ["b", "c", "d"]))) == Fraction(1, 4)
    assert stats.chance(item(true_false("t", "Claim.", True))) == Fraction(1, 2)
    # One right of three: of the 8 possible sets only {a} scores (1); {a, b} is 1 - 1 = 0.
    question = item(multiple("m", [("a", True), ("b", False), ("c", False)]))
    assert stats.chance(question) == Fraction(1, 8)


def test_random_strategy_scores_the_chance_score() -> None:
    pool = items(
        single("q", "a", ["b", "c", "d"]),
        true_false("t", "Claim.", False),
        multiple("m", [("a", True), ("b", True), ("c", False)]),
    )
    result = stats.pool_stats(
        pool, draw=None, passing_score=80, attempts=3, shuffled=True, seed="s"
    )
    random = next(r for r in result.strategies if r.name == "random")
    assert random.expected == pytest.approx(result.chance)


def _cued_final(count: int = 20) -> list:
    """Every key is the longest option; half the true/false items are true."""
    return items(*[single(f"q{i}", "k" * 40, ["d" * 10, "d" * 12, "d" * 14]) for i in range(count)])


def test_pass_probability_simulates_draw_and_pass_mark() -> None:
    result = stats.pool_stats(
        _cued_final(), draw=10, passing_score=80, attempts=3, shuffled=True, seed="s"
    )
    by_name = {r.name: r for r in result.strategies}
    assert by_name["longest"].expected == 100
    assert by_name["longest"].pass_once == 1
    assert by_name["shortest"].pass_once == 0
    assert result.chance == 25
    # A quarter right on average: passing 8 of 10 by luck is rare but not impossible.
    assert 0 <= by_name["random"].pass_once < 0.01
    assert by_name["best per type"].note == "single: longest"


def test_exactly_the_pass_mark_passes() -> None:
    """16 of 20 keys are the longest: longest scores exactly 80% on every full draw."""
    pool = _cued_final(16) + items(
        *[single(f"s{i}", "k", ["d" * 10, "d" * 12, "d" * 14]) for i in range(4)]
    )
    for passing, expected in ((80, 1.0), (81, 0.0)):
        result = stats.pool_stats(
            pool, draw=20, passing_score=passing, attempts=1, shuffled=True, seed="s"
        )
        assert result.strategies[0].name == "longest"
        assert result.strategies[0].pass_once == expected


def test_pass_within_attempts() -> None:
    result = stats.pool_stats(
        _cued_final(), draw=None, passing_score=80, attempts=3, shuffled=True, seed="s"
    )
    assert result.within_attempts(0.5) == pytest.approx(0.875)
    result.attempts = None
    assert result.within_attempts(0.001) == 1
    assert result.within_attempts(0) == 0


def test_same_seed_same_numbers() -> None:
    pool = items(*[single(f"q{i}", "a" * (i % 5 + 1), ["bb", "ccc", "d"]) for i in range(30)])
    runs = [
        stats.pool_stats(pool, draw=20, passing_score=50, attempts=3, shuffled=True, seed="x")
        for _ in range(2)
    ]
    assert [r.pass_once for r in runs[0].strategies] == [r.pass_once for r in runs[1].strategies]


def test_questions_without_choices_score_their_blind_share() -> None:
    """GIFT's matching (1 in 4 options per stem), ordering and typed answers."""
    course = load_course(FIXTURES / "gift" / "gift-course")
    quiz = next(q for q in course.quizzes if q.name == "01-strokes")
    by_id = {q.key: item_from(q) for q in quiz.questions}
    assert stats.chance(by_id["stroke-names"]) == Fraction(1, 4)
    assert stats.chance(by_id["session-length"]) == 0
    lines = stats.final_stats(course, quiz)
    assert lines[0].startswith("gift-course 01-strokes: pool of")
    assert any(line.strip().startswith("best per type") for line in lines)


def test_best_per_type_names_the_strategy_a_learner_would_use() -> None:
    """ "longest" also answers False on every true/false item; the table says "all false"."""
    pool = _cued_final(4) + items(
        *[true_false(f"t{i}", f"Claim {i}.", False) for i in range(4)],
        *[multiple(f"m{i}", [("a", True), ("b", True), ("c", False)]) for i in range(2)],
    )
    result = stats.pool_stats(
        pool, draw=None, passing_score=80, attempts=3, shuffled=True, seed="s"
    )
    best = result.strategies[-1]
    assert "single: longest" in best.note
    assert "true_false: all false" in best.note
    assert "multiple: all" not in best.note
