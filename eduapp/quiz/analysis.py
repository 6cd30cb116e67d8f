"""Item analysis of a quiz for instructors: SQL aggregates over the answers feed the pure
maths in :mod:`.itemstats`. No snapshot is loaded and no per-learner row leaves the database.

The answers are summed as they are graded into running totals (:mod:`.itemtotals`), so the
page reads a few rows per question whatever the number of attempts. The number of statements
is fixed too: the quiz's current questions (and their choices), one aggregate of the totals,
and one summary of the attempts counted.

Marks are summed as integer thousandths (marks are stored to three decimals), so the sums are
exact on SQLite, whose NUMERIC is a float, as well as on PostgreSQL. The rest-of-test score is
the attempt's stored total minus the answer's mark, as Moodle does; the total is the exact sum
rounded once, so with thirds of a mark it can differ from the sum of the rounded marks by a
thousandth or two, which moves no figure shown.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup
from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Attempt, AttemptStatus, ItemTotal, Question, Quiz
from .grading import CHOICE_TYPES, choice_fractions
from .itemstats import ChoiceCount, ItemStats, MarkSums, choice_counts, item_stats, top_responses
from .itemtotals import THOUSAND
from .tries import same_quiz

ATTEMPT_SETS = {"first": "first attempts", "all": "all graded attempts"}
# Typed answers are listed as given; matching and ordering responses are sets of pairings,
# which say little one by one, so for them the facility (share placed right) is the figure.
TEXT_TYPES = frozenset({"short", "numeric"})
TOP_RESPONSES = 5
PROMPT_CHARS = 90


@dataclass(frozen=True)
class ChoiceRow:
    key: str
    text: str
    credit: Fraction | None  # share of the marks this choice gives today; None: choice removed
    count: int
    share: Fraction


@dataclass
class QuestionAnalysis:
    number: int
    key: str
    type: str
    prompt: str
    stats: ItemStats
    choices: list[ChoiceRow] = field(default_factory=list)
    blank: int = 0
    top: list[ChoiceCount] = field(default_factory=list)

    @property
    def blank_share(self) -> Fraction:
        return Fraction(self.blank, self.stats.responses) if self.stats.responses else Fraction(0)


@dataclass
class QuizAnalysis:
    attempts_counted: str  # a key of ATTEMPT_SETS
    attempts: int
    mean_score: Decimal | None
    questions: list[QuestionAnalysis]

    @property
    def flagged(self) -> int:
        return sum(1 for q in self.questions if q.stats.flags)


def plain_text(html: str, limit: int = PROMPT_CHARS) -> str:
    """Sanitised HTML as one line of text, cut at a word with an ellipsis when too long."""
    text = Markup(html).striptags()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _counted(quiz: Quiz, which: str) -> list[ColumnElement[bool]]:
    """Which attempts count: graded ones of this quiz in any version of the course, only each
    learner's first by default."""
    conditions = [Attempt.quiz_id.in_(same_quiz(quiz)), Attempt.status == AttemptStatus.GRADED]
    if which == "first":
        conditions.append(Attempt.number == 1)
    return conditions


def _questions(quiz: Quiz) -> tuple[list[Question], list[Question]]:
    """Today's questions that ask something (descriptions carry no marks), in quiz order, and
    the rows of the same questions in the course's other versions, in one load."""
    rows = (
        db.session.execute(
            db.select(Question)
            .where(Question.quiz_id.in_(same_quiz(quiz)), Question.type != "description")
            .order_by(Question.position)
            .options(selectinload(Question.choices))
        )
        .scalars()
        .all()
    )
    today = [q for q in rows if q.quiz_id == quiz.id and not q.retired]
    return today, [q for q in rows if q.quiz_id != quiz.id]


def _identity(question: Question) -> tuple[object, ...]:
    """What the statistics of a question depend on: what it asks and what it credits (not its
    feedback or explanation, which a learner reads after answering)."""
    return (
        question.type,
        question.prompt_html,
        question.points,
        json.dumps(question.spec, sort_keys=True),
        tuple((c.key, c.text_html, c.is_correct, c.fraction) for c in question.choices),
    )


def _same_questions(questions: Sequence[Question], elsewhere: Sequence[Question]) -> dict[int, int]:
    """The question rows, in any version of the course, that ask exactly what one of today's
    asks, mapped to today's row: a version that only reworded another module keeps the item
    statistics of the questions it did not change."""
    today = {q.key: (q.id, _identity(q)) for q in questions}
    same = {q.id: q.id for q in questions}
    for row in elsewhere:
        current = today.get(row.key)
        if current is not None and _identity(row) == current[1]:
            same[row.id] = current[0]
    return same


def _grouped(
    quiz: Quiz, which: str, questions: Sequence[Question], elsewhere: Sequence[Question]
) -> tuple[dict[int, list[MarkSums]], dict[int, list[tuple[list[str], int]]]]:
    """Mark sums and counts per (question, max mark, response), from the running totals.

    The totals (:mod:`.itemtotals`) are the sums of the mark m and the attempt total t over the
    answers; the rest-of-test (o = t - m) sums follow exactly:
    sum(o) = sum(t) - sum(m), sum(o^2) = sum(t^2) - 2 sum(mt) + sum(m^2),
    sum(mo) = sum(mt) - sum(m^2).
    """
    listed = {q.id for q in questions if q.type in CHOICE_TYPES | TEXT_TYPES}
    same = _same_questions(questions, elsewhere)
    conditions = [ItemTotal.quiz_id.in_(same_quiz(quiz)), ItemTotal.question_id.in_(same)]
    if which == "first":
        conditions.append(ItemTotal.first_attempt.is_(True))
    rows = db.session.execute(
        db.select(
            ItemTotal.question_id,
            ItemTotal.max_mark,
            ItemTotal.response,
            func.sum(ItemTotal.n),
            func.sum(ItemTotal.sum_mark),
            func.sum(ItemTotal.sum_mark_sq),
            func.sum(ItemTotal.sum_total),
            func.sum(ItemTotal.sum_total_sq),
            func.sum(ItemTotal.sum_mark_total),
        )
        .where(*conditions)
        .group_by(ItemTotal.question_id, ItemTotal.max_mark, ItemTotal.response)
    ).all()
    totals: dict[tuple[int, Decimal], list[int]] = defaultdict(lambda: [0] * 6)
    responses: dict[int, list[tuple[list[str], int]]] = defaultdict(list)
    for row_id, max_mark, text, *figures in rows:
        qid = same[row_id]
        running = totals[(qid, max_mark)]
        for i, value in enumerate(figures):
            running[i] += int(value)
        if qid in listed:
            responses[qid].append((json.loads(text), int(figures[0])))
    sums: dict[int, list[MarkSums]] = defaultdict(list)
    for (qid, max_mark), (n, sm, smm, st, stt, smt) in totals.items():
        sums[qid].append(
            MarkSums(
                max_mark=Fraction(max_mark),
                n=n,
                sum_mark=Fraction(sm, THOUSAND),
                sum_mark_sq=Fraction(smm, THOUSAND**2),
                sum_other=Fraction(st - sm, THOUSAND),
                sum_other_sq=Fraction(stt - 2 * smt + smm, THOUSAND**2),
                sum_mark_other=Fraction(smt - smm, THOUSAND**2),
            )
        )
    return sums, responses


def _summary(quiz: Quiz, which: str) -> tuple[int, Decimal | None]:
    count, mean = db.session.execute(
        db.select(func.count(Attempt.id), func.avg(Attempt.score)).where(*_counted(quiz, which))
    ).one()
    return count, None if mean is None else Decimal(str(mean))


def _credits(question: Question) -> dict[str, Fraction]:
    """What each choice is worth under today's key (the grader's own rule)."""
    return choice_fractions(
        {
            "type": question.type,
            "choices": [
                {"key": c.key, "correct": c.is_correct, "fraction": c.fraction}
                for c in question.choices
            ],
        }
    )


def _analyse(
    number: int,
    question: Question,
    sums: list[MarkSums],
    responses: list[tuple[list[str], int]],
) -> QuestionAnalysis:
    stats = item_stats(sums)
    result = QuestionAnalysis(
        number, question.key, question.type, plain_text(question.prompt_html), stats
    )
    if question.type in TEXT_TYPES:
        result.top = top_responses(responses, stats.responses, TOP_RESPONSES)
    if question.type not in CHOICE_TYPES:
        return result
    credits = _credits(question)
    texts = {c.key: plain_text(c.text_html) for c in question.choices}
    counts, result.blank = choice_counts(
        [c.key for c in question.choices], responses, stats.responses
    )
    result.choices = [
        ChoiceRow(
            c.key,
            texts.get(c.key, "(a choice since removed)"),
            credits.get(c.key),
            c.count,
            c.share,
        )
        for c in counts
    ]
    return result


def analyse_quiz(quiz: Quiz, which: str = "first") -> QuizAnalysis:
    """The item analysis of a quiz's current questions over the chosen attempts."""
    if which not in ATTEMPT_SETS:
        raise ValueError(f"attempts must be one of {sorted(ATTEMPT_SETS)}")
    questions, elsewhere = _questions(quiz)
    sums, responses = _grouped(quiz, which, questions, elsewhere)
    attempts, mean = _summary(quiz, which)
    return QuizAnalysis(
        which,
        attempts,
        mean,
        [
            _analyse(i, q, sums.get(q.id, []), responses.get(q.id, []))
            for i, q in enumerate(questions, start=1)
        ],
    )
