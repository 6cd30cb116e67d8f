"""Item analysis as Moodle computes it (quiz statistics, ``question/classes/statistics``), as
pure functions of per-question sums. No app, no database.

For each question the database hands over sufficient statistics: the number of answers and
the sums of ``mark``, ``mark²``, ``other``, ``other²`` and ``mark·other``, where ``other`` is
the rest-of-test score (the attempt's total minus this question's mark). From those:

- facility = mean(mark) / max mark;
- SD = sample standard deviation (n - 1) of mark / max mark, i.e. as a share of the max;
- discrimination index = cov(mark, other) / sqrt(var(mark) · var(other)), n - 1 denominators,
  the corrected item-rest correlation (Moodle shows it x 100; we keep the fraction).

Everything stays an exact :class:`~fractions.Fraction` until a square root is needed; flags are
decided on exact values, so a facility of exactly 90% is not "too easy".

A question whose points changed between attempts has answers with different max marks; each
mark is first scaled to a share of its own max (which leaves every statistic unchanged when the
max is the same for all, as it normally is).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction

TOO_EASY = Fraction(9, 10)
TOO_HARD = Fraction(3, 10)
LOW_DISCRIMINATION = Fraction(1, 4)
PRECISION = Context(prec=28)

# Flags, in the words the page shows (not only a colour).
FLAG_TOO_EASY = "too easy"
FLAG_TOO_HARD = "too hard"
FLAG_LOW = "does not discriminate"
FLAG_NEGATIVE = "discriminates negatively"


@dataclass(frozen=True)
class MarkSums:
    """The sums for one question's answers that share one max mark (what SQL aggregates)."""

    max_mark: Fraction
    n: int
    sum_mark: Fraction
    sum_mark_sq: Fraction
    sum_other: Fraction
    sum_other_sq: Fraction
    sum_mark_other: Fraction


@dataclass(frozen=True)
class ItemStats:
    responses: int
    facility: Fraction | None  # 0..1; None without responses
    sd: Decimal | None  # share of the max mark; None with fewer than two responses
    discrimination: Decimal | None  # -1..1; None when undefined (n < 2 or no spread)
    flags: tuple[str, ...]


def _decimal(value: Fraction) -> Decimal:
    return PRECISION.divide(Decimal(value.numerator), Decimal(value.denominator))


def sqrt(value: Fraction) -> Decimal:
    """The square root of a non-negative fraction, to 28 significant digits."""
    return _decimal(value).sqrt(PRECISION)


def _scaled(
    groups: Iterable[MarkSums],
) -> tuple[int, Fraction, Fraction, Fraction, Fraction, Fraction]:
    """Combine groups into sums of x = mark / max (a share of the max), plus the other sums."""
    n, sx, sxx, so, soo, sxo = 0, Fraction(0), Fraction(0), Fraction(0), Fraction(0), Fraction(0)
    for g in groups:
        if g.max_mark <= 0 or g.n == 0:
            continue  # a zero-point item asks nothing that can be analysed
        n += g.n
        sx += g.sum_mark / g.max_mark
        sxx += g.sum_mark_sq / g.max_mark**2
        so += g.sum_other
        soo += g.sum_other_sq
        sxo += g.sum_mark_other / g.max_mark
    return n, sx, sxx, so, soo, sxo


def item_stats(groups: Iterable[MarkSums]) -> ItemStats:
    n, sx, sxx, so, soo, sxo = _scaled(groups)
    if n == 0:
        return ItemStats(0, None, None, None, ())
    facility = sx / n
    flags = []
    if facility > TOO_EASY:
        flags.append(FLAG_TOO_EASY)
    elif facility < TOO_HARD:
        flags.append(FLAG_TOO_HARD)
    if n < 2:
        return ItemStats(n, facility, None, None, tuple(flags))
    # n(n-1) times the variances and covariance: the same factor cancels in the correlation.
    var_x = n * sxx - sx * sx
    var_o = n * soo - so * so
    cov = n * sxo - sx * so
    sd = sqrt(var_x / (n * (n - 1)))
    discrimination = None
    if var_x > 0 and var_o > 0:
        discrimination = PRECISION.divide(_decimal(cov), sqrt(var_x * var_o))
        if cov < 0:
            flags.append(FLAG_NEGATIVE)
        elif cov * cov < LOW_DISCRIMINATION**2 * var_x * var_o:
            flags.append(FLAG_LOW)
    return ItemStats(n, facility, sd, discrimination, tuple(flags))


@dataclass(frozen=True)
class ChoiceCount:
    key: str
    count: int
    share: Fraction  # of the responses to the question


def choice_counts(
    choice_keys: Sequence[str], responses: Iterable[tuple[Sequence[str], int]], total: int
) -> tuple[list[ChoiceCount], int]:
    """How many responses picked each choice, and how many picked none.

    ``responses`` are (chosen keys, how many answers chose exactly that). A multiple-answer
    response counts once for each choice it picked, so shares may add up to more than 100%.
    Keys no longer offered (a removed choice) are listed after the current ones.
    """
    counts = dict.fromkeys(choice_keys, 0)
    blank = 0
    for chosen, count in responses:
        if not chosen:
            blank += count
        for key in dict.fromkeys(chosen):
            counts[key] = counts.get(key, 0) + count
    share = (lambda c: Fraction(c, total)) if total else (lambda c: Fraction(0))
    return [ChoiceCount(k, c, share(c)) for k, c in counts.items()], blank


def top_responses(
    responses: Iterable[tuple[Sequence[str], int]], total: int, limit: int = 5
) -> list[ChoiceCount]:
    """The most frequent non-blank responses as given (ties in alphabetical order)."""
    merged: dict[str, int] = {}
    for chosen, count in responses:
        text = ", ".join(chosen)
        if text:
            merged[text] = merged.get(text, 0) + count
    ranked = sorted(merged.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [ChoiceCount(t, c, Fraction(c, total) if total else Fraction(0)) for t, c in ranked]
