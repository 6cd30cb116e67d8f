"""The gradebook as CSV: the figures about all learners (anyone who may see the gradebook),
and the learners' own rows (only those the viewer may see, as on the page).

The figures are one fact per line (what, which, measure, value), so a spreadsheet can filter
and pivot them; withheld figures say why instead of a number. Cells go through
``eduapp.csvsafe``: titles and names are written by people and must not run as formulas.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC

from ..csvsafe import csv_text
from .gradebook import MIN_GROUP, CourseFigures, QuizColumn
from .gradebook_rows import LearnerRow

SUMMARY_HEADER = ("part", "name", "measure", "value")
WITHHELD = f"withheld: fewer than {MIN_GROUP} learners"


def _summary(figures: CourseFigures) -> Iterator[Sequence[object]]:
    yield SUMMARY_HEADER
    for measure, value in (
        ("learners enrolled", figures.enrolled),
        ("learners started", figures.started),
        ("learners completed", figures.completed),
        ("certificates issued", figures.certified),
    ):
        yield ("course", "", measure, value)
    for title, finished in figures.modules:
        yield ("module", title, "learners finished", finished)
    for quiz in figures.quizzes:
        name = quiz.column.title
        yield ("quiz", name, "attempts", quiz.attempts)
        yield ("quiz", name, "learners attempted", quiz.learners)
        yield ("quiz", name, "learners passed", quiz.passed)
        spread = quiz.spread
        if spread is None:
            for measure in ("mean grade %", "median grade %", "grade distribution"):
                yield ("quiz", name, measure, WITHHELD)
            continue
        yield ("quiz", name, "mean grade %", spread.mean)
        yield ("quiz", name, "median grade %", spread.median)
        for label, count in zip(spread.labels, spread.bands, strict=True):
            yield ("quiz", name, f"learners graded {label}%", count)


def summary_csv(figures: CourseFigures) -> str:
    return csv_text(_summary(figures), bom=True)


def _learners(
    rows: Sequence[LearnerRow], columns: Sequence[QuizColumn], with_email: bool
) -> Iterator[Sequence[object]]:
    header: list[object] = ["name", *(["email"] if with_email else []), "version"]
    header.append("modules finished")
    for column in columns:
        header += [f"{column.title}: {part}" for part in ("attempts", "grade %", "passed")]
    header += ["completed at (UTC)", "certificate"]
    yield header
    for row in rows:
        line: list[object] = [row.name, *([row.email] if with_email else []), row.version]
        line.append(row.modules_finished)
        for column in columns:
            grade = row.quizzes.get(column.key)
            if grade is None:
                line += [0, "", ""]
            else:
                line += [grade.attempts, grade.grade, "yes" if grade.passed else "no"]
        completed = row.completed_at
        line.append(completed.astimezone(UTC).isoformat(timespec="minutes") if completed else "")
        line.append(row.certificate or "")
        yield line


def learners_csv(
    rows: Sequence[LearnerRow], columns: Sequence[QuizColumn], with_email: bool
) -> str:
    return csv_text(_learners(rows, columns, with_email), bom=True)
