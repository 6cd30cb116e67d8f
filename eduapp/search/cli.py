"""``flask search rebuild``: the full-text rows of every course, or of those missing them."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from . import index

search_cli = AppGroup("search", help="Keep the search index in step with the courses.")


@search_cli.command("rebuild")
@click.option(
    "--missing",
    is_flag=True,
    help="Only courses whose current version has no rows yet (what `make serve` runs).",
)
def rebuild_command(missing: bool) -> None:
    """Write the search rows of each course's current version. Imports and publishing keep
    them up to date; this fills them in after an upgrade or a restore."""
    if missing:
        courses = index.stale_courses()
        rows = index.rebuild(courses)
        click.echo(f"indexed {len(courses)} course{'s' * (len(courses) != 1)} ({rows} rows)")
    else:
        rows = index.rebuild_all()
        click.echo(f"indexed every course ({rows} rows)")
    db.session.commit()
