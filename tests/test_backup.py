"""``flask db backup`` copies a live database into a file that opens and holds the same rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask

from eduapp.extensions import db


def test_backup_while_running(app: Flask, runner, make_user, tmp_path: Path) -> None:
    make_user()
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert f"backed up to {target}" in result.output
    if db.engine.dialect.name == "sqlite":
        copy = sqlite3.connect(target)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT email FROM users").fetchall() == [("ann@example.org",)]
        copy.close()
    else:
        assert target.read_bytes().startswith(b"PGDMP")
    again = runner.invoke(args=["db", "backup", str(target)])
    assert again.exit_code == 1
    assert "exists; choose a new file name" in again.output
