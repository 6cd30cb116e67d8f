"""``flask studio owners``: an admin assigns a course's people from the shell."""

from __future__ import annotations

from flask.testing import FlaskCliRunner

from eduapp.extensions import db
from eduapp.models import CourseOwner


def owners(runner: FlaskCliRunner, *args: str):
    return runner.invoke(args=["studio", "owners", "sample-course", *args])


def test_list_add_and_remove(runner: FlaskCliRunner, imported: None, make_user) -> None:
    make_user("ivy@example.org", "Ivy", role="instructor")
    make_user("cora@example.org", "Cora", role="instructor")
    listed = owners(runner, "--list")
    assert listed.exit_code == 0 and "no owners or co-authors; admins manage it" in listed.output
    added = owners(runner, "--add", "Ivy@Example.org", "--role", "owner")
    assert added.exit_code == 0, added.output
    assert "ivy@example.org is now owner of sample-course" in added.output
    assert owners(runner, "--add", "cora@example.org").exit_code == 0  # co-author by default
    listed = owners(runner, "--list").output
    assert "owner\tivy@example.org\tadded 2026-11-24" in listed and "by the shell" in listed
    assert "co-author\tcora@example.org" in listed
    removed = owners(runner, "--remove", "cora@example.org")
    assert removed.exit_code == 0 and "cora@example.org removed" in removed.output
    row = db.session.execute(db.select(CourseOwner).filter_by(role="co-author")).scalar_one()
    assert row.removed_at is not None and row.removed_by_id is None  # by the shell


def test_refusals_change_nothing(runner: FlaskCliRunner, imported: None, make_user) -> None:
    make_user("ivy@example.org", "Ivy", role="instructor")
    make_user("lea@example.org", "Lea")
    assert owners(runner, "--add", "ivy@example.org", "--role", "owner").exit_code == 0
    for args, message in (
        (("--add", "lea@example.org"), "No instructor account has the address lea@example.org"),
        (("--add", "ghost@example.org"), "No instructor account has the address ghost@"),
        (("--add", "ivy@example.org", "--role", "owner"), "already an owner"),
        (("--remove", "ivy@example.org"), "only owner"),
        (("--remove", "ghost@example.org"), "no account has the address"),
        (("--remove", "lea@example.org"), "Lea is not on this course"),
        ((), "give exactly one of"),
        (("--list", "--remove", "ivy@example.org"), "give exactly one of"),
        (("--role", "boss", "--list"), "Invalid value for '--role'"),
    ):
        result = owners(runner, *args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    assert db.session.scalar(db.select(db.func.count(CourseOwner.id))) == 1
    unknown = runner.invoke(args=["studio", "owners", "nope", "--list"])
    assert unknown.exit_code != 0 and "no course with slug 'nope'" in unknown.output
