"""Starting, submitting and scoring practice exams. No request, no current_user, no commit.

A practice exam is graded by the quizzes' own grading (``quiz.grading``) from its snapshot,
exactly once (a conditional update on ``submitted_at``), and writes only its own row: no
attempt, answer, item total, grade, wait, completion or certificate changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..clock import now
from ..extensions import db
from ..models import PracticeExam, User
from ..quiz.grading import grade_question, percent, to_decimal
from ..quiz.review import ReviewItem, review_item
from ..quiz.saving import answers_that_count, time_is_up, with_answers
from ..quiz.snapshot import question_snapshot
from . import draw
from .blueprint import SIZES, Blueprint

# How an area's share of marks reads (percent): at least STRONG is strong, at least
# BORDERLINE is borderline, below it needs work. An area with fewer than FEW questions is
# marked as too few to tell, whatever its score.
STRONG, BORDERLINE, FEW = Decimal(80), Decimal(60), 5


class PracticeError(Exception):
    """Why a practice exam was not started or submitted, in words for the learner."""


def open_exam(user: User) -> PracticeExam | None:
    """The learner's practice exam not yet submitted, if any (one at a time)."""
    return db.session.execute(
        db.select(PracticeExam).where(
            PracticeExam.user_id == user.id, PracticeExam.submitted_at.is_(None)
        )
    ).scalar_one_or_none()


def own_exam(exam_id: int, user: User) -> PracticeExam | None:
    """Someone else's exam is as absent as one that does not exist."""
    exam = db.session.get(PracticeExam, exam_id)
    return exam if exam is not None and exam.user_id == user.id else None


def start(user: User, blueprint: Blueprint, size: int, timed: bool) -> PracticeExam:
    """Draw a new exam by ``blueprint`` for the learner."""
    if size not in SIZES:
        raise PracticeError("Choose 50 or 100 questions.")
    if open_exam(user) is not None:
        raise PracticeError("You have a practice exam in progress: finish it first.")
    drawn = draw.draw(blueprint, size, draw.eligible(user))
    if not drawn.items:
        raise PracticeError(
            "No questions are open to you for practice yet: the catalogue's module quizzes "
            "show their answers once you have taken them."
        )
    titles = {a.id: a.title for a in blueprint.areas}
    questions = []
    for number, (area, candidate) in enumerate(drawn.items, start=1):
        snap = question_snapshot(candidate.question)
        snap.update(
            key=f"p{number}",
            source_key=candidate.question.key,
            area=area,
            course=candidate.course.title,
            course_slug=candidate.course.slug,
            module=candidate.module.title if candidate.module else "",
            module_slug=candidate.module.slug if candidate.module else "",
        )
        questions.append(snap)
    started = now()
    exam = PracticeExam(
        user_id=user.id,
        blueprint=blueprint.slug,
        size=size,
        timed=timed,
        started_at=started,
        deadline=(
            started + timedelta(minutes=round(len(questions) * blueprint.minutes_per_question))
            if timed
            else None
        ),
        snapshot={
            "title": blueprint.title,
            "checked": blueprint.checked.isoformat(),
            "areas": [{"id": a, "title": t} for a, t in titles.items()],
            "short": {a: list(n) for a, n in drawn.short.items()},
            "questions": questions,
        },
        responses={},
    )
    db.session.add(exam)
    db.session.flush()
    return exam


@dataclass
class AreaScore:
    id: str
    title: str
    asked: int
    marks: Decimal
    max_marks: Decimal
    score: Decimal
    band: str  # strong, borderline, needs-work, too-few


def _band(score: Decimal, asked: int) -> str:
    if asked < FEW:
        return "too-few"
    if score >= STRONG:
        return "strong"
    return "borderline" if score >= BORDERLINE else "needs-work"


class TimeIsUp(PracticeError):
    """The timed exam's deadline (and its grace) has passed: nothing more is saved."""


def save_answers(exam: PracticeExam, responses: Mapping[str, Sequence[str]]) -> None:
    """Keep answers as they are given (the quiz page's script posts each change), so a timed
    exam that runs out is scored on what was answered in time. Each answer is checked as the
    grader would, so a value no form offers is refused here."""
    if exam.submitted_at is not None:
        raise PracticeError("This practice exam was already submitted.")
    if time_is_up(exam):
        raise TimeIsUp("Time is up for this practice exam; answers can no longer be saved.")
    saved = with_answers(exam.snapshot, exam.responses, responses, "this exam")
    db.session.execute(
        db.update(PracticeExam)
        .where(PracticeExam.id == exam.id, PracticeExam.submitted_at.is_(None))
        .values(responses=saved)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(exam)


def submit(exam: PracticeExam, responses: Mapping[str, Sequence[str]]) -> bool:
    """Grade the exam once; False if it was already submitted (a second click, another tab).
    Past a timed exam's deadline and grace, only the answers saved in time count."""
    keys = {q["key"] for q in exam.snapshot["questions"]}
    counted = answers_that_count(exam, responses)
    answered = {k: list(v) for k, v in counted.items() if k in keys}
    graded = {
        q["key"]: grade_question(q, answered.get(q["key"], ())) for q in exam.snapshot["questions"]
    }
    marks = sum((r.exact_mark for r in graded.values()), Fraction(0))
    max_marks = Fraction(sum(r.points for r in graded.values()))
    results = {
        "questions": {
            key: {
                "mark": str(r.mark),
                "max": str(r.max_mark),
                "correct": r.correct,
                "chosen": list(r.chosen),  # as the grader read them (blank selects dropped)
            }
            for key, r in graded.items()
        },
    }
    stamp = now()
    done = db.session.execute(
        db.update(PracticeExam)
        .where(PracticeExam.id == exam.id, PracticeExam.submitted_at.is_(None))
        .values(
            submitted_at=stamp,
            responses=answered,
            results=results,
            score=percent(marks, max_marks),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(exam)
    return bool(done.rowcount)


def area_scores(exam: PracticeExam) -> list[AreaScore]:
    """Each area's share of the marks, in the blueprint's order."""
    results = (exam.results or {}).get("questions", {})
    totals: dict[str, list[Fraction]] = {}
    for question in exam.snapshot["questions"]:
        got = results.get(question["key"])
        if got is None:
            continue
        entry = totals.setdefault(question["area"], [Fraction(0), Fraction(0), Fraction(0)])
        entry[0] += Fraction(got["mark"])
        entry[1] += Fraction(got["max"])
        entry[2] += 1
    scores = []
    for area in exam.snapshot["areas"]:
        marks, maximum, asked = totals.get(area["id"], [Fraction(0), Fraction(0), Fraction(0)])
        score = percent(marks, maximum)
        scores.append(
            AreaScore(
                area["id"],
                area["title"],
                int(asked),
                to_decimal(marks),
                to_decimal(maximum),
                score,
                _band(score, int(asked)),
            )
        )
    return scores


def missed(exam: PracticeExam) -> list[dict[str, Any]]:
    """The snapshot's questions the learner did not get fully right, in exam order."""
    results = (exam.results or {}).get("questions", {})
    return [q for q in exam.snapshot["questions"] if not results.get(q["key"], {}).get("correct")]


@dataclass(frozen=True)
class _Answered:
    """What the result page's review reads of an answer (an ``Answer`` row's fields)."""

    chosen: list[str]
    correct: bool
    mark: Decimal
    max_mark: Decimal


def review_items(exam: PracticeExam) -> dict[str, ReviewItem]:
    """Each question as the quiz result page reviews it, key shown: a practice exam draws
    only questions whose keys the learner may already see."""
    results = (exam.results or {}).get("questions", {})
    items = {}
    for question in exam.snapshot["questions"]:
        got = results.get(
            question["key"], {"mark": "0", "max": question["points"], "correct": False}
        )
        answer = _Answered(
            list(got.get("chosen", [])),
            bool(got["correct"]),
            Decimal(got["mark"]),
            Decimal(str(got["max"])),
        )
        items[question["key"]] = review_item(question, answer)
    return items


def over_time(exam: PracticeExam) -> timedelta | None:
    """How late a timed exam was submitted, if it was (a practice exam is graded anyway)."""
    if exam.deadline is None or exam.submitted_at is None or exam.submitted_at <= exam.deadline:
        return None
    return exam.submitted_at - exam.deadline
