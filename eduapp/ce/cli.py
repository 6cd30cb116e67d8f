"""``flask ce ...``: the CE rule packs."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..content.yamlfile import ContentError
from ..extensions import db
from .packs import import_packs
from .rulefile import load_packs

ce_cli = AppGroup("ce", help="Continuing-education rules and records.")
DEFAULT_RULES = Path("ce-rules")


@ce_cli.command("import-rules")
@click.argument("path", type=click.Path(path_type=Path), required=False)
def import_rules_command(path: Path | None) -> None:
    """Load the rule packs (default: ce-rules/); admins' edits are never overwritten."""
    folder = path or DEFAULT_RULES
    if not folder.is_dir():
        raise click.ClickException(f"{folder}: no such folder")
    try:
        packs = load_packs(folder)
    except ContentError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException("nothing was imported") from None
    reports = import_packs(packs)
    db.session.commit()
    for report in reports:
        click.echo(report)
