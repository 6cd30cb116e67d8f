"""A question as the learner meets it, for the editor's preview: the answer controls the quiz
page draws (from the same snapshot a real attempt takes, so nothing of the key shows there),
and what the result page reveals once the review policy lets it."""

from __future__ import annotations

from typing import Any

from ..content.data import QuestionData
from ..models import Choice, Question
from ..quiz.snapshot import question_snapshot


def learner_view(data: QuestionData) -> dict[str, Any]:
    """The snapshot the quiz page draws, and the key and feedback the review shows."""
    row = Question(
        key=data.key,
        type=data.type,
        points=data.points,
        prompt_html=data.prompt_html,
        explanation_html=data.explanation_html,
        references=list(data.references),
        spec=data.spec,
        choices=[
            Choice(
                key=c.key,
                position=c.position,
                text_html=c.text_html,
                is_correct=c.is_correct,
                feedback_html=c.feedback_html,
                fraction=c.fraction,
            )
            for c in data.choices
        ],
    )
    snapshot = question_snapshot(row)
    return {"question": snapshot, "key": _key(data)}


def _key(data: QuestionData) -> list[dict[str, Any]]:
    """Each right (and listed wrong) answer with its credit and feedback."""
    spec = data.spec
    if data.type in ("single", "multiple", "true_false"):
        return [
            {
                "html": c.text_html,
                "correct": c.is_correct,
                "credit": _credit(c.fraction, c.is_correct),
                "feedback_html": c.feedback_html,
            }
            for c in data.choices
        ]
    if data.type == "short":
        return [
            {
                "text": a["text"],
                "correct": float(a["fraction"] or 0) > 0,
                "credit": _credit(a["fraction"], True),
                "feedback_html": a["feedback_html"],
            }
            for a in spec["answers"]
        ]
    if data.type == "numeric":
        return [
            {
                "text": _range(a),
                "correct": float(a["fraction"] or 0) > 0,
                "credit": _credit(a["fraction"], True),
                "feedback_html": a["feedback_html"],
            }
            for a in spec["answers"]
        ]
    if data.type == "matching":
        return [
            {
                "text": f"{p['prompt']} → {p['answer']}",
                "correct": True,
                "credit": "",
                "feedback_html": "",
            }
            for p in spec["pairs"]
        ] + [
            {"text": f"{d} (matches nothing)", "correct": False, "credit": "", "feedback_html": ""}
            for d in spec["distractors"]
        ]
    if data.type == "ordering":
        return [
            {"text": f"{n}. {i['text']}", "correct": True, "credit": "", "feedback_html": ""}
            for n, i in enumerate(spec["items"], start=1)
        ]
    return []


def _credit(fraction: str | None, correct: bool) -> str:
    if fraction is None:
        return "full marks" if correct else "no marks"
    percent = float(fraction) * 100
    return f"{percent:g}% of the marks"


def _range(answer: dict[str, Any]) -> str:
    if answer.get("value") is not None:
        tolerance = answer.get("tolerance")
        return answer["value"] + (f" ± {tolerance}" if tolerance and tolerance != "0" else "")
    return f"from {answer['min']} to {answer['max']}"
