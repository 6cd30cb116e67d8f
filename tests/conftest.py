"""Fixtures in the flaskr style: ``app``, ``client``, ``runner`` and ``auth``.

The schema is built once per session by running the migrations (so they are tested every
run), on SQLite by default or on the PostgreSQL named by ``EDUAPP_TEST_DATABASE_URL``. Each
test leaves the database empty again by deleting what it wrote.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from eduapp import create_app
from eduapp.extensions import db

FIXTURES = Path(__file__).parent / "fixtures"
CI = os.environ.get("CI") == "true"


def postgres_url() -> str | None:
    return os.environ.get("EDUAPP_TEST_DATABASE_URL") or None


def make_database(tmp_path: Path, name: str) -> str:
    """A new, empty database of the session's kind (a file, or a PostgreSQL database)."""
    base = postgres_url()
    if base is None:
        return f"sqlite:///{tmp_path / (name + '.sqlite3')}"
    url = make_url(base).set(drivername="postgresql+psycopg")
    target = f"{url.database}_{name}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target}"'))
    admin.dispose()
    return url.set(database=target).render_as_string(hide_password=False)


def app_config(database_url: str, tmp_path: Path, **extra: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "FILES_DIR": str(tmp_path / "files"),
        "BASE_URL": "http://localhost",
        "COURSES_DIR": str(FIXTURES / "courses"),
        **extra,
    }


@pytest.fixture(scope="session")
def _session_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("db")
    url = make_database(tmp, "main")
    app = create_app(app_config(url, tmp))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_session_app: Flask) -> Iterator[Flask]:
    with _session_app.app_context():
        yield _session_app
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def table_counts(app: Flask) -> Any:
    """A function returning {table: row count}, to prove that something wrote nothing."""

    def counts() -> dict[str, int]:
        names = inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            return {
                n: conn.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar_one() for n in names
            }

    return counts
