"""The migration that lets an export request be about a course, on a database that holds one
of each, on SQLite (batch mode rebuilds the table) and PostgreSQL: going back keeps the clinic's
request and drops the course's (no clinic id can be made up for it), going up again restores
the check that exactly one subject is set."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from eduapp import create_app
from eduapp.auth.services import register
from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Clinic, Course
from tests.conftest import FIXTURES, app_config, make_database

BEFORE = "1a62acf73399"  # the revision before course exports


def insert(user_id: int, clinic_id: int | None, course_id: int | None) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO export_requests (user_id, clinic_id, course_id, kind, status,"
                " created_at) VALUES (:user, :clinic, :course, 'k', 'pending', :at)"
            ),
            {
                "user": user_id,
                "clinic": clinic_id,
                "course": course_id,
                "at": "2026-12-04 12:00:00+00:00",
            },
        )


def test_course_exports_go_back_and_the_check_comes_up(tmp_path: Path) -> None:
    app = create_app(app_config(make_database(tmp_path, "subject"), tmp_path))
    with app.app_context():
        upgrade()
        import_courses(load_catalogue(FIXTURES / "courses"))
        user = register("Ada Admin", "ada@example.org", "a long enough password", "UTC")
        clinic = Clinic(name="Harbour Clinic")
        db.session.add(clinic)
        db.session.commit()
        ids = (user.id, clinic.id, db.session.execute(db.select(Course.id)).scalar_one())
        db.session.remove()
        user_id, clinic_id, course_id = ids
        insert(user_id, clinic_id, None)
        insert(user_id, None, course_id)
        for neither_or_both in ((None, None), (clinic_id, course_id)):
            with pytest.raises(IntegrityError):
                insert(user_id, *neither_or_both)
        downgrade(revision=BEFORE)
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("export_requests")}
        assert "course_id" not in columns and not columns["clinic_id"]["nullable"]
        with db.engine.connect() as conn:
            left = conn.execute(text("SELECT clinic_id FROM export_requests")).scalars().all()
        assert left == [clinic_id]
        upgrade()
        with pytest.raises(IntegrityError):
            insert(user_id, None, None)
        insert(user_id, None, course_id)
        db.engine.dispose()
