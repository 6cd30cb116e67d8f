"""GIFT: every construct of Moodle's syntax, errors with their lines, and round trips."""

from __future__ import annotations

from typing import Any

import pytest

from eduapp.content import gift
from eduapp.content.quizfiles import load_text, quiz_data, to_gift, to_yaml
from eduapp.content.schema import QuestionFile, QuizFile
from eduapp.content.yamlfile import ContentError
from tests.conftest import FIXTURES

EVERY_TYPE = FIXTURES / "gift" / "gift-course" / "01-strokes.quiz.gift"


OURS = "// eduapp: markdown\n"


def read(text: str, stem: str = "bank") -> list[dict[str, Any]]:
    """The questions of a GIFT file as Moodle would read it (unmarked text: auto-format)."""
    quiz = load_text(text, "bank.quiz.gift", "gift", stem).quiz
    return quiz_data(quiz)["questions"]


def read_ours(text: str, stem: str = "bank") -> list[dict[str, Any]]:
    """The questions of a GIFT file that says it is ours (unmarked text: Markdown)."""
    return read(OURS + text, stem)


def problems(text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_text(text, "bank.quiz.gift", "gift", "bank")
    return [str(p) for p in caught.value.problems]


def test_the_reference_example_reads_as_moodle_reads_it() -> None:
    text = (
        "// Module 3 - Effleurage\n"
        "$CATEGORY: massage/module3\n"
        "::M3-Q1:: [markdown]Which stroke is **most** appropriate to begin? {\n"
        "  =Effleurage #Correct - it warms tissue.\n"
        "  ~Tapotement #Too stimulating.\n"
        "  ~%-50%Deep friction over the spine #Contraindicated over bony prominences.\n"
        "  ####Opening strokes should be broad, light and rhythmic.\n"
        "}\n"
        "\n"
        "::M3-Q2:: Gate-control theory explains some analgesia.{TRUE#Review 3.2.#Right.}\n"
        "\n"
        "::M3-Q3:: Match the stroke. {\n  =Petrissage -> kneading\n  =Effleurage -> gliding\n}\n"
        "\n"
        "::M3-Q4:: Session length (minutes)? {#60:5}\n"
    )
    first, second, third, fourth = read(text)
    assert first == {
        "id": "m3-q1",
        "name": "M3-Q1",
        "type": "single",
        "prompt": "Which stroke is **most** appropriate to begin?",
        "choices": [
            {
                "id": "effleurage",
                "text": "Effleurage",
                "correct": True,
                "feedback": "Correct - it warms tissue.",
            },
            {"id": "tapotement", "text": "Tapotement", "feedback": "Too stimulating."},
            {
                "id": "deep-friction-over-the-spine",
                "text": "Deep friction over the spine",
                "fraction": -0.5,
                "feedback": "Contraindicated over bony prominences.",
            },
        ],
        "explanation": "Opening strokes should be broad, light and rhythmic.",
    }
    # {TRUE#wrong#right}: the first feedback is for a wrong answer, here "false".
    assert second["answer"] is True
    assert second["feedback_false"] == "Review 3.2."
    assert second["feedback_true"] == "Right."
    assert third["pairs"][1] == {"id": "p2", "prompt": "Effleurage", "answer": "gliding"}
    assert fourth["answers"] == [{"value": 60.0, "tolerance": 5.0}]


def test_no_equals_sign_makes_a_multiple_answer_question_with_weights() -> None:
    (question,) = read("Pick two. {~%50%A ~%50%B ~%-100%C ~D}")
    assert question["type"] == "multiple"
    assert [c["fraction"] for c in question["choices"]] == [0.5, 0.5, -1.0, 0.0]
    assert question["id"] == "bank-1"


def test_decimal_weights_that_round_to_one_are_full_marks() -> None:
    (question,) = read("Three right. {~%33.33333%A ~%33.33333%B ~%33.33333%C ~%-100%D}")
    assert question["choices"][0]["fraction"] == 0.3333333


def test_short_answers_take_partial_credit_and_a_catch_all_feedback() -> None:
    (question,) = read("Name it. {=petrissage =%50%kneading#Close. =%0%*#Read module 1.}")
    assert question["answers"] == [
        {"text": "petrissage"},
        {"text": "kneading", "fraction": 0.5, "feedback": "Close."},
    ]
    assert question["feedback_wrong"] == "Read module 1."


def test_numeric_answers_take_ranges_several_grades_and_a_catch_all() -> None:
    (question,) = read("Level? {#\n=3#Yes.\n=%50%2..4#Close.\n~#It runs 1 to 5.}")
    assert question["answers"] == [
        {"value": 3.0, "feedback": "Yes."},
        {"min": 2.0, "max": 4.0, "fraction": 0.5, "feedback": "Close."},
    ]
    assert question["feedback_wrong"] == "It runs 1 to 5."
    (ranged,) = read("Minutes? {#45..90}")
    assert ranged["answers"] == [{"min": 45.0, "max": 90.0}]


def test_a_block_inside_the_sentence_is_a_missing_word() -> None:
    (question,) = read("The {=effleurage ~tapotement} stroke glides.")
    assert question["prompt"] == "The _____ stroke glides."
    assert question["type"] == "single"


def test_text_without_a_block_is_a_description_and_formats_apply() -> None:
    plain, html = read(
        "[plain]Ana, 42 & *tired*\n\n::next::[html]<p>What <em>first</em>?<script>x</script></p>{T}"
    )
    assert plain["type"] == "description"
    assert plain["prompt"] == r"Ana, 42 \& \*tired\*"
    assert html["markup"] == "html"
    assert html["id"] == "next"


def test_escapes_and_newlines_become_text() -> None:
    (question,) = read_ours(r"Signs \{ \} \= \~ \# \: \\ and\na new line {F}")
    assert question["prompt"] == "Signs { } = ~ # : \\ and\na new line"
    assert question["answer"] is False


def test_comments_categories_bom_and_crlf_are_skipped() -> None:
    text = (
        "\ufeff// a comment\r\n$CATEGORY: top/sub\r\n\r\n// another\r\nQ one {T}\r\n\r\nQ two {F}"
    )
    assert [q["id"] for q in read(text)] == ["bank-1", "bank-2"]


def test_names_become_ids_and_unnamed_questions_are_warned_about() -> None:
    loaded = load_text("::Question One!:: A {T}\n\nB {F}", "x.quiz.gift", "gift", "03-stress")
    assert [q.id for q in loaded.quiz.questions] == ["question-one", "03-stress-2"]
    (warning,) = loaded.warnings
    assert "1 question(s) have no ::name::" in str(warning)
    assert "reordering the file retires those questions" in str(warning)


def test_metadata_comments_keep_what_gift_cannot_say() -> None:
    (question,) = read("// eduapp: kind: myth; references: a2020, b2021; points: 2\n::q:: A {T}")
    assert question["kind"] == "myth"
    assert question["references"] == ["a2020", "b2021"]
    assert question["points"] == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A\nB\n\n\n\nToo few {\n=only\n~}", "bank.quiz.gift:8: an answer has no text"),
        ("Q {\n\n=a}", "bank.quiz.gift:1: brace error"),
        ("Q {~a}", "bank.quiz.gift:1: multiple choice needs at least two answers"),
        ("x\n\nQ {}", "bank.quiz.gift:3: essay questions ({}) need a person to grade them"),
        ("::unclosed Q {T}", "bank.quiz.gift:1: the question name is not closed by '::'"),
        ("Q {#abc}", "bank.quiz.gift:1: numeric answer 'abc' is not a number"),
        ("Q {~%150%a ~b}", "bank.quiz.gift:1: weight %150% is outside -100..100"),
        ("Q {=a*}", "bank.quiz.gift:1: '*' wildcards are not supported"),
        ("Q {=a -> b =c}", "bank.quiz.gift:1: a matching pair is written '=prompt -> answer'"),
        ("Q {=a -> b}", "bank.quiz.gift:1: matching needs at least two pairs"),
        ("Q {true}", "bank.quiz.gift:1: write a true/false answer as {T}"),
        ("Q {T#a#b#c}", "bank.quiz.gift:1: true/false takes at most two feedbacks"),
        ("Q {=a} and {=b}", "bank.quiz.gift:1: a question has one answer block"),
        ("Q {=a =b ~c}", "bank.quiz.gift:1: a single choice question needs exactly one correct"),
        ("// eduapp: colour: red\nQ {T}", "bank.quiz.gift:1: '// eduapp:' takes kind"),
        ("// only comments", "bank.quiz.gift:1: the file has no questions"),
    ],
)
def test_errors_name_the_line_and_what_is_wrong(text: str, expected: str) -> None:
    assert any(p.startswith(expected) for p in problems(text)), problems(text)


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    found = problems("Q {~a}\n\nfine {T}\n\nR {#x}")
    assert [p.split(":")[1] for p in found] == ["1", "5"]


def yaml_of(text: str) -> str:
    return to_yaml(load_text(text, "f.quiz.gift", "gift", "f").quiz)


def test_every_type_round_trips_gift_yaml_gift_yaml() -> None:
    original = EVERY_TYPE.read_text(encoding="utf-8")
    first = yaml_of(original)
    quiz = load_text(original, "f.quiz.gift", "gift", "f").quiz
    assert {q.type for q in quiz.questions} == {
        "single",
        "multiple",
        "true_false",
        "matching",
        "short",
        "numeric",
        "description",
    }
    again = to_gift(quiz, "f")
    assert yaml_of(again) == first
    assert to_gift(load_text(again, "f.quiz.gift", "gift", "f").quiz, "f") == again


def test_ordering_cannot_be_written_as_gift_and_the_question_is_named() -> None:
    quiz = QuizFile.model_validate(
        {
            "title": "T",
            "questions": [
                {
                    "id": "steps",
                    "type": "ordering",
                    "prompt": "Order these.",
                    "items": [{"id": k, "text": k.upper()} for k in "abc"],
                }
            ],
        }
    )
    with pytest.raises(gift.GiftExportError, match="question 'steps': GIFT has no ordering"):
        to_gift(quiz)


def test_the_gift_header_gives_the_settings_as_a_course_yml_snippet() -> None:
    quiz = load_text(
        "title: Final\nmax_attempts: 3\nquestions:\n"
        "- {id: q, type: true_false, prompt: P, answer: true}\n",
        "final.quiz.yml",
        "yaml",
        "final",
    ).quiz
    text = to_gift(quiz, "final")
    assert "// quizzes:\n//   final:\n//     title: Final\n//     max_attempts: 3\n" in text
    assert "::q::[markdown]P {\n\tTRUE\n}" in text


def test_a_question_file_model_accepts_what_the_parser_gives() -> None:
    for question in read(EVERY_TYPE.read_text(encoding="utf-8")):
        assert QuestionFile.model_validate(question).id == question["id"]


def test_choice_ids_come_from_the_text_so_reordering_keeps_them() -> None:
    (first,) = read("Q {=Effleurage ~Tapotement}")
    (second,) = read("Q {~Friction ~Tapotement =Effleurage}")
    ids = {c["text"]: c["id"] for c in first["choices"]}
    assert all(ids[c["text"]] == c["id"] for c in second["choices"] if c["text"] in ids)
    (same,) = read("Q {=Same ~Same ~ñ ~ü}")
    assert [c["id"] for c in same["choices"]] == [
        "same",
        "same-" + same["choices"][1]["id"][5:],
        "c",
        same["choices"][3]["id"],
    ]
    assert len({c["id"] for c in same["choices"]}) == 4


def test_numbers_too_large_for_a_float_are_refused() -> None:
    assert any("numeric answer '1e400' is not a number" in p for p in problems("Q {#60:1e400}"))


def test_a_short_answer_with_an_arrow_cannot_be_written_as_gift() -> None:
    quiz = QuizFile.model_validate(
        {
            "title": "T",
            "questions": [
                {"id": "q", "type": "short", "prompt": "P", "answers": [{"text": "a->b"}]}
            ],
        }
    )
    with pytest.raises(gift.GiftExportError, match="'->' in a short answer"):
        to_gift(quiz)
