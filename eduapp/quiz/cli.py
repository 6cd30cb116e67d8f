"""``flask quiz ...``: operations on attempts that no learner triggers."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from . import regrade, services

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
def regrade_command(course_slug: str, quiz_name: str, reason: str) -> None:
    """Regrade past attempts with the quiz's current key (import the corrected file first)."""
    quiz = regrade.find_quiz(course_slug, quiz_name)
    if quiz is None:
        raise click.ClickException(f"no quiz {quiz_name!r} in course {course_slug!r}")
    changes = regrade.regrade_quiz(quiz, reason)
    db.session.commit()
    for change in changes:
        click.echo(change.describe())
    flips = [c for c in changes if c.verdict_changed]
    click.echo(
        f"{len(changes)} attempt{'s' * (len(changes) != 1)} changed, "
        f"{sum(c.new_passed for c in flips)} now pass, "
        f"{sum(not c.new_passed for c in flips)} now fail"
    )
