"""Assigned courses: assigning to all or chosen staff, editing, deleting (after a
confirmation), and the warning before a due date in the past is saved."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Assignment, Clinic, User
from tests.clinics.helpers import join, make_clinic, packs
from tests.conftest import csrf_token

__all__ = ["packs"]  # the fixture


def test_assignments_show_as_the_next_due_course(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    join(app, manager, clinic, "kim@example.org", make_user)
    page = f"/clinics/{clinic.id}/assignments"
    html = manager.get(page).get_data(as_text=True)
    course_id = re.search(r'<option value="(\d+)">Sample Course for Tests', html).group(1)
    outsider = make_user("out@example.org", "Out")
    tampered = manager.post(
        page,
        data={
            "course": course_id,
            "due_on": "2027-01-31",
            "who": str(outsider.id),
            "csrf_token": csrf_token(manager, page),
        },
    )
    assert "is not a valid choice for this field" in tampered.get_data(as_text=True)
    manager.post(
        page,
        data={
            "course": course_id,
            "due_on": "2027-01-31",
            "who": "all",
            "csrf_token": csrf_token(manager, page),
        },
    )
    board = manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)
    assert "Sample Course for Tests, due 2027-01-31" in board
    # Chosen people only: two of three.
    join(app, manager, clinic, "lou@example.org", make_user)
    join(app, manager, clinic, "max@example.org", make_user)
    lou, max_ = (
        db.session.execute(db.select(User.id).filter_by(email=e)).scalar_one()
        for e in ("lou@example.org", "max@example.org")
    )
    manager.post(
        page,
        data={
            "course": course_id,
            "due_on": "2026-12-15",
            "who": [str(lou), str(max_)],
            "csrf_token": csrf_token(manager, page),
        },
    )
    listing = manager.get(page).get_data(as_text=True)
    assert listing.count("2026-12-15") == 2 and "All staff" in listing


def course_id(manager: FlaskClient, clinic: Clinic) -> str:
    html = manager.get(f"/clinics/{clinic.id}/assignments").get_data(as_text=True)
    return re.search(r'<option value="(\d+)">Sample Course for Tests', html).group(1)


def post(manager: FlaskClient, page: str, **data: object):
    return manager.post(page, data={**data, "csrf_token": csrf_token(manager, page)})


def assignments() -> list[Assignment]:
    db.session.rollback()
    return list(db.session.execute(db.select(Assignment).order_by(Assignment.id)).scalars())


@pytest.mark.clock("2026-11-24 12:00:00")
def test_a_due_date_in_the_past_is_saved_only_when_the_manager_says_so(
    app: Flask, make_user, packs
) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    page = f"/clinics/{clinic.id}/assignments"
    course = course_id(manager, clinic)
    warned = post(manager, page, course=course, due_on="2026-11-23", who="all")
    html = warned.get_data(as_text=True)
    assert warned.status_code == 200
    assert "23 November 2026 is in the past: staff will show as overdue at once." in html
    assert 'name="save_anyway"' in html
    assert assignments() == []
    # Today is not in the past; no box is offered for it.
    today = post(manager, page, course=course, due_on="2026-11-24", who="all")
    assert today.status_code == 302
    assert 'name="save_anyway"' not in manager.get(page).get_data(as_text=True)
    kept = post(manager, page, course=course, due_on="2026-11-23", who="all", save_anyway="y")
    assert kept.status_code == 302
    assert [a.due_on.isoformat() for a in assignments()] == ["2026-11-24", "2026-11-23"]


@pytest.mark.clock("2026-11-24 12:00:00")
def test_managers_edit_an_assignment_with_the_same_warning(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    join(app, manager, clinic, "kim@example.org", make_user)
    kim = db.session.execute(db.select(User.id).filter_by(email="kim@example.org")).scalar_one()
    course = course_id(manager, clinic)
    post(
        manager, f"/clinics/{clinic.id}/assignments", course=course, due_on="2027-01-31", who="all"
    )
    (row,) = assignments()
    page = f"/clinics/{clinic.id}/assignments/{row.id}"
    listing = manager.get(f"/clinics/{clinic.id}/assignments").get_data(as_text=True)
    assert f'href="{page}"' in listing
    form = manager.get(page).get_data(as_text=True)
    assert 'value="2027-01-31"' in form and '<option selected value="all">' in form
    past = post(manager, page, course=course, due_on="2026-10-01", who=str(kim))
    assert "1 October 2026 is in the past" in past.get_data(as_text=True)
    assert assignments()[0].due_on.isoformat() == "2027-01-31"
    saved = post(manager, page, course=course, due_on="2027-02-28", who=str(kim))
    assert saved.headers["Location"].endswith(f"/clinics/{clinic.id}/assignments")
    (row,) = assignments()
    assert (row.due_on.isoformat(), row.user_id) == ("2027-02-28", kim)
    # Someone not on the staff is not a choice; another clinic's assignment is not there.
    outsider = make_user("out@example.org", "Out")
    tampered = post(manager, page, course=course, due_on="2027-02-28", who=str(outsider.id))
    assert "Not a valid choice" in tampered.get_data(as_text=True)
    other, other_manager = make_clinic(app, make_user, "Other Clinic", "oz@example.org")
    assert other_manager.get(page).status_code == 404
    assert other_manager.get(f"/clinics/{other.id}/assignments/{row.id}").status_code == 404


def test_deleting_an_assignment_asks_first(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    course = course_id(manager, clinic)
    post(
        manager, f"/clinics/{clinic.id}/assignments", course=course, due_on="2099-01-31", who="all"
    )
    (row,) = assignments()
    url = f"/clinics/{clinic.id}/assignments/{row.id}/delete"
    token = csrf_token(manager, f"/clinics/{clinic.id}/assignments")
    asked = manager.post(url, data={"csrf_token": token})
    html = asked.get_data(as_text=True)
    assert "Delete the assignment of Sample Course for Tests?" in html
    assert "Staff will no longer be asked to complete it by 31 January 2099" in html
    assert len(assignments()) == 1
    assert manager.post(url).status_code == 400
    done = manager.post(url, data={"csrf_token": token, "confirmed": "yes"})
    assert done.headers["Location"].endswith(f"/clinics/{clinic.id}/assignments")
    assert assignments() == []
    assert manager.post(url, data={"csrf_token": token, "confirmed": "yes"}).status_code == 404
