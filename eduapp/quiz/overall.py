"""A quiz's grade across a learner's graded attempts, by the quiz's grading method. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class GradedAttempt:
    number: int
    score: Decimal
    passed: bool


def quiz_grade(
    method: str, attempts: Sequence[GradedAttempt], passing_score: int
) -> tuple[Decimal | None, bool]:
    """The quiz's grade across graded attempts, and whether it is a pass.

    ``highest``, ``first`` and ``last`` take one attempt's score and its own pass/fail, decided
    against the pass mark frozen in that attempt. ``average`` has no single attempt, so its
    mean is compared with the quiz's pass mark.
    """
    if not attempts:
        return None, False
    ordered = sorted(attempts, key=lambda a: a.number)
    if method == "average":
        mean = sum((a.score for a in ordered), Decimal(0)) / len(ordered)
        mean = mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return mean, mean >= passing_score
    if method == "first":
        chosen = ordered[0]
    elif method == "last":
        chosen = ordered[-1]
    else:
        chosen = max(ordered, key=lambda a: (a.passed, a.score))
    return chosen.score, chosen.passed
