"""Migrations on their own committed database: upgrade gives the models, downgrade undoes it."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from eduapp import create_app
from eduapp.extensions import db
from tests.conftest import app_config, make_database


def test_upgrade_matches_models_and_downgrade_empties(tmp_path: Path) -> None:
    app = create_app(app_config(make_database(tmp_path, "migrations"), tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            assert compare_metadata(context, db.metadata) == []
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()  # and back up again, so the cycle is repeatable
        db.engine.dispose()
