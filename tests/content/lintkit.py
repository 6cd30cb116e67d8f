"""Small quizzes for the lint tests, written as quiz-file data and loaded the way the course
loader loads them, so the lint sees exactly what it sees on a real course."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from eduapp.content.lint.items import Item, item_from
from eduapp.content.questions import build_question
from eduapp.content.quizfiles import load_text

PROMPT = "Which option is right?"


def single(
    qid: str, key: str, distractors: list[str], prompt: str = PROMPT, **extra: Any
) -> dict[str, Any]:
    choices = [{"id": "a", "text": key, "correct": True}]
    choices += [{"id": chr(ord("b") + i), "text": d} for i, d in enumerate(distractors)]
    return {"id": qid, "type": "single", "prompt": prompt, "choices": choices, **extra}


def multiple(qid: str, options: list[tuple[str, bool]], prompt: str = PROMPT) -> dict[str, Any]:
    choices = [
        {"id": chr(ord("a") + i), "text": text, "correct": correct}
        for i, (text, correct) in enumerate(options)
    ]
    return {"id": qid, "type": "multiple", "prompt": prompt, "choices": choices}


def true_false(qid: str, statement: str, answer: bool) -> dict[str, Any]:
    return {"id": qid, "type": "true_false", "prompt": statement, "answer": answer}


def quiz_text(questions: list[dict[str, Any]], **settings: Any) -> str:
    return yaml.safe_dump({"title": "Quiz", **settings, "questions": questions}, sort_keys=False)


def items_from_text(text: str, kind: str = "yaml") -> list[Item]:
    loaded = load_text(text, f"quiz.{kind}", kind, "quiz")
    return [
        item_from(build_question(q, i, loaded.lines[i]))
        for i, q in enumerate(loaded.quiz.questions)
    ]


def items(*questions: dict[str, Any]) -> list[Item]:
    return items_from_text(quiz_text(list(questions)))


def item(question: dict[str, Any]) -> Item:
    return items(question)[0]


CUED = Path(__file__).resolve().parents[1] / "fixtures" / "lint"
SHIPPED = Path(__file__).resolve().parents[2] / "courses"


def cued_course(into: Path) -> Path:
    """A copy of a shipped CE course whose final and first module quiz are the pre-rewrite
    versions (issue 11), kept as fixtures: real-sized pools that trip the pool rules, so the
    lint's tests do not depend on the shipped quizzes staying cued. The catalogue's
    evidence.yml comes along, since the course's callouts name the claims registered there."""
    course = into / "massage-safety"
    shutil.copytree(SHIPPED / "massage-safety", course)
    # Its evidence callouts name claims, which live beside the course folders; only the
    # claims this course grades come along, so none is reported as graded nowhere.
    used = {
        match.group(1)
        for module in course.glob("*.md")
        for match in re.finditer(r"^::: evidence (\S+)", module.read_text("utf-8"), re.M)
    }
    registry = yaml.safe_load((SHIPPED / "evidence.yml").read_text("utf-8"))
    registry["claims"] = {k: v for k, v in registry["claims"].items() if k in used}
    (into / "evidence.yml").write_text(yaml.safe_dump(registry, sort_keys=False), "utf-8")
    shutil.copyfile(CUED / "cued-final.quiz.yml", course / "final.quiz.yml")
    shutil.copyfile(CUED / "cued-module.quiz.yml", course / "01-risk-profile.quiz.yml")
    return course
