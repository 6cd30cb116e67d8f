"""The item analysis as CSV, safe to open in a spreadsheet.

Cells are made safe by ``eduapp.csvsafe`` (OWASP "CSV injection"); a negative
discrimination stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..csvsafe import csv_text
from ..quiz.analysis import QuestionAnalysis, QuizAnalysis

HEADER = (
    "Position",
    "Question",
    "Type",
    "Prompt",
    "Responses",
    "Facility %",
    "SD %",
    "Discrimination x100",
    "Flags",
    "Responses picked",
)


def hundredths(value: Fraction | Decimal | None) -> str:
    """A share as a percentage with two decimals, as Moodle's report; blank when undefined."""
    if value is None:
        return ""
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else value
    )
    return str((exact * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _picked(question: QuestionAnalysis) -> str:
    if question.choices:
        parts = [f"{c.key} {c.text}: {c.count}" for c in question.choices]
        if question.blank:
            parts.append(f"no answer: {question.blank}")
        return "; ".join(parts)
    return "; ".join(f"{r.key}: {r.count}" for r in question.top)


def _rows(analysis: QuizAnalysis) -> Iterable[tuple[str, ...]]:
    yield HEADER
    for q in analysis.questions:
        yield (
            str(q.number),
            q.key,
            q.type,
            q.prompt,
            str(q.stats.responses),
            hundredths(q.stats.facility),
            hundredths(q.stats.sd),
            hundredths(q.stats.discrimination),
            ", ".join(q.stats.flags),
            _picked(q),
        )


def analysis_csv(analysis: QuizAnalysis) -> str:
    return csv_text(_rows(analysis), bom=True)
