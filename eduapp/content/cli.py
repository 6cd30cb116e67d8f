"""``flask courses ...``: check, import and describe the course files."""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..models import Course, CourseVersion
from ..search import index as search_index
from . import claims, currency, export
from .importer import import_courses
from .lint import baseline, lint_course
from .lint.stats import final_stats
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
@click.option("--stats", is_flag=True, help="Score naive test-taking strategies on each final.")
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"Accepted lint findings (default: {baseline.FILE_NAME} beside the course folders).",
)
@click.option(
    "--write-baseline",
    is_flag=True,
    help="Accept today's lint findings: by hand only, never in CI.",
)
@click.option("--show-known", is_flag=True, help="Also list findings already in the baseline.")
@click.option(
    "--stale",
    is_flag=True,
    help="List time-bound facts checked more than 12 months before --as-of (a report: exits 0).",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day --stale measures age from (default: today).",
)
def check_command(
    path: Path | None,
    stats: bool,
    baseline_file: Path | None,
    write_baseline: bool,
    show_known: bool,
    stale: bool,
    as_of: datetime | None,
) -> None:
    """Validate course files (default: the catalogue folder) without touching the database,
    and lint every quiz for cues that let a learner answer without knowing."""
    path = path or _default_path()
    courses = _load(path)
    for course in courses:
        for warning in course.warnings:
            click.echo(f"warning: {warning}", err=True)
        questions = sum(len(q.questions) for q in course.quizzes)
        shown = len(course.figures)
        figures = f", {shown} figure{'s' * (shown != 1)}" if shown else ""
        click.echo(
            f"{course.meta.slug}: {len(course.modules)} modules, {len(course.quizzes)} quizzes, "
            f"{questions} questions, {course.word_count:,} words "
            f"(supports {course.supported_ce_hours} CE; declares {course.meta.ce_hours}), "
            f"{course.meta.status}{figures}"
        )
    if not (path / "course.yml").is_file():
        files = [m.file for course in courses for m in course.modules]
        registry = claims.load(path)
        for claim_id in claims.unused(registry, files):
            click.echo(
                f"warning: {registry.file}: claim {claim_id!r} is graded in no module "
                "(remove it, or name it in a callout)",
                err=True,
            )
    baseline_file = baseline_file or baseline.default_path(path)
    findings = [f for course in courses for f in lint_course(course)]
    if write_baseline:
        _write_baseline(baseline_file, findings)
    else:
        _report_lint(findings, baseline_file, {c.meta.slug for c in courses}, show_known)
    if stats:
        for course in courses:
            for quiz in course.quizzes:
                if quiz.key == "final":
                    click.echo("\n".join(final_stats(course, quiz)))
    if stale:
        _report_stale(courses, as_of.date() if as_of else date.today())
    click.echo(f"ok: {len(courses)} course{'s' * (len(courses) != 1)} valid")


def _report_stale(courses: list, as_of: date) -> None:
    """Authors re-read these sources; age alone never fails a check."""
    facts = currency.checked_facts(courses)
    old = currency.stale(courses, as_of)
    for fact in old:
        click.echo(f"stale: {fact}")
    click.echo(
        f"currency: {len(old)} of {len(facts)} checked facts were last checked before "
        f"{currency.stale_before(as_of)} (12 months before {as_of})"
    )


def _write_baseline(file: Path, findings: list) -> None:
    """Accepting findings is a decision a person makes and commits, so CI may not do it."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        raise click.ClickException(
            "--write-baseline is for hand use: CI must not accept new lint findings"
        )
    before = _read_baseline(file)
    keys = {f.key for f in findings}
    baseline.write(file, findings)
    for key in sorted(keys - before):
        click.echo(f"baseline: added {'/'.join(key)}")
    for key in sorted(before - keys):
        click.echo(f"baseline: removed {'/'.join(key)}")
    click.echo(f"wrote {file}: {len(keys)} accepted finding(s)")


def _read_baseline(file: Path) -> set:
    try:
        return baseline.read(file)
    except baseline.BaselineError as error:
        raise click.ClickException(str(error)) from None


def _report_lint(findings: list, file: Path, slugs: set[str], show_known: bool) -> None:
    result = baseline.compare(findings, _read_baseline(file), slugs)
    for finding in result.new + (result.known if show_known else []):
        known = " (in the baseline)" if show_known and finding in result.known else ""
        click.echo(f"{finding.severity}: {finding}{known}", err=True)
    per_course = Counter(f.course for f in result.known)
    for slug, count in sorted(per_course.items()):
        click.echo(
            f"lint: {slug}: {count} finding(s) accepted in {file.name}; --show-known lists them"
        )
    for key in result.stale:
        click.echo(
            f"lint: stale baseline entry {'/'.join(key)} is no longer found; remove it from "
            f"{file.name}",
            err=True,
        )
    if result.failing:
        count = len(result.failing)
        raise click.ClickException(
            f"{count} lint error{'s' * (count != 1)} not in {file.name}: fix the quiz "
            "(the lint explains how); the baseline only holds findings accepted when it landed"
        )


@courses_cli.command("import")
@click.argument("path", type=click.Path(path_type=Path), required=False)
@click.option(
    "--force",
    is_flag=True,
    help="Import changed files as a new version even over versions published in the studio.",
)
def import_command(path: Path | None, force: bool) -> None:
    """Load course files into the database as new course versions; unchanged files write
    nothing. A course whose authors published in the studio since the last import is skipped
    with a warning (the database is its source of truth), so ``make run`` never undoes them."""
    courses = _load(path or _default_path())
    try:
        reports = import_courses(courses, force=force)
        # A course imported before search existed has no rows until its files change:
        # `make run` fills them in on a database made by an older checkout.
        search_index.rebuild(search_index.stale_courses())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for report in reports:
        if report.skipped:
            click.echo(f"warning: {report.summary()}", err=True)
        else:
            click.echo(report.summary())
        for note in report.notes:
            click.echo(f"warning: {report.slug}: {note}", err=True)


@courses_cli.command("export")
@click.argument("slug")
@click.option(
    "--to",
    "target",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="The folder to write the course into (made if missing).",
)
@click.option(
    "--version",
    "number",
    type=click.IntRange(min=1),
    help="The published version's number (default: the newest).",
)
def export_command(slug: str, target: Path, number: int | None) -> None:
    """Write a course as files in the canonical course format, figures included: what the
    studio published comes out as files that import back to the same course."""
    course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one_or_none()
    if course is None or course.current_version_id is None:
        raise click.ClickException(f"no published course with the slug {slug!r}")
    wanted = number if number is not None else None
    version = db.session.execute(
        db.select(CourseVersion).where(
            CourseVersion.course_id == course.id,
            CourseVersion.number == wanted
            if wanted is not None
            else CourseVersion.id == course.current_version_id,
        )
    ).scalar_one_or_none()
    if version is None:
        raise click.ClickException(f"{slug} has no published version {number}")
    try:
        written = export.write_folder(course, version, target)
    except export.ExportError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{slug}: version {version.number} ({version.label}), {len(written)} files in {target}"
    )


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
