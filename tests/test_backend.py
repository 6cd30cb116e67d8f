"""Which database this run uses, so CI can prove the PostgreSQL run really ran on PostgreSQL."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from eduapp.extensions import db
from tests.conftest import postgres_url

EXPECTED = "postgresql" if postgres_url() else "sqlite"


@pytest.mark.parametrize("backend", [EXPECTED])
def test_suite_runs_on(app: Flask, backend: str) -> None:
    assert db.engine.dialect.name == backend
    if backend == "sqlite":
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 10000
