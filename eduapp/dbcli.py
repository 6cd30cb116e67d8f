"""``flask db backup PATH``: a consistent copy of the database while the app keeps running."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask_migrate.cli import db as db_group
from sqlalchemy.engine import make_url

from .extensions import db


def backup(target: Path) -> str:
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        # SQLite's online backup API copies a live WAL database safely; cp would not.
        source = sqlite3.connect(url.database or "")
        dest = sqlite3.connect(str(target))
        try:
            with dest:
                source.backup(dest)
        finally:
            source.close()
            dest.close()
        return "sqlite online backup"
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise click.ClickException("pg_dump is not installed (Debian: postgresql-client)")
    plain = make_url(url.render_as_string(hide_password=False)).set(drivername="postgresql")
    # The password goes through the environment: a command line is visible to every local user.
    env = {**os.environ, "PGPASSWORD": plain.password or ""}
    dbname = plain.set(password=None).render_as_string(hide_password=False)
    subprocess.run(
        [pg_dump, "--format=custom", "--file", str(target), "--dbname", dbname], check=True, env=env
    )
    return "pg_dump custom format (restore with pg_restore)"


def register() -> None:
    if "backup" in db_group.commands:
        return

    @db_group.command("backup")
    @click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
    def backup_command(path: Path) -> None:
        """Copy the database to PATH safely while the app runs."""
        if path.exists():
            raise click.ClickException(f"{path} exists; choose a new file name")
        how = backup(path)
        click.echo(f"backed up to {path} ({how})")
