"""A question from a quiz file, turned into rendered, snapshot-ready data (one place per type)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import markdown
from .data import ChoiceData, QuestionData
from .schema import QuestionFile


def _number(value: float | None) -> str | None:
    return None if value is None else format(Decimal(str(value)).normalize(), "f")


def _spec(question: QuestionFile) -> dict[str, Any]:
    """The answer key of a question without choices, in snapshot-ready form."""
    if question.type == "short":
        return {
            "answers": [
                {
                    "text": a.text,
                    "fraction": _number(a.fraction),
                    "feedback_html": _html(a.feedback),
                }
                for a in question.text_answers()
            ]
        }
    if question.type == "numeric":
        return {
            "answers": [
                {
                    "value": _number(a.value),
                    "tolerance": _number(a.tolerance),
                    "min": _number(a.min),
                    "max": _number(a.max),
                    "fraction": _number(a.fraction),
                    "feedback_html": _html(a.feedback),
                }
                for a in question.numeric_answers()
            ]
        }
    if question.type == "matching":
        return {
            "pairs": [
                {"key": p.id, "prompt": p.prompt, "answer": p.answer} for p in question.pairs or []
            ],
            "distractors": list(question.distractors or []),
        }
    if question.type == "ordering":
        return {"items": [{"key": i.id, "text": i.text} for i in question.items or []]}
    return {}


def build_question(question: QuestionFile, position: int, line: int) -> QuestionData:
    if question.type == "true_false":
        choices = [
            ChoiceData("true", 0, "True", question.answer is True, _html(question.feedback_true)),
            ChoiceData(
                "false", 1, "False", question.answer is False, _html(question.feedback_false)
            ),
        ]
    else:
        choices = [
            ChoiceData(
                c.id,
                i,
                markdown.render(c.text, inline=True).html,
                c.is_correct,
                _html(c.feedback),
                _number(c.fraction),
            )
            for i, c in enumerate(question.choices or [])
        ]
    return QuestionData(
        key=question.id,
        position=position,
        type=question.type,
        kind=question.kind,
        prompt_html=markdown.render(question.prompt).html,
        explanation_html=_html(question.explanation),
        references=question.references,
        points=0 if question.type == "description" else question.points,
        choices=choices,
        line=line,
        spec=_spec(question),
    )


def _html(source: str) -> str:
    return markdown.render(source).html if source.strip() else ""
