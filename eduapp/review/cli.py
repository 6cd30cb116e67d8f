"""``flask review send-weekly``: queue the weekly review email (run it daily or weekly from
cron; it sends at most one per learner per seven days, however often it runs)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from .mailing import send_weekly

review_cli = AppGroup("review", help="Spaced review.")


@review_cli.command("send-weekly")
def send_weekly_command() -> None:
    """Queue the weekly email for learners who opted in and have cards due."""
    queued = send_weekly()
    db.session.commit()
    click.echo(f"Queued {queued} weekly review email{'s' if queued != 1 else ''}.")
