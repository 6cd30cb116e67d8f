"""Course standards: errors for a CE course, warnings for a practice bank."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from eduapp.content.loader import ContentError, load_course


def question(i: int, kind: str = "vignette", qtype: str = "single") -> dict:
    q: dict = {
        "id": f"q{i}",
        "type": qtype,
        "kind": kind,
        "prompt": f"Case {i}?",
        "explanation": "Why.",
        "references": ["furlan2015"],
    }
    if qtype == "true_false":
        q["answer"] = True
    else:
        q["choices"] = [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}]
    return q


def write_course(root: Path, ce_hours: float = 0.25) -> Path:
    folder = root / "ce-course"
    folder.mkdir()
    course = {
        "slug": "ce-course",
        "title": "CE",
        "summary": "S",
        "version": "1",
        "status": "published",
        "ce_hours": ce_hours,
        "objectives": ["o"],
        "authors": ["a"],
        "references": [{"id": "furlan2015", "citation": "Furlan 2015."}],
        "coverage": {"pain": {"modules": ["basics"], "verdict": "moderate short-term"}},
    }
    (folder / "course.yml").write_text(yaml.safe_dump(course))
    body = "Massage eases pain for a while. " * 500  # 3,000 words: 0.25 CE
    (folder / "01-basics.md").write_text(
        f"---\ntitle: Basics\nobjectives: [Know it]\n---\n{body}\n"
    )
    kinds = ["vignette", "myth", "vignette", "concept", "recall", "vignette"]
    quiz = {"title": "Q", "questions": [question(i, k) for i, k in enumerate(kinds)]}
    (folder / "01-basics.quiz.yml").write_text(yaml.safe_dump(quiz, sort_keys=False))
    final = {"title": "F", "max_attempts": 3, "questions": [question(i) for i in range(30)]}
    (folder / "final.quiz.yml").write_text(yaml.safe_dump(final, sort_keys=False))
    return folder


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_course(folder)
    return [str(p) for p in info.value.problems]


def test_compliant_ce_course_loads_without_warnings(tmp_path: Path) -> None:
    course = load_course(write_course(tmp_path))
    assert course.warnings == []
    assert course.meta.coverage["pain"].modules == ["basics"]


def test_question_without_explanation_reference_or_kind(tmp_path: Path) -> None:
    folder = write_course(tmp_path)

    def strip(data: dict) -> None:
        q = data["questions"][2]
        del q["explanation"], q["references"], q["kind"]

    edit_yaml(folder / "01-basics.quiz.yml", strip)
    found = problems(folder)
    quiz = folder / "01-basics.quiz.yml"
    line = next(i for i, text in enumerate(quiz.read_text().splitlines(), 1) if "id: q2" in text)
    assert f"{quiz}:{line}: question 'q2' needs an explanation" in found
    assert f"{quiz}:{line}: question 'q2' needs at least one reference id" in found
    assert f"{quiz}:{line}: question 'q2' needs a kind (vignette, myth, concept or recall)" in found


def test_quiz_size_and_proportions(tmp_path: Path) -> None:
    folder = write_course(tmp_path)
    edit_yaml(
        folder / "01-basics.quiz.yml",
        lambda d: d.update(
            questions=[
                question(0, "recall", "true_false"),
                question(1, "concept", "true_false"),
                question(2, "vignette"),
            ]
        ),
    )
    found = problems(folder)
    quiz = folder / "01-basics.quiz.yml"
    assert f"{quiz}:1: a quiz needs at least 6 questions, not 3" in found
    assert f"{quiz}:1: at least half the questions must be vignette or myth (1 of 3 are)" in found
    assert f"{quiz}:1: at most a third of the questions may be true/false (2 of 3 are)" in found


def test_final_pool_and_attempt_limit(tmp_path: Path) -> None:
    folder = write_course(tmp_path)
    edit_yaml(
        folder / "final.quiz.yml",
        lambda d: d.update(max_attempts=None, questions=d["questions"][:29]),
    )
    found = problems(folder)
    assert (
        f"{folder}/final.quiz.yml:1: "
        "a final assessment needs a pool of at least 30 questions, not 29" in found
    )
    assert (
        f"{folder}/final.quiz.yml:1: a final assessment must limit attempts (max_attempts: 3)"
        in found
    )


def test_module_without_objectives_or_quiz(tmp_path: Path) -> None:
    # Images are checked (alt text too) when a module loads: tests/content/test_figures.py.
    folder = write_course(tmp_path)
    (folder / "02-extra.md").write_text("---\ntitle: Extra\n---\nText.\n")
    found = problems(folder)
    assert (
        f"{folder}/02-extra.md:1: "
        "a module needs learning objectives (objectives: in the front matter)" in found
    )
    assert any("a CE course needs a quiz for every module" in p for p in found)


def test_coverage_must_name_real_modules(tmp_path: Path) -> None:
    folder = write_course(tmp_path)
    edit_yaml(
        folder / "course.yml",
        lambda d: d["coverage"].update(posture={"modules": ["nowhere"], "verdict": "weak"}),
    )
    assert f"{folder}/course.yml: coverage.posture: no module 'nowhere' in this course" in problems(
        folder
    )


def test_the_same_findings_are_warnings_for_a_non_ce_course(tmp_path: Path) -> None:
    folder = write_course(tmp_path, ce_hours=0)
    edit_yaml(folder / "final.quiz.yml", lambda d: d.update(questions=d["questions"][:5]))
    course = load_course(folder)
    assert [str(w) for w in course.warnings] == [
        f"{folder}/final.quiz.yml:1: a quiz needs at least 6 questions, not 5",
        f"{folder}/final.quiz.yml:1: "
        "a final assessment needs a pool of at least 30 questions, not 5",
    ]
