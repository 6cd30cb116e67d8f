"""``flask search rebuild`` and the import's filling in of courses imported before search."""

from __future__ import annotations

from flask.testing import FlaskCliRunner
from sqlalchemy import text

from eduapp.extensions import db
from eduapp.search import index
from eduapp.search.schema import TABLE
from tests.conftest import FIXTURES


def rows() -> dict[str, int]:
    db.session.rollback()
    return dict(db.session.execute(text(f"SELECT kind, count(*) FROM {TABLE} GROUP BY kind")).all())


def forget() -> None:
    """As a database made before search: courses, and no rows for them."""
    db.session.execute(text(f"DELETE FROM {TABLE}"))
    db.session.commit()


FULL = {"course": 1, "module": 2, "reference": 2}


def test_rebuild_writes_every_course_and_missing_only_the_stale(
    runner: FlaskCliRunner, imported: None
) -> None:
    assert rows() == FULL
    forget()
    assert [c.slug for c in index.stale_courses()] == ["sample-course"]
    result = runner.invoke(args=["search", "rebuild", "--missing"])
    assert result.exit_code == 0 and "indexed 1 course (5 rows)" in result.output
    assert rows() == FULL and index.stale_courses() == []
    again = runner.invoke(args=["search", "rebuild", "--missing"])
    assert "indexed 0 courses (0 rows)" in again.output and rows() == FULL
    everything = runner.invoke(args=["search", "rebuild"])
    assert everything.exit_code == 0 and "indexed every course (5 rows)" in everything.output
    assert rows() == FULL


def test_make_runs_import_fills_in_courses_imported_before_search(
    runner: FlaskCliRunner, imported: None
) -> None:
    forget()
    result = runner.invoke(args=["courses", "import", str(FIXTURES / "courses")])
    assert result.exit_code == 0 and "sample-course: unchanged" in result.output
    assert rows() == FULL
