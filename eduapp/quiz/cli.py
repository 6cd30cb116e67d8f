"""``flask quiz ...``: operations on attempts that no learner triggers."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from . import services

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
