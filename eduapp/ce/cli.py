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


@ce_cli.command("remind")
def remind_command() -> None:
    """Email staff about courses due and CE at risk, and managers a digest (once a day)."""
    from ..clinics.reminders import Skipped, remind

    count, skipped = 0, 0
    for sent in remind():
        if isinstance(sent, Skipped):
            click.echo(
                f"skipped clinic {sent.clinic_id} ({sent.clinic_name}): {sent.error}", err=True
            )
            skipped += 1
            continue
        db.session.commit()  # the log row and the queued mail, together
        click.echo(f"{sent.reason}: {sent.email}")
        count += 1
    db.session.commit()
    click.echo(f"{count} reminder{'s' * (count != 1)} sent")
    if skipped:
        # Every other clinic was reminded; a non-zero exit makes cron report the rest.
        raise click.ClickException(f"{skipped} clinic{'s' * (skipped != 1)} skipped")


@ce_cli.command("audit-pack")
@click.argument("clinic")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True)
def audit_pack_command(clinic: str, output: Path) -> None:
    """Write a clinic's audit pack (CLINIC is its id or exact name) as a ZIP file."""
    from ..clinics.exports import audit_entries, stream_zip
    from ..models import Clinic

    row = db.session.execute(
        db.select(Clinic).where(
            (Clinic.id == int(clinic))
            if clinic.isdigit() and len(clinic) < 10
            else (Clinic.name == clinic)
        )
    ).scalar_one_or_none()
    if row is None:
        raise click.ClickException(f"no clinic {clinic!r}")
    with output.open("wb") as handle:
        for chunk in stream_zip(audit_entries(row.id)):
            handle.write(chunk)
    click.echo(f"wrote {output} ({output.stat().st_size:,} bytes) for {row.name}")
