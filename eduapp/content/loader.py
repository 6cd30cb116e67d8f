"""Read a course folder into validated, rendered data, or report every problem with its line.

Nothing here touches the database: ``check`` and ``import`` share this, and ``import`` writes
only when a whole catalogue loads without a single problem.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import citations, claims, figures, markdown, rules
from .data import (
    WORDS_PER_CE_HOUR,
    CourseData,
    FigureFile,
    ModuleData,
    QuizData,
)
from .modulebody import render_module_body
from .questions import build_question
from .quizfiles import QUIZ_FILE, read_quiz, read_text
from .schema import CourseFile, ModuleFrontMatter
from .yamlfile import ContentError, Problem, line_of, parse, problems_from

MODULE_FILE = re.compile(r"^(\d{1,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
IGNORED = {"README.md", figures.FIGURES_DIR}


def find_course_folders(path: Path) -> list[Path]:
    """``path`` is one course folder (it has course.yml) or a folder of them."""
    if (path / "course.yml").is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and (p / "course.yml").is_file())


def load_catalogue(path: Path) -> list[CourseData]:
    if not path.is_dir():
        raise ContentError([Problem(str(path), None, "no such folder")])
    folders = find_course_folders(path)
    if not folders:
        raise ContentError(
            [Problem(str(path), None, "no course folders (each needs a course.yml)")]
        )
    courses, problems = [], []
    registry = claims.load(path)
    for folder in folders:
        try:
            courses.append(load_course(folder, registry))
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    return courses


def _validate(model: type[BaseModel], data: Any, file: str, node: Any, first_line: int = 1) -> Any:
    if not isinstance(data, dict):
        raise ContentError([Problem(file, first_line, "expected a mapping of keys to values")])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ContentError(problems_from(error, file, node, first_line)) from None


def load_course(folder: Path, registry: claims.Registry | None = None) -> CourseData:
    """One course folder, graded against its catalogue's ``evidence.yml``."""
    registry = registry or claims.load(folder)
    problems: list[Problem] = []
    course_file = folder / "course.yml"
    data, node = parse(read_text(course_file), str(course_file))
    meta: CourseFile = _validate(CourseFile, data, str(course_file), node)
    if meta.slug != folder.name:
        problems.append(
            Problem(
                str(course_file),
                1,
                f"slug {meta.slug!r} must match the folder name {folder.name!r}",
            )
        )
    references = {r.id for r in meta.references}
    course = CourseData(meta=meta, folder=str(folder))
    labels = markdown.LABELS.set({r.id: r.label for r in meta.references if r.label})
    graded = claims.CURRENT.set(registry)
    try:
        _load_files(folder, course, meta, references, problems)
    finally:
        markdown.LABELS.reset(labels)
        claims.CURRENT.reset(graded)
    citations.check_quiz_settings(folder, meta, node, course_file, problems)
    return _finish(course, meta, node, course_file, problems)


def _load_files(
    folder: Path,
    course: CourseData,
    meta: CourseFile,
    references: set[str],
    problems: list[Problem],
) -> None:

    module_files, quiz_files = [], []
    for path in sorted(folder.iterdir()):
        if path.name in IGNORED or path.name == "course.yml" or path.name.startswith("."):
            continue
        if MODULE_FILE.match(path.name):
            module_files.append(path)
        elif QUIZ_FILE.match(path.name):
            quiz_files.append(path)
        else:
            problems.append(
                Problem(
                    str(path),
                    None,
                    "unexpected file: modules are NN-slug.md, quizzes NN-slug.quiz.yml "
                    "or final.quiz.yml (or .quiz.gift, .quiz.aiken)",
                )
            )

    positions: dict[int, str] = {}
    slugs: dict[str, str] = {}
    seen_figures: dict[str, FigureFile | Problem] = {}
    for path in module_files:
        try:
            module = _load_module(path, references, seen_figures)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if module.position in positions:
            problems.append(
                Problem(
                    str(path),
                    None,
                    f"number {module.position} is also used by {positions[module.position]}",
                )
            )
        positions[module.position] = path.name
        if module.slug in slugs:
            problems.append(
                Problem(
                    str(path), None, f"slug {module.slug!r} is also used by {slugs[module.slug]}"
                )
            )
        elif module.slug == "final":
            problems.append(
                Problem(
                    str(path),
                    None,
                    "'final' is reserved for the final assessment; rename the module",
                )
            )
        slugs[module.slug] = path.name
        course.modules.append(module)
    course.figures = {p: f for p, f in sorted(seen_figures.items()) if isinstance(f, FigureFile)}
    course.modules.sort(key=lambda m: m.position)

    # From the file names, so a module with errors does not also orphan its quiz.
    module_stems = {p.stem: MODULE_FILE.match(p.name).group(2) for p in module_files}  # type: ignore[union-attr]
    titles = {m.slug: m.title for m in course.modules}
    seen: dict[str, str] = {}
    for path in quiz_files:
        stem = path.name.split(".quiz.")[0]
        if stem != "final" and stem not in module_stems:
            problems.append(Problem(str(path), None, f"no module file {stem}.md for this quiz"))
            continue
        if stem in seen:
            problems.append(
                Problem(str(path), None, f"{seen[stem]} is also quiz {stem!r}; keep one of the two")
            )
            continue
        seen[stem] = path.name
        key = module_stems.get(stem, "final")
        title = "Final assessment" if key == "final" else f"Quiz: {titles.get(key, key)}"
        try:
            quiz = _load_quiz(path, stem, key, meta, references, title)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        course.quizzes.append(quiz)
        course.warnings.extend(quiz.warnings)


def _finish(
    course: CourseData, meta: CourseFile, node: Any, course_file: Path, problems: list[Problem]
) -> CourseData:
    if not course.modules:
        problems.append(
            Problem(course.folder, None, "a course needs at least one module (NN-slug.md)")
        )
    if meta.ce_hours > 0 and not any(q.key == "final" for q in course.quizzes):
        problems.append(
            Problem(str(course_file), None, "a CE course needs a final assessment (final.quiz.yml)")
        )
    if meta.ce_hours > course.supported_ce_hours:
        problems.append(
            Problem(
                str(course_file),
                line_of(node, ["ce_hours"]),
                f"ce_hours {meta.ce_hours} is more than the module text supports: "
                f"{course.word_count:,} words give {course.supported_ce_hours} CE "
                f"({WORDS_PER_CE_HOUR:,} words per CE hour, rounded down to 0.25)",
            )
        )
    if problems:
        raise ContentError(problems)
    standards = rules.check_course(course)
    if meta.ce_hours > 0 and standards:
        raise ContentError(standards)
    course.warnings = standards + course.warnings
    return course


def _load_module(
    path: Path, references: set[str], seen_figures: dict[str, FigureFile | Problem]
) -> ModuleData:
    file = str(path)
    text = read_text(path)
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(
            [Problem(file, 1, "a module starts with YAML front matter between '---' lines")]
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentError(
            [Problem(file, 1, "front matter is not closed by a '---' line")]
        ) from None
    data, node = parse("\n".join(lines[1:end]), file, first_line=2)
    front: ModuleFrontMatter = _validate(ModuleFrontMatter, data, file, node, first_line=2)
    body = "\n".join(lines[end + 1 :])
    result = render_module_body(
        body,
        file=file,
        first_line=end + 2,
        references=references,
        figures_by_path=seen_figures,
        folder=path.parent,
    )
    if result.problems:
        raise ContentError(result.problems)
    match = MODULE_FILE.match(path.name)
    assert match
    return ModuleData(
        slug=match.group(2),
        position=int(match.group(1)),
        title=front.title,
        minutes=front.minutes or result.minutes,
        objectives=front.objectives,
        body_html=result.html,
        word_count=result.word_count,
        cited=result.cited,
        file=file,
        figures=list(result.figures),
        source=body,
    )


def _load_quiz(
    path: Path, stem: str, key: str, course: CourseFile, references: set[str], title: str
) -> QuizData:
    file = str(path)
    loaded = read_quiz(path, stem, course.quizzes.get(stem), default_title=title)
    quiz = loaded.quiz
    problems = citations.check(loaded.text, file, 1, references)
    problems += figures.refuse_images(loaded.text, file, 1)
    for index, question in enumerate(quiz.questions):
        for ref in question.references:
            if ref not in references:
                problems.append(
                    Problem(
                        file,
                        loaded.line_of(index, "references"),
                        f"questions.{index}.references: unknown reference id {ref!r}",
                    )
                )
    if problems:
        raise ContentError(problems)
    return QuizData(
        key=key,
        name=stem,
        title=quiz.title,
        passing_score=quiz.passing_score or course.passing_score,
        max_attempts=quiz.max_attempts,
        settings={
            "grading_method": quiz.grading_method,
            "review": quiz.review,
            "draw": quiz.draw,
            "shuffle_questions": quiz.shuffle_questions,
            "shuffle_choices": quiz.shuffle_choices,
            "wait_minutes": round(quiz.wait_hours * 60),
            "time_limit_minutes": quiz.time_limit,
        },
        questions=[build_question(q, i, loaded.lines[i]) for i, q in enumerate(quiz.questions)],
        file=file,
        warnings=loaded.warnings,
    )
