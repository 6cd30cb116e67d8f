"""GIFT as Moodle writes it: format markers on every piece, auto-format text, and answers
without ``=`` (names, ids and tags: ``test_gift_names``).

The examples are shaped like the output of Moodle's exporter (``qformat_gift::writequestion``)
and the cases of its own tests (``question/format/gift/tests/giftformat_test.php``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from eduapp.content.questions import build_question
from eduapp.content.quizfiles import load_text, quiz_data, to_gift
from eduapp.content.yamlfile import ContentError
from eduapp.quiz.grading import grade_question
from tests.content.test_gift import OURS, read, read_ours

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def loaded(text: str) -> Any:
    return load_text(text, "bank.quiz.gift", "gift", "bank")


def rendered(text: str) -> list[Any]:
    """Each question as a learner gets it: rendered and sanitised, as an import does."""
    quiz = loaded(text).quiz
    return [build_question(q, i, 1) for i, q in enumerate(quiz.questions)]


# 1. Format markers open any piece ------------------------------------------------------


def test_a_marked_short_answer_is_matched_without_its_marker() -> None:
    (question,) = rendered("::frog:: Which is the best animal?{=[plain]Frog#[html]<b>Yes</b>}")
    assert question.spec["answers"][0]["text"] == "Frog"
    graded = grade_question(
        {"key": "frog", "type": "short", "points": 1, **question.spec}, ["frog"]
    )
    assert graded.fraction == 1


def test_markers_on_answers_feedback_and_general_feedback_are_removed_and_applied() -> None:
    # Moodle's own multichoice and shortanswer import cases.
    text = (
        "// multiple choice with specified feedback for right and wrong answers\n"
        "::Q2:: What's between orange and green in the spectrum?\n"
        "{\n"
        "    =yellow # right; good!\n"
        "    ~red # [html]wrong, it's <em>yellow</em>\n"
        "    ~%-100%[plain]blue & <green> # wrong, it's yellow\n"
        "    ####[html]<p>General <strong>feedback</strong></p>\n"
        "}"
    )
    (question,) = read(text)
    assert question["markup"] == "html"
    yellow, red, blue = question["choices"]
    assert (yellow["text"], yellow["feedback"]) == ("yellow", "right; good!")
    assert red["feedback"] == "wrong, it's <em>yellow</em>"
    assert blue["text"] == "blue &amp; &lt;green&gt;"  # plain text, written as HTML
    assert blue["fraction"] == -1.0
    assert question["explanation"] == "<p>General <strong>feedback</strong></p>"
    assert not any("[" in str(value) for value in question["choices"])


def test_matching_items_take_markers_on_both_sides() -> None:
    # Moodle's test_import_match, with a marker on an answer too.
    text = (
        "// question: 2  name: Moodle activities\n"
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        '    =[html]<div class\\="frog">An activity supporting asynchronous discussions.</div>'
        " -> Forum\n"
        "    =[moodle]A teacher asks a question and specifies a choice. -> Choice\n"
        "    =[plain]A bank of record entries. -> [plain]Database\n"
        "    =[markdown]A collection of web pages. -> Wiki\n"
        "    = -> [html]Chat &amp; more\n"
        "}"
    )
    (question,) = read(text)
    assert [(p["prompt"], p["answer"]) for p in question["pairs"]] == [
        ("An activity supporting asynchronous discussions.", "Forum"),
        ("A teacher asks a question and specifies a choice.", "Choice"),
        ("A bank of record entries.", "Database"),
        ("A collection of web pages.", "Wiki"),
    ]
    assert question["distractors"] == ["Chat & more"]


def test_true_false_and_numeric_feedback_take_markers() -> None:
    tf, number = read(
        "::tf::[html]The answer is true.{TRUE#[plain]<wrong>#[html]<i>right</i>"
        "####[moodle]Select true.}\n\n"
        "::n:: What is a number from 1 to 5?{#\n\t=%100%3:2#[html]<b>ok</b>\n\t~#[plain]a<b\n}"
    )
    assert tf["feedback_false"] == "&lt;wrong&gt;"
    assert tf["feedback_true"] == "<i>right</i>"
    assert tf["explanation"] == "Select true."
    assert number["answers"] == [{"value": 3.0, "tolerance": 2.0, "feedback": "<b>ok</b>"}]
    assert number["feedback_wrong"] == "a&lt;b"


def test_in_a_markdown_question_a_plain_piece_is_escaped_markdown() -> None:
    (question,) = read("::q::[markdown]Pick **one**.{=[plain]*a* ~b #[markdown]_no_}")
    assert "markup" not in question
    assert question["choices"][0]["text"] == r"\*a\*"
    assert question["choices"][1]["feedback"] == "_no_"


# 2. Unmarked text: Moodle's auto-format, unless the file says it is ours -------------------


def test_unmarked_text_in_a_moodle_file_is_auto_format_with_its_line_breaks() -> None:
    text = "::q::First line\\nsecond <b>bold</b> & <script>alert(1)</script>{T#No\\nreally}"
    (question,) = read(text)
    assert question["markup"] == "html"
    assert question["prompt"] == "First line<br>\nsecond <b>bold</b> & <script>alert(1)</script>"
    assert question["feedback_false"] == "No<br>\nreally"
    (built,) = rendered(text)
    # What learners get is sanitised, as every quiz text is: the script goes, the bold stays.
    assert "<script>" not in built.prompt_html
    assert "<b>bold</b>" in built.prompt_html
    assert "<br>" in built.prompt_html


def test_the_moodle_marker_is_auto_format_not_plain_text() -> None:
    unmarked, marked = read(
        "::a::Use <em>light</em> pressure.{T}\n\n::b::[moodle]Use <em>light</em> pressure.{T}"
    )
    assert marked["prompt"] == unmarked["prompt"] == "Use <em>light</em> pressure."
    assert marked["markup"] == unmarked["markup"] == "html"


def test_moodle_auto_format_drops_line_breaks_next_to_tags_as_moodle_does() -> None:
    (question,) = read("::q::[moodle]<p>One</p>\\n<p>Two</p>\\nthree\\nfour{T}")
    assert question["prompt"] == "<p>One</p><p>Two</p> three<br>\nfour"


def test_a_file_that_says_it_is_ours_reads_unmarked_text_as_markdown() -> None:
    (question,) = read_ours("::q::Pick **one** [@davis2020].{=a ~b}")
    assert "markup" not in question
    assert question["prompt"] == "Pick **one** [@davis2020]."


def test_the_declaration_must_come_before_the_first_question() -> None:
    with pytest.raises(ContentError, match="goes before the first question"):
        loaded("::q::A{T}\n\n" + OURS + "\n::r::B{F}")
    # A category is not a question: the declaration may follow it.
    (question,) = read("$CATEGORY: top\n\n" + OURS + "::q::Pick **one**.{T}")
    assert "markup" not in question


def test_our_exporter_declares_the_file_and_marks_every_question() -> None:
    text = to_gift(loaded(OURS + "::q::Pick **one**.{=a ~b}\n\n::r::[html]<b>B</b>{F}").quiz)
    assert text.startswith(OURS)
    questions = [line for line in text.splitlines() if line.startswith("::")]
    assert [re.match(r"::[^:]+::(\[\w+\])", line).group(1) for line in questions] == [
        "[markdown]",
        "[html]",
    ]


# 3. Answers without a leading "=" -----------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "answers", "wrong"),
    [
        ("{#3:0.5}", [{"value": 3.0, "tolerance": 0.5}], None),
        ("{#1..5}", [{"min": 1.0, "max": 5.0}], None),
        ("{#3:2~#Completely wrong}", [{"value": 3.0, "tolerance": 2.0}], "Completely wrong"),
        (
            "{#3 =%50%2#Close}",
            [{"value": 3.0}, {"value": 2.0, "fraction": 0.5, "feedback": "Close"}],
            None,
        ),
    ],
)
def test_numeric_answers_need_no_equals_sign(block: str, answers: list, wrong: str | None) -> None:
    (question,) = read(f"::n::A number?{block}")
    assert question["answers"] == answers
    assert question.get("feedback_wrong") == wrong


@pytest.mark.parametrize(
    ("block", "answers"),
    [
        ("{Frog}", [{"text": "Frog"}]),
        ("{Frog =Toad}", [{"text": "Frog"}, {"text": "Toad"}]),
        (
            "{Frog#Good! =%50%Cat#Hm.}",
            [
                {"text": "Frog", "feedback": "Good!"},
                {"text": "Cat", "fraction": 0.5, "feedback": "Hm."},
            ],
        ),
    ],
)
def test_short_answers_need_no_equals_sign(block: str, answers: list) -> None:
    (question,) = read(f"::s::Best animal?{block}")
    assert question["type"] == "short"
    assert question["answers"] == answers


MOODLE_EXPORT = """// question: 0  name: Switch category to $course$/top/Default for Massage
$CATEGORY: $course$/top/Default for Massage


// question: 101  name: Effleurage
// [id:mt-101] [tag:strokes] [tag:week 1]
::Effleurage::[html]<p>Which stroke <strong>glides</strong>?</p>{
\t=<p>Effleurage</p>#<p>Yes.</p>
\t~[plain]Tapotement & friends#Percussion.
\t####[html]<p>Gliding strokes open a session.</p>
}

// question: 102  name: Frog
::Frog::Which is the best animal?{
\t=%100%[plain]Frog#Good!
\t=%50%Cat#What is it with Moodlers and cats?
\t=%0%*#Completely wrong
}

// question: 103  name: Range
::Range::What is a number from 1 to 5?{#
\t=%100%3:2#
\t~#Completely wrong
}

// question: 104  name: Match
::Match::Match them.{
\t=[html]<b>Kneading</b> -> Petrissage
\t=[moodle]Gliding -> Effleurage
}
"""


def test_a_moodle_export_written_by_our_exporter_reads_back_the_same() -> None:
    quiz = loaded(MOODLE_EXPORT).quiz
    written = to_gift(quiz)
    again = loaded(written).quiz
    assert quiz_data(again) == quiz_data(quiz)
    assert to_gift(again) == written
    choices = quiz_data(quiz)["questions"][0]["choices"]
    assert [c["text"] for c in choices] == ["<p>Effleurage</p>", "Tapotement &amp; friends"]
