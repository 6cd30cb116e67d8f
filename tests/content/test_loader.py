"""Loading course folders: every problem is reported with its file and line."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from eduapp.content.data import ce_hours_for
from eduapp.content.loader import ContentError, load_catalogue, load_course
from tests.conftest import FIXTURES

SAMPLE = FIXTURES / "courses" / "sample-course"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    target = tmp_path / "courses" / "sample-course"
    shutil.copytree(SAMPLE, target)
    return target


def problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_catalogue(path)
    return [str(p) for p in info.value.problems]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_sample_course_loads(course: Path) -> None:
    data = load_course(course)
    assert [m.slug for m in data.modules] == ["first-steps", "second-module"]
    assert data.modules[1].minutes == 7
    assert data.modules[0].minutes == 1
    assert {q.key for q in data.quizzes} == {"first-steps", "final"}
    tf = next(q for q in data.quizzes[0].questions if q.type == "true_false")
    assert [(c.key, c.is_correct) for c in tf.choices] == [("true", False), ("false", True)]
    assert data.quizzes[0].passing_score == 80  # inherited from course.yml


def test_unknown_key_names_file_and_line(course: Path) -> None:
    replace(course / "course.yml", "passing_score: 80", "passing_scor: 80")
    assert problems(course.parent) == [
        f"{course}/course.yml:8: passing_scor: unknown key (check its spelling)"
    ]


def test_missing_required_field_points_at_the_question(course: Path) -> None:
    replace(course / "01-first-steps.quiz.yml", "    prompt: Which is true?\n", "")
    (found,) = problems(course.parent)
    assert found == f"{course}/01-first-steps.quiz.yml:3: questions.0.prompt: is required"


def test_single_choice_needs_one_correct_answer(course: Path) -> None:
    replace(
        course / "01-first-steps.quiz.yml",
        "        text: The wrong one\n",
        "        text: The wrong one\n        correct: true\n",
    )
    (found,) = problems(course.parent)
    assert (
        "01-first-steps.quiz.yml:3: questions.0: "
        "a single choice question needs exactly one correct choice, not 2" in found
    )


def test_unknown_citation_in_module_body_names_the_line(course: Path) -> None:
    replace(course / "01-first-steps.md", "[@moyer2004]", "[@nobody1999]")
    (found,) = problems(course.parent)
    assert (
        found == f"{course}/01-first-steps.md:14: "
        "unknown reference id 'nobody1999' (add it to course.yml references)"
    )


def test_citations_in_one_bracket_need_semicolons(course: Path) -> None:
    """Written with a comma, a group renders as raw text: refused with the fix, on its line.
    A callout's header takes commas, as DESIGN writes it."""
    replace(course / "01-first-steps.md", "[@moyer2004]", "[@moyer2004, @furlan2015]")
    replace(
        course / "01-first-steps.md",
        "::: evidence moderate [@furlan2015]",
        "::: evidence moderate [@furlan2015, @moyer2004]",
    )
    (found,) = problems(course.parent)
    assert found == (
        f"{course}/01-first-steps.md:14: citations in one bracket are separated by semicolons: "
        "write [@moyer2004; @furlan2015], not [@moyer2004, @furlan2015]"
    )
    replace(course / "01-first-steps.md", "[@moyer2004, @furlan2015]", "[@moyer2004; @furlan2015]")
    assert load_catalogue(course.parent)  # the callout header's comma is fine


def test_unknown_evidence_level_names_the_line(course: Path) -> None:
    replace(course / "01-first-steps.md", "evidence moderate", "evidence probable")
    (found,) = problems(course.parent)
    assert found.startswith(f"{course}/01-first-steps.md:8: claim 'probable' is not in ")


def test_malformed_callout_and_callout_without_citation(course: Path) -> None:
    replace(course / "01-first-steps.md", "::: evidence moderate [@furlan2015]", "::: note")
    replace(course / "02-second-module.md", "A short", "::: evidence weak\nx\n:::\n\nA short")
    found = problems(course.parent)
    assert any("01-first-steps.md:8: a block must read '::: evidence CLAIM-ID" in p for p in found)
    assert any(
        "02-second-module.md:5: an evidence callout needs at least one source" in p for p in found
    )


def test_unknown_question_reference(course: Path) -> None:
    replace(course / "final.quiz.yml", "references: [furlan2015]", "references: [ghost2020]")
    (found,) = problems(course.parent)
    assert "final.quiz.yml:14: questions.0.references: unknown reference id 'ghost2020'" in found


def test_yaml_syntax_error_has_a_line(course: Path) -> None:
    replace(course / "course.yml", "title: Sample Course for Tests", "title: [unclosed")
    (found,) = problems(course.parent)
    assert found.startswith(f"{course}/course.yml:") and "invalid YAML" in found


def test_duplicate_yaml_key_is_refused(course: Path) -> None:
    replace(course / "course.yml", 'version: "1.0"', 'version: "1.0"\nversion: "2.0"')
    (found,) = problems(course.parent)
    assert found == f"{course}/course.yml:6: key 'version' appears twice"


def test_front_matter_errors(course: Path) -> None:
    (course / "03-broken.md").write_text("no front matter\n")
    (course / "04-open.md").write_text("---\ntitle: x\n")
    (course / "05-bad.md").write_text("---\ntitle: Fine\nminutes: lots\n---\nBody\n")
    found = problems(course.parent)
    assert (
        f"{course}/03-broken.md:1: a module starts with YAML front matter between '---' lines"
        in found
    )
    assert f"{course}/04-open.md:1: front matter is not closed by a '---' line" in found
    assert any(p.startswith(f"{course}/05-bad.md:3: minutes:") for p in found)


def test_stray_files_quiz_without_module_and_duplicate_numbers(course: Path) -> None:
    (course / "notes.txt").write_text("x")
    (course / "07-missing.quiz.yml").write_text("title: x\n")
    shutil.copy(course / "02-second-module.md", course / "02-again.md")
    found = problems(course.parent)
    assert any("notes.txt: unexpected file" in p for p in found)
    assert any("07-missing.quiz.yml: no module file 07-missing.md" in p for p in found)
    assert any("number 2 is also used by" in p for p in found)


def test_non_utf8_file_is_reported(course: Path) -> None:
    (course / "02-second-module.md").write_bytes(b"---\ntitle: caf\xe9\n---\nx\n")
    (found,) = problems(course.parent)
    assert "02-second-module.md: not UTF-8 text" in found


def test_ce_course_needs_final_and_enough_words(course: Path) -> None:
    replace(course / "course.yml", "ce_hours: 0", "ce_hours: 1.5")
    (course / "final.quiz.yml").unlink()
    found = problems(course.parent)
    assert any("a CE course needs a final assessment" in p for p in found)
    assert any(
        "course.yml:7: ce_hours 1.5 is more than the module text supports: 41 words give 0 CE" in p
        for p in found
    ), found


def test_slug_must_match_folder(tmp_path: Path, course: Path) -> None:
    shutil.copytree(course, course.parent / "copy")
    found = problems(course.parent)
    assert any("slug 'sample-course' must match the folder name 'copy'" in p for p in found)


def test_missing_and_empty_folders(tmp_path: Path) -> None:
    assert problems(tmp_path / "nope") == [f"{tmp_path / 'nope'}: no such folder"]
    assert "no course folders" in problems(tmp_path)[0]


def test_true_false_and_choice_rules(course: Path) -> None:
    replace(course / "01-first-steps.quiz.yml", "    answer: false\n", "")
    replace(course / "final.quiz.yml", "    type: single\n", "    type: single\n    answer: true\n")
    found = problems(course.parent)
    assert any("a true_false question needs 'answer: true' or 'answer: false'" in p for p in found)
    assert any("a single question does not take answer" in p for p in found)


@pytest.mark.parametrize(
    ("words", "hours"),
    [(0, "0"), (2999, "0"), (3000, "0.25"), (11999, "0.75"), (12000, "1"), (26999, "2.0")],
)
def test_home_study_rule(words: int, hours: str) -> None:
    assert ce_hours_for(words) == Decimal(hours)


def test_duplicate_module_slugs_and_a_module_named_final(course: Path) -> None:
    shutil.copy(course / "01-first-steps.md", course / "03-first-steps.md")
    shutil.copy(course / "02-second-module.md", course / "04-final.md")
    found = problems(course.parent)
    assert any(
        "03-first-steps.md: slug 'first-steps' is also used by 01-first-steps.md" in p
        for p in found
    )
    assert any("04-final.md: 'final' is reserved for the final assessment" in p for p in found)


def test_reference_label_shows_in_citations(course: Path) -> None:
    replace(
        course / "course.yml",
        "  - id: moyer2004\n",
        '  - id: moyer2004\n    label: "Moyer et al."\n',
    )
    data = load_course(course)
    assert (
        '<a class="cite" href="#ref-moyer2004" rel="noopener noreferrer">Moyer et al.</a>'
        in data.modules[0].body_html
    )
    assert ">Furlan 2015</a>" in data.modules[0].body_html
    # The label applies only while its course renders.
    from eduapp.content.markdown import citation_label

    assert citation_label("moyer2004") == "Moyer 2004"


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_numeric_answers_must_be_finite(value: str) -> None:
    from pydantic import ValidationError

    from eduapp.content.schema import NumericAnswer

    with pytest.raises(ValidationError):
        NumericAnswer.model_validate({"value": __import__("yaml").safe_load(value)})
