"""Keeping the item analysis's running totals (``ItemTotal``) in step with the answers.

Grading adds each answer to its row in one upsert; a regrade, which changes marks and
totals, rebuilds the quiz's rows from the answer rows with one aggregate. Both run inside the
caller's transaction, so the totals never disagree with the answers they sum.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Text, case, cast, func
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Answer, Attempt, AttemptStatus, ItemTotal, Quiz

THOUSAND = 1000
KEY = ["question_id", "first_attempt", "max_mark", "response"]
SUMS = ["n", "sum_mark", "sum_mark_sq", "sum_total", "sum_total_sq", "sum_mark_total"]


def _thousandths(value: Decimal) -> int:
    return int((value * THOUSAND).to_integral_value())


def add_attempt(attempt: Attempt, marks: Decimal, answers: Iterable[Answer]) -> None:
    """Add a just-graded attempt (its total ``marks``) and its answers; descriptions, worth
    nothing, are left out."""
    total = _thousandths(marks)
    rows = []
    for answer in answers:
        if answer.max_mark <= 0:
            continue
        mark = _thousandths(answer.mark)
        rows.append(
            {
                "quiz_id": attempt.quiz_id,
                "question_id": answer.question_id,
                "first_attempt": attempt.number == 1,
                "max_mark": answer.max_mark,
                "response": json.dumps(list(answer.chosen)),
                "n": 1,
                "sum_mark": mark,
                "sum_mark_sq": mark * mark,
                "sum_total": total,
                "sum_total_sq": total * total,
                "sum_mark_total": mark * total,
            }
        )
    if not rows:
        return
    # Submits share the quiz; a rebuild takes it alone (PostgreSQL row locks; SQLite writes
    # one at a time anyway), so a submit cannot add to rows a rebuild is replacing.
    _lock_quiz(attempt.quiz_id, exclusive=False)
    # One order for every writer, so concurrent upserts on PostgreSQL cannot deadlock.
    rows.sort(key=lambda r: (r["question_id"], r["first_attempt"], r["max_mark"], r["response"]))
    db.session.execute(_upsert(db.session.get_bind().dialect.name), rows)


@functools.cache
def _upsert(dialect_name: str) -> Any:
    """Add one answer to its row, or start the row: built once and run for all of an
    attempt's answers with executemany. A single INSERT of many VALUES rows was compiled
    afresh for every submit (a statement of that shape is never served from SQLAlchemy's
    cache), which cost a graded submit a third of its time."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(ItemTotal)
    return insert.on_conflict_do_update(
        index_elements=KEY,
        set_={name: getattr(ItemTotal, name) + insert.excluded[name] for name in SUMS},
    )


def _lock_quiz(quiz_id: int, exclusive: bool) -> None:
    db.session.execute(
        db.select(Quiz.id).where(Quiz.id == quiz_id).with_for_update(read=not exclusive)
    )


def _scaled(column: ColumnElement[Decimal | None]) -> ColumnElement[int]:
    return cast(func.round(column * THOUSAND), BigInteger)


def rebuild(quiz_id: int) -> None:
    """Recompute a quiz's totals from its graded answers (after a regrade)."""
    _lock_quiz(quiz_id, exclusive=True)
    db.session.execute(db.delete(ItemTotal).where(ItemTotal.quiz_id == quiz_id))
    first = case((Attempt.number == 1, True), else_=False)
    response = cast(Answer.chosen, Text)
    mark, total = _scaled(Answer.mark), _scaled(Attempt.marks)
    grouped = (
        db.select(
            Attempt.quiz_id,
            Answer.question_id,
            first,
            Answer.max_mark,
            response,
            func.count(),
            func.sum(mark),
            func.sum(mark * mark),
            func.sum(total),
            func.sum(total * total),
            func.sum(mark * total),
        )
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(
            Attempt.quiz_id == quiz_id,
            Attempt.status == AttemptStatus.GRADED,
            Answer.max_mark > 0,
        )
        .group_by(Attempt.quiz_id, Answer.question_id, first, Answer.max_mark, response)
    )
    db.session.execute(db.insert(ItemTotal).from_select(["quiz_id", *KEY, *SUMS], grouped))
