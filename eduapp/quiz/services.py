"""Attempts: start (or resume), submit and grade exactly once, and read back for review.

The two writes that must serialise begin with :func:`begin_write` (SQLite: ``BEGIN
IMMEDIATE``), and both are decided by the database, not by a check-then-write: a unique index
allows one open attempt per learner and quiz, numbering is unique per learner and quiz, and
grading is a conditional ``UPDATE ... WHERE status = 'in_progress'`` that only one request
can win.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ..clock import now
from ..database import begin_write
from ..extensions import db
from ..learn.quizstatus import QuizStatus, quiz_statuses
from ..learn.services import refresh_completion
from ..models import Answer, Attempt, AttemptStatus, Course, Question, Quiz, User
from . import itemtotals, tries
from .grading import AttemptResult, grade_attempt
from .saving import answers_that_count, grace, time_is_up, with_answers
from .snapshot import take_snapshot


class QuizError(Exception):
    """A rule stops this action; the message is for the learner."""


class AttemptLimitReached(QuizError):
    pass


class AlreadySubmitted(QuizError):
    pass


class MustWait(QuizError):
    """The quiz asks for a pause between attempts."""

    def __init__(self, ready: datetime) -> None:
        super().__init__("You can start your next attempt later.")
        self.ready = ready


class AttemptNotFound(QuizError):
    """No such attempt for this learner (someone else's is as good as missing)."""


def quiz_in_course(course: Course, key: str, version_id: int | None = None) -> Quiz | None:
    """A quiz of one version of the course (by default the newest published one, which is
    what instructors manage), by its key."""
    return db.session.execute(
        db.select(Quiz).filter_by(
            version_id=version_id or course.current_version_id, key=key, retired=False
        )
    ).scalar_one_or_none()


def question_count(quiz: Quiz) -> int:
    return db.session.scalar(
        db.select(func.count(Question.id)).filter_by(quiz_id=quiz.id, retired=False)
    )


def own_attempt(attempt_id: int, user: User) -> Attempt | None:
    """The attempt if it is this user's; someone else's is as good as missing (404)."""
    return db.session.execute(
        db.select(Attempt).filter_by(id=attempt_id, user_id=user.id)
    ).scalar_one_or_none()


def _open_attempt(user: User, quiz: Quiz) -> Attempt | None:
    return db.session.execute(
        db.select(Attempt).filter_by(
            user_id=user.id, quiz_id=quiz.id, status=AttemptStatus.IN_PROGRESS
        )
    ).scalar_one_or_none()


def start_attempt(user: User, quiz: Quiz) -> Attempt:
    """Resume the open attempt, or start the next one if the quiz allows another."""
    begin_write()
    existing = _open_attempt(user, quiz)
    if existing is not None and not time_is_up(existing):
        return existing
    if existing is not None:
        grade_and_record(existing, existing.responses)  # out of time: graded as saved
        db.session.flush()
    used, last = db.session.execute(
        db.select(func.count(Attempt.id), func.max(Attempt.submitted_at)).where(
            Attempt.user_id == user.id, Attempt.quiz_id.in_(tries.same_quiz(quiz))
        )
    ).one()
    extra_attempts, extra_minutes = tries.extras(user, quiz)
    if quiz.max_attempts is not None and used >= quiz.max_attempts + extra_attempts:
        # On PostgreSQL the count can include the last attempt, opened a moment ago by a
        # concurrent start of the same learner (committed after our first look): resume it.
        raced = _open_attempt(user, quiz)
        if raced is not None:
            return raced
        raise AttemptLimitReached(
            f"You have used all {quiz.max_attempts + extra_attempts} attempts allowed for this "
            "quiz."
        )
    ready = tries.next_attempt_at(quiz, last)
    if ready is not None and ready > now():
        raise MustWait(ready)
    started = now()
    attempt = Attempt(
        user_id=user.id,
        quiz_id=quiz.id,
        # Numbered across versions too: attempt 3 is the third try, whichever version.
        number=used + 1,
        snapshot=take_snapshot(quiz),
        responses={},
        started_at=started,
        deadline=started + timedelta(minutes=quiz.time_limit_minutes + extra_minutes)
        if quiz.time_limit_minutes
        else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # pragma: no cover - a concurrent start won (PostgreSQL only)
        raced = _open_attempt(user, quiz)
        if raced is None:
            raise AttemptLimitReached("Another attempt was just started; try again.") from None
        return raced
    return attempt


def parse_responses(form: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Form fields ``q-<question key>`` (one or several values) to {question key: [choices]}.

    Unknown question or choice keys are left for the grader, which refuses them.
    """
    return {name[2:]: list(values) for name, values in form.items() if name.startswith("q-")}


def _open_for_writing(attempt_id: int, user: User) -> Attempt:
    """The learner's own open attempt, in a transaction that holds the write lock."""
    begin_write()
    attempt = own_attempt(attempt_id, user)
    if attempt is None:
        raise AttemptNotFound(str(attempt_id))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AlreadySubmitted("This attempt was already submitted.")
    return attempt


def submit_attempt(
    attempt_id: int, user: User, responses: Mapping[str, Sequence[str]]
) -> tuple[Attempt, AttemptResult]:
    """Grade once. Raises AlreadySubmitted when another request got there first, AttemptNotFound
    when the attempt is not this user's, InvalidResponse when the answers were tampered with."""
    attempt = _open_for_writing(attempt_id, user)
    result = grade_and_record(attempt, answers_that_count(attempt, responses))
    db.session.refresh(attempt)
    return attempt, result


ANSWER_COLUMNS = ("attempt_id", "question_id", "position", "chosen", "mark", "max_mark", "correct")


def grade_and_record(attempt: Attempt, responses: Mapping[str, Sequence[str]]) -> AttemptResult:
    """Grade an open attempt once, store its answers and update the learner's completion.

    The conditional UPDATE is the guard: of several requests only one finds the attempt still
    in progress; the others raise AlreadySubmitted and write nothing.
    """
    result = grade_attempt(attempt.snapshot, responses)
    claimed = db.session.execute(
        db.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.IN_PROGRESS)
        .values(
            status=AttemptStatus.GRADED,
            submitted_at=now(),
            marks=result.marks,
            max_marks=result.max_marks,
            score=result.score,
            passed=result.passed,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise AlreadySubmitted("This attempt was already submitted.")
    record_answers(attempt, result)
    quiz = db.session.get_one(Quiz, attempt.quiz_id)
    course = db.session.get_one(Course, quiz.course_id)
    learner = db.session.get_one(User, attempt.user_id)
    refresh_completion(learner, course)
    return result


def record_answers(attempt: Attempt, result: AttemptResult) -> None:
    """Keep each graded answer, in the order asked, and count them into the quiz's item
    totals: everything a grade writes besides the attempt's own row, in one place, so item
    analysis reads the same rows however an attempt was graded."""
    by_key = {q["key"]: q for q in attempt.snapshot["questions"]}
    answers = [
        Answer(
            attempt_id=attempt.id,
            question_id=by_key[r.key]["question_id"],
            position=position,
            chosen=list(r.chosen),
            mark=r.mark,
            max_mark=r.max_mark,
            correct=r.correct,
        )
        for position, r in enumerate(result.questions)
    ]
    # One statement for all the answers (the ORM would insert them one at a time to learn
    # their ids, which nothing here needs); the objects stay out of the session.
    db.session.execute(
        db.insert(Answer),
        [{column: getattr(a, column) for column in ANSWER_COLUMNS} for a in answers],
    )
    itemtotals.add_attempt(attempt, result.marks, answers)


def status_for(user: User, quiz: Quiz) -> QuizStatus:
    return quiz_statuses([quiz], user)[quiz.id]


def answers_for(attempt: Attempt) -> dict[int, Answer]:
    return {
        a.question_id: a
        for a in db.session.execute(db.select(Answer).filter_by(attempt_id=attempt.id)).scalars()
    }


class TimeIsUp(QuizError):
    """The deadline (and its grace) has passed: nothing more is saved."""


def save_answers(attempt_id: int, user: User, responses: Mapping[str, Sequence[str]]) -> Attempt:
    """Keep answers as they are given, so a closed browser or a lost connection costs nothing.

    Only the questions sent are replaced; each is checked as the grader would, so a tampered
    value is refused here rather than discovered at the deadline.
    """
    attempt = _open_for_writing(attempt_id, user)
    if time_is_up(attempt):
        raise TimeIsUp("Time is up for this attempt; answers can no longer be saved.")
    saved = with_answers(attempt.snapshot, attempt.responses, responses, "this attempt")
    updated = db.session.execute(
        db.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.IN_PROGRESS)
        .values(responses=saved)
        .execution_options(synchronize_session=False)
    )
    if updated.rowcount != 1:  # pragma: no cover - graded between the read and the write
        raise AlreadySubmitted("This attempt was already submitted.")
    db.session.refresh(attempt)
    return attempt


def close_expired(at: datetime | None = None) -> list[Attempt]:
    """Grade, with what was saved, every open attempt whose time ran out (``flask quiz
    close-expired``). Each is its own transaction, so one failure does not block the rest."""
    moment = at or now()
    candidates = (
        db.session.execute(
            db.select(Attempt.id).where(
                Attempt.status == AttemptStatus.IN_PROGRESS,
                Attempt.deadline.is_not(None),
                Attempt.deadline < moment - grace(),
            )
        )
        .scalars()
        .all()
    )
    db.session.rollback()
    closed = []
    for attempt_id in candidates:
        begin_write()
        attempt = db.session.get(Attempt, attempt_id)
        try:
            if attempt is not None and attempt.status == AttemptStatus.IN_PROGRESS:
                grade_and_record(attempt, attempt.responses)
                closed.append(attempt)
            db.session.commit()
        except AlreadySubmitted:  # pragma: no cover - the learner submitted meanwhile
            db.session.rollback()
    return closed
