"""The snapshot an attempt freezes at its start: which questions, in which order, with which
key. Everything the learner sees and is graded against comes from here, never from the live
question bank, so later edits of a course cannot change a past attempt."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Question, Quiz

_random = random.SystemRandom()


def _shuffled(items: list[Any]) -> list[Any]:
    """A random order that is never the original one (which would give the answer away)."""
    if len(items) < 2:
        return list(items)
    while True:
        order = list(items)
        _random.shuffle(order)
        if order != items:
            return order


def question_snapshot(q: Question) -> dict[str, Any]:
    """What an attempt keeps of one question: everything its pages and its grading need, so a
    later edit changes no past attempt. The studio's preview draws from the same shape."""
    snap: dict[str, Any] = {
        "question_id": q.id,
        "key": q.key,
        "type": q.type,
        "points": q.points,
        "prompt_html": q.prompt_html,
        "explanation_html": q.explanation_html,
        "references": list(q.references),
        "choices": [
            {
                "key": c.key,
                "text_html": c.text_html,
                "feedback_html": c.feedback_html,
                "correct": c.is_correct,
                "fraction": c.fraction,
            }
            for c in q.choices
        ],
    }
    spec = q.spec or {}
    if q.type in ("short", "numeric"):
        snap["answers"] = spec["answers"]
        snap["feedback_wrong_html"] = spec.get("feedback_wrong_html", "")
    elif q.type == "matching":
        answers = [p["answer"] for p in spec["pairs"]] + spec["distractors"]
        # Options are listed alphabetically, so their order says nothing about the pairs.
        options = [{"key": f"o{i}", "text": t} for i, t in enumerate(sorted(answers), start=1)]
        by_text = {o["text"]: o["key"] for o in options}
        snap["stems"] = [{"key": p["key"], "text": p["prompt"]} for p in spec["pairs"]]
        snap["options"] = options
        snap["pairs"] = {p["key"]: by_text[p["answer"]] for p in spec["pairs"]}
    elif q.type == "ordering":
        snap["order"] = [i["key"] for i in spec["items"]]
        snap["items"] = _shuffled(spec["items"])
    return snap


def _groups(questions: Sequence[Question]) -> list[list[Question]]:
    """A description and the questions after it form a group that is drawn and moved as one."""
    groups: list[list[Question]] = []
    for question in questions:
        if groups and groups[-1][0].type == "description" and question.type != "description":
            groups[-1].append(question)
        else:
            groups.append([question])
    return groups


def choose_questions(quiz: Quiz, questions: Sequence[Question]) -> list[Question]:
    """Apply the quiz's draw and shuffle settings: the result is frozen in the snapshot."""
    groups = _groups(questions)
    if quiz.draw is not None:
        asked = [q for g in groups for q in g if q.type != "description"]
        drawn = set(_random.sample([q.id for q in asked], min(quiz.draw, len(asked))))
        groups = [
            [q for q in g if q.type == "description" or q.id in drawn]
            for g in groups
            if any(q.id in drawn for q in g)
        ]
    if quiz.shuffle_questions:
        _random.shuffle(groups)
    return [q for g in groups for q in g]


def live_questions(quiz: Quiz) -> list[Question]:
    """The quiz's questions as it asks them now, in their order, with their choices: what a
    snapshot draws from and what its files and the studio's editor show (retired ones stay
    in the bank only for the past attempts that point at them)."""
    return list(
        db.session.execute(
            db.select(Question)
            .filter_by(quiz_id=quiz.id, retired=False)
            .order_by(Question.position)
            .options(selectinload(Question.choices))
        ).scalars()
    )


def take_snapshot(quiz: Quiz) -> dict[str, Any]:
    """Everything the learner is shown and graded against, frozen at the start."""
    snapshots = [question_snapshot(q) for q in choose_questions(quiz, live_questions(quiz))]
    if quiz.shuffle_choices:
        for snap in snapshots:
            if snap["type"] in ("single", "multiple"):
                _random.shuffle(snap["choices"])
    return {
        "title": quiz.title,
        "passing_score": quiz.passing_score,
        "questions": snapshots,
    }
