"""How far a learner who has read nothing gets on a final, strategy by strategy.

Each naive strategy picks options from surface features only (length, hedges, absolute words,
words shared with the stem, position, always True or always False). For every question the
strategy gives a distribution of outcomes (ties between options are broken at random), each
scored by ``quiz/grading.py`` itself, so partial credit and negative weights count exactly as
they would in an attempt. The pass probability comes from simulating the real attempt: the
quiz's draw from the pool, its pass mark, then ``1 - (1 - p)^attempts``. A seeded generator
keeps the output the same from run to run.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from ...quiz.grading import grade_question
from ..data import CourseData, QuizData
from .items import Item, Option, content_words, count_listed, item_from
from .rules import key_extremes, true_keys
from .words import ABSOLUTE_WORDS, HEDGE_WORDS

TRIALS = 2000  # simulated attempts per strategy: the pass rate is within about 1 point
CHOICE_TYPES = ("single", "multiple", "true_false")
Outcomes = list[tuple[Fraction, Fraction]]  # (probability, share of the question's marks)
Score = Callable[[Item, Option, bool], float]


def _statement(item: Item, option: Option, judged: Callable[[str], bool]) -> float:
    """On a true/false item, strategies that judge wording judge the statement itself."""
    return float(judged(item.stem) == (option.text.lower() == "true"))


def _middle(item: Item, option: Option, shuffled: bool) -> float:
    median = statistics.median(len(o.text) for o in item.options)
    return -abs(len(option.text) - median)


def _hedged(item: Item, option: Option, shuffled: bool) -> float:
    if item.type == "true_false":
        return _statement(item, option, lambda s: count_listed(s, HEDGE_WORDS) > 0)
    return count_listed(option.text, HEDGE_WORDS)


def _no_absolutes(item: Item, option: Option, shuffled: bool) -> float:
    if item.type == "true_false":
        return _statement(item, option, lambda s: count_listed(s, ABSOLUTE_WORDS) == 0)
    return -count_listed(option.text, ABSOLUTE_WORDS)


def _placed(sign: int) -> Score:
    # Shuffled options have no fixed place, so the strategy guesses among them.
    return lambda item, option, shuffled: 0 if shuffled else sign * option.position


def _always(answer: str) -> Score:
    # Only true/false items say True or False; elsewhere the strategy guesses.
    return lambda item, option, shuffled: float(option.text.lower() == answer)


STRATEGIES: dict[str, Score] = {
    "longest": lambda item, option, shuffled: len(option.text),
    "shortest": lambda item, option, shuffled: -len(option.text),
    "middle length": _middle,
    "most hedged": _hedged,
    "most overlap with stem": lambda item, option, shuffled: len(
        content_words(option.text) & content_words(item.stem)
    ),
    "first": _placed(-1),
    "last": _placed(1),
    "all true": _always("true"),
    "all false": _always("false"),
    "avoid absolutes": _no_absolutes,
}
RANDOM = "random"  # answers as ``guess`` does, so it must score the chance score


def _graded(item: Item, ticked: Sequence[Option]) -> Fraction:
    return grade_question(item.grading, [o.key for o in ticked]).fraction


def outcomes(item: Item, score: Score, shuffled: bool, ticks: int) -> Outcomes:
    """Tick the ``ticks`` best-scoring options (one unless multiple-select), ties at random."""
    if not item.has_choices:
        return [(Fraction(1), item.blind_share)]
    shuffled = shuffled and item.type != "true_false"
    want = min(ticks, len(item.options)) if item.type == "multiple" else 1
    scored = sorted(item.options, key=lambda o: -score(item, o, shuffled))
    cutoff = score(item, scored[want - 1], shuffled)
    sure = [o for o in scored if score(item, o, shuffled) > cutoff]
    tied = [o for o in scored if score(item, o, shuffled) == cutoff]
    picks = list(combinations(tied, want - len(sure)))
    return [(Fraction(1, len(picks)), _graded(item, sure + list(p))) for p in picks]


def guess(item: Item) -> Outcomes:
    """A blind guess: one option at random, or on multiple-select any set of options."""
    if not item.has_choices:
        return [(Fraction(1), item.blind_share)]
    if item.type != "multiple":
        sets = [(o,) for o in item.options]
    else:
        sets = [s for n in range(len(item.options) + 1) for s in combinations(item.options, n)]
    return [(Fraction(1, len(sets)), _graded(item, s)) for s in sets]


def chance(item: Item) -> Fraction:
    return sum((p * f for p, f in guess(item)), Fraction(0))


def expected(table: dict[str, Outcomes], items: Sequence[Item]) -> Fraction:
    marks = sum((i.points * sum(p * f for p, f in table[i.id]) for i in items), Fraction(0))
    return marks / sum(i.points for i in items)


@dataclass
class StrategyResult:
    name: str
    expected: float  # percent of marks over the pool
    by_type: dict[str, float]
    pass_once: float  # probability of passing one attempt
    note: str = ""


@dataclass
class PoolStats:
    asked: int
    types: Counter
    draw: int
    passing_score: int
    attempts: int | None
    shuffled: bool
    chance: float
    strategies: list[StrategyResult]
    cues: str = ""

    def within_attempts(self, pass_once: float) -> float:
        if self.attempts is None:
            return 1.0 if pass_once > 0 else 0.0
        return 1 - (1 - pass_once) ** self.attempts


def simulate(
    items: Sequence[Item], table: dict[str, Outcomes], draw: int, passing: int, seed: str
) -> float:
    """Share of simulated attempts that pass: draw, answer by the table, grade the total."""
    rng = random.Random(seed)
    # Floats in the loop (Fractions are slow); the tolerance absorbs their rounding, as
    # grading's exact comparison would pass a score that is exactly the mark.
    answers = {}
    for item in items:
        cumulative, total = [], 0.0
        for probability, share in table[item.id]:
            total += float(probability)
            cumulative.append((total, float(share) * item.points))
        answers[item.id] = cumulative
    passes = 0
    for _ in range(TRIALS):
        drawn = rng.sample(items, draw)
        marks = 0.0
        for item in drawn:
            cumulative = answers[item.id]
            pick = rng.random() if len(cumulative) > 1 else 0.0
            marks += next((m for c, m in cumulative if pick < c), cumulative[-1][1])
        passes += marks * 100 >= passing * sum(i.points for i in drawn) - 1e-9
    return passes / TRIALS


def pool_stats(
    items: Sequence[Item],
    *,
    draw: int | None,
    passing_score: int,
    attempts: int | None,
    shuffled: bool,
    seed: str,
) -> PoolStats:
    """Every strategy's expected score and pass probability on one quiz pool."""
    asked = [i for i in items if i.asks]
    multiple = Counter(len(i.keys) for i in asked if i.type == "multiple")
    # A learner who has seen other quizzes' answers knows how many boxes are usually ticked.
    ticks = max(sorted(multiple), key=lambda n: multiple[n]) if multiple else 1
    take = min(draw or len(asked), len(asked))
    types = Counter(i.type for i in asked)
    tables = {
        name: {i.id: outcomes(i, score, shuffled, ticks) for i in asked}
        for name, score in STRATEGIES.items()
    }
    tables[RANDOM] = {i.id: guess(i) for i in asked}
    results = []
    for name, table in tables.items():
        results.append(_result(name, table, asked, types, take, passing_score, seed))
    # On true/false "longest" is "False": when scores tie, name the plain strategy there, and
    # elsewhere the first listed (not "all true", which only guesses off true/false items).
    best_of = {
        kind: max(
            results,
            key=lambda r: (
                r.by_type.get(kind, 0),
                kind == "true_false" and r.name.startswith("all "),
            ),
        ).name
        for kind in sorted(types)
    }
    combined = {i.id: tables[best_of[i.type]][i.id] for i in asked}
    best = _result("best per type", combined, asked, types, take, passing_score, seed)
    best.note = ", ".join(f"{kind}: {name}" for kind, name in best_of.items())
    results.append(best)
    blind = sum((i.points * chance(i) for i in asked), Fraction(0)) / sum(i.points for i in asked)
    return PoolStats(
        len(asked),
        types,
        take,
        passing_score,
        attempts,
        shuffled,
        float(blind) * 100,
        results,
        cues(asked),
    )


def cues(asked: Sequence[Item]) -> str:
    """The pool's key-longest, key-shortest and true shares, as the closing notes report them."""
    longest, shortest, singles = key_extremes(asked)
    true, keyed = true_keys(asked)
    parts = []
    if singles:
        parts.append(
            f"key longest in {longest}/{singles}, shortest in {shortest}/{singles} "
            "single-choice items"
        )
    if keyed:
        parts.append(f"{true}/{keyed} true/false items keyed true")
    return "; ".join(parts)


def _result(
    name: str,
    table: dict[str, Outcomes],
    asked: Sequence[Item],
    types: Counter,
    take: int,
    passing: int,
    seed: str,
) -> StrategyResult:
    by_type = {
        kind: float(expected(table, [i for i in asked if i.type == kind])) * 100 for kind in types
    }
    return StrategyResult(
        name,
        float(expected(table, asked)) * 100,
        by_type,
        simulate(asked, table, take, passing, f"{seed}/{name}"),
    )


def render(title: str, stats: PoolStats) -> list[str]:
    """The table ``flask courses check --stats`` prints for one final."""
    kinds = ", ".join(f"{n} {k.replace('_', '/')}" for k, n in sorted(stats.types.items()))
    attempts = "unlimited" if stats.attempts is None else str(stats.attempts)
    lines = [
        f"{title}: pool of {stats.asked} ({kinds}), {stats.draw} drawn, pass mark "
        f"{stats.passing_score}%, {attempts} attempt(s), options "
        f"{'shuffled' if stats.shuffled else 'in file order'}",
        *([f"  {stats.cues}"] if stats.cues else []),
        f"  chance score (blind guessing): {stats.chance:.1f}%",
        f"  {'strategy':<24}{'expected':>9}{'pass once':>11}{'pass within ' + attempts:>22}",
    ]
    for result in stats.strategies:
        within = stats.within_attempts(result.pass_once)
        lines.append(
            f"  {result.name:<24}{result.expected:>8.1f}%{result.pass_once:>10.1%}{within:>22.1%}"
            + (f"  ({result.note})" if result.note else "")
        )
    return lines


def final_stats(course: CourseData, quiz: QuizData) -> list[str]:
    """``render`` for one loaded quiz, with its own draw, pass mark, attempts and shuffle."""
    stats = pool_stats(
        [item_from(q) for q in quiz.questions],
        draw=quiz.settings.get("draw"),
        passing_score=quiz.passing_score,
        attempts=quiz.max_attempts,
        shuffled=bool(quiz.settings.get("shuffle_choices")),
        seed=f"{course.meta.slug}/{quiz.name}",
    )
    return render(f"{course.meta.slug} {quiz.name}", stats)
