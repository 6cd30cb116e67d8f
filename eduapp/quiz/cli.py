"""``flask quiz ...``: operations on attempts that no learner triggers."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..content import gift
from ..content.quizfiles import format_of, read_quiz, to_gift, to_yaml
from ..content.schema import QuizFile
from ..content.yamlfile import ContentError
from ..extensions import db
from . import regrade, services
from .export import ExportError, quiz_file

quiz_cli = AppGroup("quiz", help="Operate on quizzes and attempts.")


@quiz_cli.command("close-expired")
def close_expired_command() -> None:
    """Grade every timed attempt left open past its deadline, with the answers it saved."""
    closed = services.close_expired()
    for attempt in closed:
        click.echo(
            f"attempt {attempt.id} (user {attempt.user_id}): graded {attempt.score}% as saved"
        )
    click.echo(f"{len(closed)} expired attempt{'s' * (len(closed) != 1)} closed")


@quiz_cli.command("regrade")
@click.option("--course", "course_slug", required=True, help="The course slug.")
@click.option(
    "--quiz", "quiz_name", required=True, help="The quiz file's stem: final, 03-stress, ..."
)
@click.option("--reason", default="key corrected", show_default=True, help="Kept in the audit row.")
@click.option(
    "--withdraw",
    "withdraw",
    multiple=True,
    metavar="QUESTION",
    help="A retired question whose key was wrong: every attempt that showed it gets its marks "
    "(repeat for several).",
)
def regrade_command(
    course_slug: str, quiz_name: str, reason: str, withdraw: tuple[str, ...]
) -> None:
    """Regrade past attempts with the quiz's current key (import the corrected file first)."""
    quiz = regrade.find_quiz(course_slug, quiz_name)
    if quiz is None:
        raise click.ClickException(f"no quiz {quiz_name!r} in course {course_slug!r}")
    try:
        changes = regrade.regrade_quiz(quiz, reason, withdraw)
    except regrade.WithdrawError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    # An attempt whose snapshot changed but whose grade did not (it had the withdrawn
    # question right) is audited, not listed: the list is of results that changed.
    changes = [c for c in changes if c.old_score != c.new_score or c.verdict_changed]
    db.session.commit()
    for change in changes:
        click.echo(change.describe())
    flips = [c for c in changes if c.verdict_changed]
    click.echo(
        f"{len(changes)} attempt{'s' * (len(changes) != 1)} changed, "
        f"{sum(c.new_passed for c in flips)} now pass, "
        f"{sum(not c.new_passed for c in flips)} now fail"
    )


def _write(quiz: QuizFile, to: str, name: str) -> None:
    """Print the quiz as YAML or GIFT, or fail before printing anything."""
    try:
        text = to_yaml(quiz) if to == "yaml" else to_gift(quiz, name)
    except gift.GiftExportError as error:
        raise click.ClickException(str(error)) from None
    click.echo(text, nl=False)


@quiz_cli.command("convert")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "to", type=click.Choice(["yaml", "gift"]), required=True)
@click.option(
    "--from",
    "source",
    type=click.Choice(["yaml", "gift", "aiken"]),
    help="The input format, when the file name does not end in .yml, .gift or .aiken.",
)
@click.option("--title", help="The quiz title, for GIFT and Aiken input (default: from the name).")
def convert_command(file: Path, to: str, source: str | None, title: str | None) -> None:
    """Convert one quiz file (YAML, GIFT or Aiken) to YAML or GIFT on standard output."""
    stem = file.name.split(".quiz.")[0] if ".quiz." in file.name else file.stem
    name = gift.slug(stem) or "quiz"
    try:
        kind = source or format_of(file)
        loaded = read_quiz(
            file, name, default_title=title or stem.replace("-", " ").capitalize(), kind=kind
        )
    except ContentError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(f"{file} was not converted") from None
    for warning in loaded.warnings:
        click.echo(f"warning: {warning}", err=True)
    _write(loaded.quiz, to, name)


@quiz_cli.command("export")
@click.option("--course", "course_slug", required=True, help="The course slug.")
@click.option(
    "--quiz", "quiz_name", required=True, help="The quiz file's stem: final, 03-stress, ..."
)
@click.option("--format", "to", type=click.Choice(["yaml", "gift"]), default="yaml")
def export_command(course_slug: str, quiz_name: str, to: str) -> None:
    """Write a quiz from the database as YAML or GIFT on standard output."""
    quiz = regrade.find_quiz(course_slug, quiz_name)
    if quiz is None:
        raise click.ClickException(f"no quiz {quiz_name!r} in course {course_slug!r}")
    try:
        data = quiz_file(quiz)
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    _write(data, to, quiz_name)
