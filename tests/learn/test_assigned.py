"""Assigned to you: the courses a learner's clinics ask of them, on My learning, in the
catalogue and behind the reminder's link. The clock is fixed at 2026-11-24 12:00 UTC."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email import message_from_bytes, policy

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from eduapp.extensions import db
from eduapp.learn.assigned import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    OVERDUE,
    assigned_courses,
    status_of,
)
from eduapp.mail import outbox_dir
from eduapp.models import Assignment, Clinic, ClinicMember, Course, Enrolment, User
from tests.conftest import AuthActions, deliver_mail
from tests.learn.test_course_pages import count_queries, make_course

JOINED = datetime(2026, 1, 5, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("due", "started", "completed", "status"),
    [
        (date(2026, 12, 1), False, False, NOT_STARTED),
        (date(2026, 12, 1), True, False, IN_PROGRESS),
        (TODAY, True, False, IN_PROGRESS),  # due today is still on time
        (date(2026, 11, 23), False, False, OVERDUE),
        (date(2026, 11, 23), True, False, OVERDUE),
        (date(2026, 11, 23), True, True, COMPLETED),
    ],
)
def test_status(due: date, started: bool, completed: bool, status: str) -> None:
    assert status_of(due, started, completed, TODAY) == status


def clinic(name: str, manager: User) -> Clinic:
    row = Clinic(name=name, created_by_id=manager.id)
    db.session.add(row)
    db.session.flush()
    db.session.add(ClinicMember(clinic_id=row.id, user_id=manager.id, role="manager"))
    return row


def staff(clinic_row: Clinic, user: User, left: bool = False, consented: bool = True) -> None:
    db.session.add(
        ClinicMember(
            clinic_id=clinic_row.id,
            user_id=user.id,
            role="staff",
            consented_at=JOINED if consented else None,
            left_at=JOINED if left else None,
        )
    )


def assign(clinic_row: Clinic, course: Course, due: date, user: User | None = None) -> None:
    db.session.add(
        Assignment(
            clinic_id=clinic_row.id,
            course_id=course.id,
            user_id=user.id if user else None,
            due_on=due,
            created_by_id=clinic_row.created_by_id,
        )
    )


@pytest.fixture
def people(app: Flask, make_user) -> tuple[User, User, AuthActions]:
    """Kim (signed in, on a client) and Mia, who manages clinics."""
    kim = make_user("kim@example.org", "Kim")
    mia = make_user("mia@example.org", "Mia")
    client = app.test_client()
    AuthActions(client).login("kim@example.org")
    return kim, mia, AuthActions(client)


def page(auth: AuthActions, path: str = "/my-learning") -> str:
    return auth.client.get(path).get_data(as_text=True)


def test_my_learning_lists_each_assignment_with_its_status(people) -> None:
    kim, mia, auth = people
    harbour, north = clinic("Harbour Clinic", mia), clinic("North Clinic", mia)
    staff(harbour, kim)
    staff(north, kim)
    courses = {name: make_course(name, 1) for name in ("ethics", "pain", "neck", "posture")}
    assign(harbour, courses["ethics"], date(2026, 12, 1))  # everyone
    assign(harbour, courses["pain"], date(2026, 11, 20), kim)  # by name, overdue
    assign(north, courses["neck"], date(2026, 12, 10))
    assign(north, courses["posture"], date(2026, 11, 1), kim)
    db.session.add(
        Enrolment(
            user_id=kim.id,
            course_id=courses["neck"].id,
            version_id=courses["neck"].current_version_id,
        )
    )
    db.session.add(
        Enrolment(
            user_id=kim.id,
            course_id=courses["posture"].id,
            version_id=courses["posture"].current_version_id,
            completed_at=JOINED,
        )
    )
    db.session.commit()

    html = page(auth)
    section = html.split('id="assigned"', 1)[1].split("</section>", 1)[0]
    assert "Assigned to you" in section
    cards = section.split('<li class="course-card')[1:]
    assert [re.search(r'/courses/[\w-]+">([^<]+)</a>', c).group(1) for c in cards] == [
        "pain",
        "ethics",
        "neck",
        "posture",
    ]  # open ones by due date, then completed
    assert "Harbour Clinic" in cards[0] and "20 November 2026" in cards[0]
    assert 'aria-hidden="true">!</span> Overdue' in cards[0]  # in words, not colour alone
    assert "Not started" in cards[1] and '<time datetime="2026-12-01">' in cards[1]
    assert "North Clinic" in cards[2] and "In progress" in cards[2]
    assert "Completed" in cards[3]
    assert "You have not started a course yet" not in html


def test_only_current_staff_see_their_own_and_everyones_assignments(people, make_user) -> None:
    kim, mia, auth = people
    lou = make_user("lou@example.org", "Lou")
    mine, left, pending, managed = (
        clinic(n, mia) for n in ("Mine", "Left Clinic", "Pending Clinic", "Managed Clinic")
    )
    staff(mine, kim)
    staff(mine, lou)
    staff(left, kim, left=True)
    staff(pending, kim, consented=False)
    db.session.add(ClinicMember(clinic_id=managed.id, user_id=kim.id, role="manager"))
    course, other, draft = make_course("shown", 1), make_course("lous", 1), make_course("draft", 1)
    draft.status = "draft"
    assign(mine, course, date(2026, 12, 1))
    assign(mine, course, date(2026, 12, 20), kim)  # the same course again: shown once
    assign(mine, other, date(2026, 12, 1), lou)  # someone else's
    assign(mine, draft, date(2026, 12, 1))  # not published: nothing to take
    for row in (left, pending, managed):
        assign(row, other, date(2026, 12, 1))
    db.session.commit()

    found = assigned_courses(kim)
    assert [(a.course.slug, a.clinic_name, a.due_on) for a in found] == [
        ("shown", "Mine", date(2026, 12, 1))
    ]
    assert page(auth).count('class="course-card assigned-card') == 1


def test_something_assigned_is_not_an_empty_page(people) -> None:
    kim, mia, auth = people
    row = clinic("Harbour Clinic", mia)
    staff(row, kim)
    db.session.commit()
    assert "You have not started a course yet" in page(auth)
    assert 'id="assigned"' not in page(auth)
    assign(row, make_course("ethics", 1), date(2026, 12, 1))
    db.session.commit()
    html = page(auth)
    assert "You have not started a course yet" not in html and 'id="assigned"' in html


def test_the_catalogue_marks_assigned_courses(people, client) -> None:
    kim, mia, auth = people
    row = clinic("Harbour Clinic", mia)
    staff(row, kim)
    assign(row, make_course("ethics", 1), date(2026, 11, 1))
    make_course("other", 1)
    db.session.commit()
    html = page(auth, "/")
    assert html.count("Assigned by") == 1
    assert (
        'Assigned by <bdi>Harbour Clinic</bdi>, due <time datetime="2026-11-01">1 November 2026'
        "</time> (overdue)" in html
    )
    assert "Assigned by" not in client.get("/").get_data(as_text=True)  # signed out


def test_query_counts_do_not_grow_with_assignments(people) -> None:
    kim, mia, auth = people
    row = clinic("Harbour Clinic", mia)
    staff(row, kim)
    counts: dict[str, list[int]] = {"/my-learning": [], "/": []}
    made = 0
    for total in (1, 10):
        while made < total:
            course = make_course(f"course-{made}", 2)
            assign(row, course, date(2026, 12, 1), kim if made % 2 else None)
            if made % 3 == 0:
                db.session.add(
                    Enrolment(
                        user_id=kim.id, course_id=course.id, version_id=course.current_version_id
                    )
                )
            made += 1
        db.session.commit()
        for path, seen in counts.items():
            with count_queries() as statements:
                html = page(auth, path)
            seen.append(len(statements))
        assert html.count("Assigned by") == total
    assert all(a == b for a, b in counts.values()), counts


def test_the_reminder_links_straight_to_the_section(
    people, app: Flask, runner: FlaskCliRunner
) -> None:
    kim, mia, auth = people
    row = clinic("Harbour Clinic", mia)
    staff(row, kim)
    assign(row, make_course("ethics", 1), date(2026, 11, 30))
    db.session.commit()
    before = set(outbox_dir().glob("*.eml")) if outbox_dir().exists() else set()
    result = runner.invoke(args=["ce", "remind"])
    assert result.exit_code == 0, result.output
    deliver_mail()
    (mail,) = [
        message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in set(outbox_dir().glob("*.eml")) - before
        if "To: kim@example.org" in p.read_text()
    ]
    body = mail.get_content()
    assert "ethics is due on 30 November 2026." in body
    link = f"{app.config['BASE_URL']}/my-learning#assigned"
    assert f"Your assigned courses: {link}" in body
    assert "/my-ce" not in body  # no licence line, so no licence link
    path, anchor = link.removeprefix(app.config["BASE_URL"]).split("#")
    assert f'id="{anchor}"' in page(auth, path)
