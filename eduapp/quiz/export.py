"""A quiz as stored, turned back into its quiz file (``flask quiz export``)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..content.schema import QuizFile
from ..models import Quiz
from .snapshot import live_questions


class ExportError(ValueError):
    """The stored quiz cannot be written out; the message says why and what to do."""


def quiz_file(quiz: Quiz) -> QuizFile:
    """The live (not retired) questions in order, with the quiz's settings as stored."""
    questions = live_questions(quiz)
    missing = [q.key for q in questions if q.source is None]
    if missing:
        raise ExportError(
            f"{len(missing)} question(s) were imported before sources were kept "
            f"({', '.join(missing[:3])}...); run `flask courses import` and export again"
        )
    settings: dict[str, Any] = {
        "title": quiz.title,
        "passing_score": quiz.passing_score,
        "max_attempts": quiz.max_attempts,
        "grading_method": quiz.grading_method,
        "review": quiz.review,
        "draw": quiz.draw,
        "shuffle_questions": quiz.shuffle_questions,
        "shuffle_choices": quiz.shuffle_choices,
        "wait_hours": quiz.wait_minutes / 60,
        "time_limit": quiz.time_limit_minutes,
    }
    try:
        return QuizFile.model_validate(
            {
                **{k: v for k, v in settings.items() if v is not None},
                "questions": [q.source for q in questions],
            }
        )
    except ValidationError as error:
        # Imported before a rule of the format was added (a two-item ordering question).
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise ExportError(
            f"the stored quiz breaks a rule of today's file format ({where}: {message}); "
            "fix the course file, run `flask courses import` and export again"
        ) from None
