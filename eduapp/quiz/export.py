"""A quiz as stored, turned back into its quiz file (``flask quiz export``)."""

from __future__ import annotations

from pydantic import ValidationError

from ..content.export import quiz_settings
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
    settings = quiz_settings(quiz)
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
