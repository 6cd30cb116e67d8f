"""The question editor's form, without an app: every question the catalogue ships, shown in
the form and posted back unchanged, reads as the same question (so the editor can open and
save any of them without loss), and errors land beside the field they are about."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from eduapp.content.data import QuestionData
from eduapp.content.loader import load_catalogue
from eduapp.content.questions import build_question
from eduapp.content.quizschema import QuestionFile
from eduapp.studio import question_form
from eduapp.studio.question_form import QuestionForm

CATALOGUE = Path(__file__).resolve().parents[2] / "courses"
GIFT = Path(__file__).resolve().parents[1] / "fixtures" / "gift"


@cache
def shipped() -> list[tuple[str, dict[str, Any], set[str]]]:
    """(where, question source, the course's reference ids) for every shipped question."""
    found = []
    for folder in (CATALOGUE, GIFT):
        for course in load_catalogue(folder):
            references = {r.id for r in course.meta.references}
            for quiz in course.quizzes:
                for question in quiz.questions:
                    found.append((f"{quiz.file}:{question.key}", question.source, references))
    return found


def posted(form: QuestionForm) -> MultiDict[str, str]:
    """What a browser posts for the form as the editor draws it, untouched."""
    data: MultiDict[str, str] = MultiDict()
    for name, value in form.values.items():
        if name == "answer" and form.type != "true_false":
            continue
        data.add(name, value)
    for reference in form.references:
        data.add("references", reference)
    if form.name:
        data.add("name", form.name)
    data.add("markup", form.markup)
    for index, row in enumerate(form.rows):
        for column in form.row_fields:
            if column == "correct":
                if row.get("correct") == "on":
                    data.add(
                        "correct" if form.type == "single" else f"row-{index}-correct",
                        str(index) if form.type == "single" else "on",
                    )
                continue
            if column == "id" and not row.get("id"):
                continue
            data.add(f"row-{index}-{column}", row.get(column, ""))
    return data


def as_learners_meet_it(question: QuestionFile | dict[str, Any]) -> QuestionData:
    """The question as built for the database and attempts (how it is written aside: a
    choice with a credit may or may not also say ``correct``, to the same effect)."""
    if isinstance(question, dict):
        question = QuestionFile.model_validate(question)
    return replace(build_question(question, 0, 1), source={})


def test_every_shipped_question_survives_the_editor_unchanged() -> None:
    questions = shipped()
    assert len(questions) > 300  # the whole catalogue, every type
    assert {s["type"] for _, s, _ in questions} >= set(question_form.TYPES) - {"numeric"}
    for where, source, references in questions:
        form = question_form.from_source(source)
        again = question_form.from_post(posted(form), source["type"])
        checked = question_form.check(again, set(), references)
        assert checked is not None, (where, again.errors)
        assert as_learners_meet_it(checked) == as_learners_meet_it(source), where


def test_a_numeric_question_with_a_range_and_a_tolerance_survives_unchanged() -> None:
    source = {
        "id": "session-length",
        "type": "numeric",
        "prompt": "How many minutes?",
        "answers": [
            {"value": 60.0, "tolerance": 5.0, "feedback": "Right."},
            {"min": 30.0, "max": 50.0, "fraction": 0.5},
        ],
        "feedback_wrong": "About an hour.",
    }
    form = question_form.from_source(source)
    checked = question_form.check(question_form.from_post(posted(form), "numeric"), set(), set())
    assert checked == QuestionFile.model_validate(source)


def form_of(kind: str, **fields: str) -> QuestionForm:
    return question_form.from_post(MultiDict(fields), kind)


def test_blank_rows_are_dropped_and_errors_point_at_the_row_they_are_about() -> None:
    form = form_of(
        "multiple",
        prompt="Which?",
        **{
            "row-0-text": "",
            "row-1-text": "Yes",
            "row-1-correct": "on",
            "row-2-text": "",
            "row-3-text": "",
            "row-3-feedback": "A row with feedback only",
        },
    )
    assert question_form.check(form, set(), set()) is None
    assert form.errors == {"row-3-text": ["Write something here."]}


def test_a_credit_on_some_choices_shares_full_marks_among_the_other_ticked_ones() -> None:
    form = form_of(
        "multiple",
        prompt="Which?",
        **{
            "row-0-text": "A",
            "row-0-correct": "on",
            "row-1-text": "B",
            "row-1-correct": "on",
            "row-2-text": "C",
            "row-2-correct": "on",
            "row-3-text": "D",
            "row-3-credit": "-100",
        },
    )
    checked = question_form.check(form, set(), set())
    assert checked is not None and checked.choices is not None
    assert [c.fraction for c in checked.choices] == [0.3333333, 0.3333333, 0.3333333, -1.0]


def test_ids_are_made_from_the_words_and_never_collide() -> None:
    form = form_of("true_false", prompt="Ice **helps** acute swelling?", answer="true")
    checked = question_form.check(form, {"ice-helps-acute-swelling"}, set())
    assert checked is not None and checked.id == "ice-helps-acute-swelling-2"
    steps = form_of(
        "ordering",
        prompt="Order.",
        **{"row-0-text": "Wash hands", "row-1-text": "Wash hands", "row-2-text": "Begin"},
    )
    checked = question_form.check(steps, set(), set())
    assert checked is not None and checked.items is not None
    assert [i.id for i in checked.items] == ["wash-hands", "wash-hands-2", "begin"]


def test_numbers_are_read_with_a_comma_or_a_point_and_words_are_refused_by_field() -> None:
    form = form_of("numeric", prompt="How much?", **{"row-0-value": "2,5", "row-1-value": "lots"})
    assert question_form.check(form, set(), set()) is None
    assert form.errors == {"row-1-value": ["'lots' is not a number."]}
    fine = form_of("numeric", prompt="How much?", **{"row-0-value": "2,5"})
    checked = question_form.check(fine, set(), set())
    assert checked is not None and checked.numeric_answers()[0].value == 2.5


@pytest.mark.parametrize(
    ("field", "value"), [("row-99-text", "x"), ("row-1-evil", "x"), ("row-x-text", "x")]
)
def test_rows_beyond_the_limit_or_unknown_columns_are_ignored(field: str, value: str) -> None:
    form = form_of("single", prompt="Which?", **{field: value})
    assert all(not row for row in form.rows)
