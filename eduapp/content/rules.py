"""Course standards: what a CE course must meet beyond a well-formed file.

For a CE course (``ce_hours > 0``) every broken standard is an error; a non-CE course (a
practice bank) imports with the same findings as warnings. Each finding names file and line.
"""

from __future__ import annotations

from fractions import Fraction

from .data import CourseData, QuizData
from .yamlfile import Problem

MIN_QUIZ_QUESTIONS = 6
MIN_FINAL_POOL = 30
REASONING_KINDS = {"vignette", "myth"}
MIN_REASONING_SHARE = Fraction(1, 2)
MAX_TRUE_FALSE_SHARE = Fraction(1, 3)


def check_course(course: CourseData) -> list[Problem]:
    problems: list[Problem] = []
    modules = {m.slug for m in course.modules}
    for module in course.modules:
        if not module.objectives:
            problems.append(
                Problem(
                    module.file,
                    1,
                    "a module needs learning objectives (objectives: in the front matter)",
                )
            )
    quizzes = {q.key: q for q in course.quizzes}
    for module in course.modules:
        if module.slug not in quizzes:
            problems.append(
                Problem(
                    module.file,
                    None,
                    "a CE course needs a quiz for every module "
                    f"(add {module.file.removesuffix('.md')}.quiz.yml)",
                )
            )
    for quiz in course.quizzes:
        problems += check_quiz(quiz)
    final = quizzes.get("final")
    if final is not None:
        if len(final.questions) < MIN_FINAL_POOL:
            problems.append(
                Problem(
                    final.file,
                    1,
                    f"a final assessment needs a pool of at least {MIN_FINAL_POOL} questions, "
                    f"not {len(final.questions)}",
                )
            )
        if final.max_attempts is None:
            problems.append(
                Problem(final.file, 1, "a final assessment must limit attempts (max_attempts: 3)")
            )
    for topic, coverage in course.meta.coverage.items():
        missing = [m for m in coverage.modules if m not in modules]
        if missing:
            problems.append(
                Problem(
                    f"{course.folder}/course.yml",
                    None,
                    f"coverage.{topic}: no module {missing[0]!r} in this course",
                )
            )
    return problems


def check_quiz(quiz: QuizData) -> list[Problem]:
    problems = []
    # A description (a shared case text) asks nothing, so it is not counted as a question.
    questions = [q for q in quiz.questions if q.type != "description"]
    for question in questions:
        where = f"question {question.key!r}"
        if not question.explanation_html:
            problems.append(Problem(quiz.file, question.line, f"{where} needs an explanation"))
        if not question.references:
            problems.append(
                Problem(quiz.file, question.line, f"{where} needs at least one reference id")
            )
        if not question.kind:
            problems.append(
                Problem(
                    quiz.file,
                    question.line,
                    f"{where} needs a kind (vignette, myth, concept or recall)",
                )
            )
    total = len(questions)
    if total < MIN_QUIZ_QUESTIONS:
        problems.append(
            Problem(
                quiz.file, 1, f"a quiz needs at least {MIN_QUIZ_QUESTIONS} questions, not {total}"
            )
        )
    reasoning = sum(q.kind in REASONING_KINDS for q in questions)
    if Fraction(reasoning, total) < MIN_REASONING_SHARE:
        problems.append(
            Problem(
                quiz.file,
                1,
                "at least half the questions must be vignette or myth "
                f"({reasoning} of {total} are)",
            )
        )
    true_false = sum(q.type == "true_false" for q in questions)
    if Fraction(true_false, total) > MAX_TRUE_FALSE_SHARE:
        problems.append(
            Problem(
                quiz.file,
                1,
                f"at most a third of the questions may be true/false ({true_false} of {total} are)",
            )
        )
    return problems
