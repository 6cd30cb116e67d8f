"""``flask credentials ...``: the signing key's rotation and the backlog of unsigned ones."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..extensions import db
from . import keys, services

credentials_cli = AppGroup("credentials", help="Open Badges credentials and their keys.")


@credentials_cli.command("rotate-key")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the new private key when EDUAPP_CREDENTIAL_KEY holds the current one.",
)
def rotate_key(out: Path | None) -> None:
    """Retire the signing key and make a new one.

    The retired key's public half stays in /.well-known/jwks.json forever, so everything it
    signed still verifies. In production, put the file written to --out into
    EDUAPP_CREDENTIAL_KEY and restart; until then the old key keeps signing.
    """
    try:
        old, new = keys.rotate(out)
    except keys.CredentialKeyError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Retired key {old}; new key {new}.")
    if out is not None:
        click.echo(f"Set EDUAPP_CREDENTIAL_KEY to the contents of {out} and restart the app.")


@credentials_cli.command("sign-pending")
def sign_pending() -> None:
    """Sign the credentials of certificates issued before credentials existed (otherwise
    each is signed at its first download)."""
    total = 0
    while count := services.sign_pending():
        db.session.commit()
        total += count
    click.echo(f"{total} credential(s) signed.")
