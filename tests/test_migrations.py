"""Migrations on their own committed database: upgrade gives the models, downgrade undoes it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from eduapp import create_app
from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Question, User
from tests.conftest import FIXTURES, app_config, make_database


def test_upgrade_matches_models_and_downgrade_empties(tmp_path: Path) -> None:
    app = create_app(app_config(make_database(tmp_path, "migrations"), tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            # As autogenerate compares: the full-text tables live outside the models.
            include_name = app.extensions["migrate"].configure_args["include_name"]
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "compare_server_default": True,
                    "include_name": include_name,
                },
            )
            assert compare_metadata(context, db.metadata) == []
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        # Every step down and up again must carry existing rows (SQLite rebuilds tables).
        import_courses(load_catalogue(FIXTURES / "courses"))
        db.session.commit()
        db.session.remove()
        for _ in range(
            len(
                list(
                    ScriptDirectory.from_config(
                        app.extensions["migrate"].migrate.get_config()
                    ).walk_revisions()
                )
            )
            - 1
        ):
            downgrade(revision="-1")
        upgrade()
        assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 4
        db.session.remove()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()  # and back up again, so the cycle is repeatable
        db.engine.dispose()


def test_accounts_made_before_sign_up_needed_a_link_count_as_confirmed(tmp_path: Path) -> None:
    app = create_app(app_config(make_database(tmp_path, "confirmed"), tmp_path))
    with app.app_context():
        upgrade(revision="444e217a61b9")  # the revision before email_verified_at
        made = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        with db.engine.begin() as conn:
            conn.execute(
                User.__table__.insert().values(
                    email="old@example.org",
                    name="Old",
                    password_hash="x",
                    role="learner",
                    timezone="UTC",
                    session_token="token",
                    created_at=made,
                )
            )
        upgrade()
        user = db.session.execute(db.select(User)).scalar_one()
        assert user.email_verified_at == user.created_at == made
        db.session.remove()
        db.engine.dispose()


def test_course_owners_come_and_go_with_their_revision(tmp_path: Path) -> None:
    """Imported courses get no owner rows; the partial unique index allows one open row per
    person and course (a closed one may sit beside it); downgrading drops the table."""
    from sqlalchemy.exc import IntegrityError

    from eduapp.models import Course, CourseOwner

    app = create_app(app_config(make_database(tmp_path, "owners"), tmp_path))
    with app.app_context():
        # Courses imported by today's code, then the schema taken back to before ownership.
        upgrade()
        import_courses(load_catalogue(FIXTURES / "courses"))
        db.session.commit()
        db.session.remove()
        downgrade(revision="a97d9ed88dbd")  # the revision before ownership
        upgrade(revision="e2225763b8ee")
        assert db.session.scalar(db.select(db.func.count()).select_from(CourseOwner)) == 0
        # Only the columns of that revision: later ones (users.deactivated_at) are not there.
        user_id = db.session.execute(
            User.__table__.insert().values(
                email="ivy@example.org", name="Ivy", password_hash="x", role="instructor"
            )
        ).inserted_primary_key[0]
        course_id = db.session.execute(db.select(Course.id)).scalars().first()
        closed = datetime(2026, 1, 1, tzinfo=UTC)
        db.session.add(
            CourseOwner(course_id=course_id, user_id=user_id, role="owner", removed_at=closed)
        )
        db.session.add(CourseOwner(course_id=course_id, user_id=user_id, role="co-author"))
        db.session.commit()
        db.session.add(CourseOwner(course_id=course_id, user_id=user_id, role="owner"))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        else:
            raise AssertionError("a second open row for the same person was accepted")
        db.session.remove()
        downgrade(revision="a97d9ed88dbd")
        assert "course_owners" not in inspect(db.engine).get_table_names()
        upgrade()
        db.engine.dispose()
