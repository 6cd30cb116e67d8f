"""``flask courses ...``: check, import and describe the course files."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .importer import import_courses
from .loader import ContentError, load_catalogue
from .schema import json_schema

courses_cli = AppGroup("courses", help="Check and import the course catalogue files.")


def _default_path() -> Path:
    return Path(current_app.config["COURSES_DIR"])


def _load(path: Path) -> list:
    try:
        return load_catalogue(path)
    except ContentError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        count = len(error.problems)
        raise click.ClickException(
            f"{count} problem{'s' * (count != 1)} found; nothing was imported"
        ) from None


@courses_cli.command("check")
@click.argument("path", type=click.Path(path_type=Path), required=False)
def check_command(path: Path | None) -> None:
    """Validate course files (default: the catalogue folder) without touching the database."""
    courses = _load(path or _default_path())
    for course in courses:
        for warning in course.warnings:
            click.echo(f"warning: {warning}", err=True)
        questions = sum(len(q.questions) for q in course.quizzes)
        click.echo(
            f"{course.meta.slug}: {len(course.modules)} modules, {len(course.quizzes)} quizzes, "
            f"{questions} questions, {course.word_count:,} words "
            f"(supports {course.supported_ce_hours} CE; declares {course.meta.ce_hours}), "
            f"{course.meta.status}"
        )
    click.echo(f"ok: {len(courses)} course{'s' * (len(courses) != 1)} valid")


@courses_cli.command("import")
@click.argument("path", type=click.Path(path_type=Path), required=False)
def import_command(path: Path | None) -> None:
    """Load course files into the database; unchanged files write nothing."""
    courses = _load(path or _default_path())
    try:
        reports = import_courses(courses)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for report in reports:
        click.echo(report.summary())


@courses_cli.command("schema")
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Write to a file instead of stdout."
)
def schema_command(output: Path | None) -> None:
    """Print the course file format as JSON Schema (kept in docs/course-format.schema.json)."""
    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)
