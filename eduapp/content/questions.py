"""A question from a quiz file, turned into rendered, snapshot-ready data (one place per type)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from . import markdown
from .data import ChoiceData, QuestionData
from .schema import QuestionFile


def _number(value: float | None) -> str | None:
    return None if value is None else format(Decimal(str(value)).normalize(), "f")


def _spec(question: QuestionFile) -> dict[str, Any]:
    """The answer key of a question without choices, in snapshot-ready form."""
    _html = partial(_render, markup=question.markup)
    if question.type == "short":
        return {
            "answers": [
                {
                    "text": a.text,
                    "fraction": _number(a.fraction),
                    "feedback_html": _html(a.feedback),
                }
                for a in question.text_answers()
            ],
            **_wrong(question),
        }
    if question.type == "numeric":
        return {
            **_wrong(question),
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
            ],
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


def _wrong(question: QuestionFile) -> dict[str, str]:
    """Feedback for an answer that matches none listed (GIFT's catch-all), when there is one."""
    if not question.feedback_wrong.strip():
        return {}
    return {"feedback_wrong_html": _render(question.feedback_wrong, markup=question.markup)}


def build_question(question: QuestionFile, position: int, line: int) -> QuestionData:
    _html = partial(_render, markup=question.markup)
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
                _render(c.text, markup=question.markup, inline=True),
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
        prompt_html=_render(question.prompt, markup=question.markup),
        explanation_html=_html(question.explanation),
        references=question.references,
        points=0 if question.type == "description" else question.points,
        choices=choices,
        line=line,
        spec=_spec(question),
        source=question.model_dump(mode="json", exclude_defaults=True),
    )


def _render(source: str, *, markup: str = "markdown", inline: bool = False) -> str:
    """Markdown rendered, or HTML (GIFT's ``[html]``) sanitised the same way."""
    if not source.strip():
        return ""
    if markup == "html":
        return markdown.sanitize(source)
    return markdown.render(source, inline=inline).html
