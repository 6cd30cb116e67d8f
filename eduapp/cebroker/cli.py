"""``flask cebroker roster``: the same roster file as the admins' page, for a script or cron.
Marking a roster reported stays on the page, where an admin account is audited with it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..models import Course
from . import services

cebroker_cli = AppGroup("cebroker", help="CE Broker rosters (Florida completions).")


@cebroker_cli.command("roster")
@click.argument("slug")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path, dir_okay=False))
def roster_command(slug: str, start: date, end: date, output: Path) -> None:
    """Write the unreported Florida completions of course SLUG, completed --from..--to, as
    CE Broker's roster (.xlsx)."""
    start, end = start.date(), end.date()  # type: ignore[attr-defined]
    if end < start:
        raise click.BadParameter("must not be before --from", param_hint="--to")
    course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one_or_none()
    if course is None:
        raise click.ClickException(f"{slug}: no such course")
    provider, problem = services.provider_setting(current_app.config.get("CEBROKER_PROVIDER"))
    if problem:
        raise click.ClickException(problem)
    found = services.completions(course, start, end)
    pending = services.unreported(found)
    profession = str(current_app.config.get("CEBROKER_PROFESSION") or "")
    output.write_bytes(services.roster_file(pending, provider, profession))
    not_reportable = sum(1 for c in found if not c.reportable)
    click.echo(
        f"wrote {output}: {len(pending)} completions to report"
        f" ({not_reportable} not reportable, {len(found) - len(pending) - not_reportable}"
        " already reported)"
    )
