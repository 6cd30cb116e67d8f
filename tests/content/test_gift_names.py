"""GIFT names and comment metadata as Moodle writes them: repeated names, names in any script,
long names, and the ``[id:]``/``[tag:]`` comments, read and written back."""

from __future__ import annotations

import re

import pytest

from eduapp.content.quizfiles import quiz_data, to_gift
from eduapp.content.schema import QuizFile
from eduapp.content.yamlfile import ContentError
from tests.content.test_gift import read
from tests.content.test_gift_moodle import SLUG, loaded

# 4. Repeated names, names in any script, long names ---------------------------------------


def test_two_questions_of_the_same_name_both_import_with_a_warning_naming_both_lines() -> None:
    text = "::Q1:: First?{T}\n\n::a-2:: Taken already.{T}\n\n::Q1:: Second?{F}\n\n::q1:: Third?{T}"
    result = loaded(text)
    assert [q.id for q in result.quiz.questions] == ["q1", "a-2", "q1-2", "q1-3"]
    assert [q.name for q in result.quiz.questions] == ["Q1", "", "Q1", "q1"]
    first, second = (str(w) for w in result.warnings)
    assert first.startswith("bank.quiz.gift:5: the questions on lines 1 and 5 both give the id")
    assert "the one on line 5 is imported as 'q1-2'" in first
    assert second.startswith("bank.quiz.gift:7: the questions on lines 1 and 7")
    # The same file gives the same ids every time it is read.
    assert [q.id for q in loaded(text).quiz.questions] == ["q1", "a-2", "q1-2", "q1-3"]


@pytest.mark.parametrize(
    "name",
    ["سؤال عن التدليك", "按摩问题一", "Вопрос 1", "Café crème", "🙂 Smile", "😀", "???"],
)
def test_names_in_any_script_give_usable_ids_that_stay_the_same(name: str) -> None:
    (question,) = read(f"::{name}:: A question?{{T}}")
    assert SLUG.match(question["id"]) and len(question["id"]) <= 80
    assert question["name"] == name
    assert read(f"::{name}:: A question?{{T}}")[0]["id"] == question["id"]


def test_accented_latin_loses_its_accents_and_other_scripts_keep_apart() -> None:
    cafe, first, second, mixed = read(
        "::Café crème:: A?{T}\n\n::Вопрос 1:: B?{T}\n\n"
        "::Вопрос 2:: C?{T}\n\n::Приём stretch:: D?{T}"
    )
    assert cafe["id"] == "cafe-creme"
    assert re.fullmatch(r"1-[0-9a-f]{8}", first["id"])
    assert re.fullmatch(r"2-[0-9a-f]{8}", second["id"])
    assert re.fullmatch(r"stretch-[0-9a-f]{8}", mixed["id"])


def test_names_up_to_255_characters_are_kept_and_ids_stay_short() -> None:
    name = ("Effleurage before petrissage " * 10)[:255]
    (question,) = read(f"::{name}:: A?{{T}}")
    assert question["name"] == name
    assert len(question["id"]) <= 80 and question["id"].startswith("effleurage-before-")
    with pytest.raises(ContentError, match="longer than 255 characters"):
        loaded(f"::{name}x:: A?{{T}}")


# 5. Moodle's [id:] and [tag:] comment metadata ----------------------------------------------


def test_moodles_id_and_tags_become_the_questions_id_and_tags() -> None:
    # Moodle's test_export_question_with_tags_and_idnumber output.
    text = (
        "// question: 12  name: True/false question\n"
        "// [id:myid] [tag:tag1] [tag:tag2]\n"
        "::True/false question::[html]The answer is true.{TRUE#This is the wrong answer."
        "#This is the right answer.####You should have selected true.}\n"
    )
    result = loaded(text)
    (question,) = quiz_data(result.quiz)["questions"]
    assert (question["id"], question["name"]) == ("myid", "True/false question")
    assert question["tags"] == ["tag1", "tag2"]
    assert not result.warnings  # named by its [id:], so its id does not come from its place


def test_metadata_may_be_anywhere_in_the_questions_comments_and_is_escaped() -> None:
    (question,) = read(
        "// [tag:  basic] Here is\n// a [id:  Q 1.2  ] que[tag:a\\]b]stion [tag:basic].\n"
        "Which stroke?{=Effleurage ~Friction}"
    )
    assert question["id"] == "q-1-2"  # not a usable id as written, so made into one
    assert question["tags"] == ["basic", "a]b"]


def test_metadata_separated_from_the_question_by_a_blank_line_is_not_its_own() -> None:
    (question,) = read("// [id:other] [tag:x]\n\n::named:: Q?{T}")
    assert question["id"] == "named"
    assert "tags" not in question


def test_ids_names_and_tags_survive_our_export() -> None:
    text = (
        "// [id:m3-q1] [tag:week 3] [tag:a\\]b]\n::Which stroke opens?:: Q?{=a ~b}\n\n"
        "::Dup:: R?{T}\n\n::Dup:: S?{F}\n\n::Вопрос:: T?{T}"
    )
    quiz = loaded(text).quiz
    written = to_gift(quiz)
    assert "// [id:m3-q1] [tag:week 3] [tag:a\\]b]\n::Which stroke opens?::[html]" in written
    assert "// [id:dup-2]\n::Dup::[html]" in written
    again = loaded(written).quiz
    assert quiz_data(again) == quiz_data(quiz)
    assert to_gift(again) == written


def test_tags_and_names_are_part_of_the_quiz_file_schema() -> None:
    quiz = QuizFile.model_validate(
        {
            "title": "T",
            "questions": [
                {
                    "id": "q",
                    "name": "Question one",
                    "type": "true_false",
                    "prompt": "P",
                    "answer": True,
                    "tags": ["recall", "week 1"],
                }
            ],
        }
    )
    assert quiz.questions[0].tags == ["recall", "week 1"]
    with pytest.raises(ValueError, match="tags"):
        QuizFile.model_validate(
            {
                "title": "T",
                "questions": [
                    {
                        "id": "q",
                        "type": "true_false",
                        "prompt": "P",
                        "answer": True,
                        "tags": ["<b>"],
                    }
                ],
            }
        )
