"""``flask certificates ...``: operators' commands for issued certificates."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from . import glyphs, reissue

certificates_cli = AppGroup("certificates", help="Issued certificates.")


@certificates_cli.command("reissue")
@click.option(
    "--missing-glyphs",
    is_flag=True,
    help="Certificates whose PDF could not print a character of the name or other text.",
)
@click.option("--dry-run", is_flag=True, help="List them; issue nothing.")
def reissue_command(missing_glyphs: bool, dry_run: bool) -> None:
    """List misprinted certificates and issue each a corrected one (mailing the learner).

    Append-only: the corrected certificate replaces the old one, which is revoked and points
    at it. Run again, it issues nothing twice.
    """
    if not missing_glyphs:
        raise click.UsageError("say which certificates to reissue: --missing-glyphs")
    found = issued = 0
    for misprint in reissue.misprints():
        found += 1
        old = misprint.certificate
        characters = ", ".join(map(glyphs.describe, misprint.characters[:8]))
        line = f"{old.code} ({old.facts.get('course_slug')}): could not print {characters}"
        still_missing = misprint.still_missing
        if still_missing:
            missing = ", ".join(map(glyphs.describe, still_missing))
            click.echo(f"{line}; not reissued: today's fonts cannot print {missing} either")
            continue
        if dry_run:
            click.echo(f"{line}; would reissue")
            continue
        new = reissue.reissue(misprint)
        if new is None:
            db.session.rollback()
            click.echo(f"{line}; skipped: another run reissued it")
            continue
        db.session.commit()
        issued += 1
        click.echo(f"{line}; reissued as {new.code}")
    click.echo(f"{found} misprinted certificate(s), {issued} reissued.")
