"""The item-writing lint on a draft's quizzes, read from the rows the studio edits.

A version imported from files records the lint's findings at import; a draft changes
question by question, so its findings are computed from its rows whenever they are shown
(beside each question as it is edited) and once more when it is published, never copied
from the version it started from. The rules are the files' (``content.lint``): the same
course-wide rare words, the same severity for a CE final.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import selectinload

from ..content.data import ChoiceData, QuestionData, QuizData
from ..content.lint import Finding, as_records, lint_quiz, rules
from ..content.lint.items import item_from
from ..extensions import db
from ..models import FINAL_KEY, CourseVersion, Question, Quiz


def question_data(row: Question) -> QuestionData:
    """A stored question as the lint (and the loader) see it; its line is its position."""
    return QuestionData(
        key=row.key,
        position=row.position,
        type=row.type,
        kind=row.kind,
        prompt_html=row.prompt_html,
        explanation_html=row.explanation_html,
        references=list(row.references or []),
        points=row.points,
        choices=[
            ChoiceData(c.key, c.position, c.text_html, c.is_correct, c.feedback_html, c.fraction)
            for c in sorted(row.choices, key=lambda c: c.position)
        ],
        line=row.position + 1,
        spec=row.spec or {},
        source=row.source or {},
    )


def _quizzes(version: CourseVersion) -> list[tuple[Quiz, list[QuestionData]]]:
    quizzes = list(
        db.session.execute(
            db.select(Quiz).filter_by(version_id=version.id, retired=False).order_by(Quiz.name)
        ).scalars()
    )
    by_quiz: dict[int, list[QuestionData]] = {q.id: [] for q in quizzes}
    if quizzes:
        for row in db.session.execute(
            db.select(Question)
            .where(Question.quiz_id.in_(by_quiz), Question.retired.is_(False))
            .options(selectinload(Question.choices))
            .order_by(Question.position)
        ).scalars():
            by_quiz[row.quiz_id].append(question_data(row))
    return [(q, by_quiz[q.id]) for q in quizzes]


def findings(
    version: CourseVersion,
    course_slug: str,
    *,
    edited: tuple[str, QuestionData] | None = None,
) -> list[Finding]:
    """Every finding on the version's quizzes. ``edited`` is (quiz key, question) not yet
    saved: the lint reads it in place of the stored question with its key (or at the end of
    the pool when it is new), so an author sees what a save would bring."""
    pools = _quizzes(version)
    if edited is not None:
        pools = [
            (q, _with(questions, edited[1]) if q.key == edited[0] else questions)
            for q, questions in pools
        ]
        if edited[0] not in {q.key for q, _ in pools}:
            pools.append((Quiz(key=edited[0], name=edited[0], title=""), [edited[1]]))
    items = {q.key: [item_from(d) for d in questions] for q, questions in pools}
    rare = rules.rare_words([i for found in items.values() for i in found])
    result: list[Finding] = []
    for quiz, questions in pools:
        data = QuizData(
            key=quiz.key,
            name=quiz.name,
            title=quiz.title,
            passing_score=quiz.passing_score or 0,
            max_attempts=quiz.max_attempts,
            questions=questions,
            file=quiz.name,
        )
        ce_final = version.ce_hours > 0 and quiz.key == FINAL_KEY
        result += lint_quiz(course_slug, data, items[quiz.key], rare, ce_final)
    return result


def _with(questions: list[QuestionData], edited: QuestionData) -> list[QuestionData]:
    if any(q.key == edited.key for q in questions):
        return [edited if q.key == edited.key else q for q in questions]
    last = questions[-1].position + 1 if questions else 0
    return [*questions, replace(edited, position=last, line=last + 1)]


def by_question(found: list[Finding], quiz_name: str) -> dict[str, list[Finding]]:
    """One quiz's findings by question id; findings about the whole pool under ``POOL``."""
    result: dict[str, list[Finding]] = {}
    for finding in found:
        if finding.quiz == quiz_name:
            result.setdefault(finding.question, []).append(finding)
    return result


def publish_problems(version: CourseVersion, course_slug: str) -> list[str]:
    """What in the draft's quizzes blocks publishing: a CE course with no final, and lint
    errors in a CE final (a cue that lets someone pass without reading) that the version it
    started from did not have; errors it had were accepted before and stay visible."""
    problems = []
    found = findings(version, course_slug)
    quizzes = _quizzes(version)
    if version.ce_hours > 0 and not any(q.key == FINAL_KEY and qs for q, qs in quizzes):
        problems.append("a CE course needs a final assessment with questions")
    for quiz, questions in quizzes:
        asked = sum(q.type != "description" for q in questions)
        if quiz.draw is not None and quiz.draw > asked:
            problems.append(
                f"“{quiz.title}” draws {quiz.draw} questions but has {asked}: lower its draw"
            )
    base = db.session.get(CourseVersion, version.base_id) if version.base_id else None
    accepted = {(r["quiz"], r["question"], r["rule"]) for r in (base.lint or [])} if base else set()
    for f in found:
        if f.severity == "error" and (f.quiz, f.question, f.rule) not in accepted:
            problems.append(f"the final's lint: {f.message} (fix: {f.fix})")
    return problems


def record(version: CourseVersion, course_slug: str) -> list[dict[str, Any]]:
    """The version's findings as it keeps them, computed from its rows."""
    return as_records(findings(version, course_slug))
