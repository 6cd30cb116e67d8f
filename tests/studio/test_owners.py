"""Course ownership: who manages a course, My courses, and adding and removing its people."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Course, CourseOwner, User
from eduapp.studio import owners
from tests.conftest import AuthActions, csrf_token
from tests.studio.conftest import grant
from tests.test_concurrent_writes import burst

COURSE = "/studio/courses/sample-course"


def signed_in(app: Flask, make_user, email: str, role: str = "instructor") -> FlaskClient:
    make_user(email, email.split("@")[0].title(), role=role)
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def course() -> Course:
    return db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()


def user(email: str) -> User:
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one()


def post(client: FlaskClient, path: str, **data: str):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, COURSE)})


def open_rows() -> list[tuple[str, str]]:
    db.session.rollback()  # see what the requests committed
    return sorted(
        (email, role)
        for email, role in db.session.execute(
            db.select(User.email, CourseOwner.role)
            .join(User, User.id == CourseOwner.user_id)
            .where(CourseOwner.removed_at.is_(None))
        ).all()
    )


def test_who_manages_a_course(app: Flask, imported: None, make_user) -> None:
    ada = make_user("ada@example.org", "Ada", role="admin")
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    cora = make_user("cora@example.org", "Cora", role="instructor")
    olly = make_user("olly@example.org", "Olly", role="instructor")
    lea = make_user("lea@example.org", "Lea")
    target = course()
    # Imported: nobody owns it, so admins alone manage it.
    assert [owners.can_manage(u, target) for u in (ada, ivy, lea, None)] == [
        True,
        False,
        False,
        False,
    ]
    grant("ivy@example.org", "sample-course")
    grant("cora@example.org", "sample-course", role="co-author")
    grant("lea@example.org", "sample-course", role="co-author")  # a row cannot make a learner one
    assert [owners.can_manage(u, target) for u in (ada, ivy, cora, olly, lea)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert owners.can_change_people(ivy, target) and owners.can_change_people(ada, target)
    assert not owners.can_change_people(cora, target)
    assert [c.slug for c in owners.managed_courses(ivy)] == ["sample-course"]
    assert owners.managed_courses(olly) == [] and owners.managed_courses(lea) == []
    assert len(owners.managed_courses(ada)) == db.session.scalar(
        db.select(db.func.count(Course.id))
    )


def test_an_instructor_who_owns_nothing_sees_an_empty_my_courses(
    app: Flask, imported: None, make_user
) -> None:
    olly = signed_in(app, make_user, "olly@example.org")
    home = olly.get("/").get_data(as_text=True)
    assert 'href="/studio">Studio</a>' in home
    html = olly.get("/studio").get_data(as_text=True)
    assert "An admin assigns courses to instructors" in html
    assert "Sample Course for Tests" not in html
    assert olly.get(COURSE).status_code == 404


def test_my_courses_lists_what_the_instructor_manages(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org")
    grant("ivy@example.org", "sample-course", role="co-author")
    target = course()
    target.status = "draft"
    db.session.commit()
    html = ivy.get("/studio").get_data(as_text=True)
    row = html.split("Sample Course for Tests")[1].split("</tr>")[0]
    assert "Draft" in row and f">{target.version}<" in row
    assert "24 November 2026" in row  # the last import that changed it
    assert "0 errors, 1 warning" in row and "flask courses check" in html
    assert 'href="/courses/sample-course/evaluations"' in row or not target.ce_hours
    admin = signed_in(app, make_user, "ada@example.org", role="admin")
    everything = admin.get("/studio").get_data(as_text=True)
    titles = db.session.execute(db.select(Course.title)).scalars().all()
    assert all(title in everything for title in titles)


def test_the_course_page_lists_its_people_and_links_to_its_pages(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org")
    make_user("cora@example.org", "Cora Co", role="instructor")
    grant("ivy@example.org", "sample-course")
    grant("cora@example.org", "sample-course", role="co-author")
    html = ivy.get(COURSE).get_data(as_text=True)
    people = html.split('id="people-heading"')[1].split("</table>")[0]
    assert people.index("Owner") < people.index("Co-author")
    assert "Cora Co" in people and "cora@example.org" in people
    assert 'href="/studio/courses/sample-course/quizzes/first-steps/analysis"' in html
    assert 'href="/courses/sample-course/quizzes/first-steps/accommodations"' in html
    assert "Add co-author" in html and "Assign owner" not in html
    assert f'action="{COURSE}/people/{user("cora@example.org").id}/remove"' in html
    # Ivy is the only owner: no remove button for her.
    assert f'action="{COURSE}/people/{user("ivy@example.org").id}/remove"' not in html


def test_an_owner_adds_a_co_author_on_record(app: Flask, imported: None, make_user) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org")
    make_user("cora@example.org", "Cora Co", role="instructor")
    grant("ivy@example.org", "sample-course")
    response = post(ivy, COURSE + "/co-authors", email=" Cora@Example.org ")
    assert response.status_code == 302 and response.headers["Location"] == COURSE
    assert "Cora Co is now a co-author of" in ivy.get(COURSE).get_data(as_text=True)
    row = db.session.execute(
        db.select(CourseOwner).filter_by(user_id=user("cora@example.org").id)
    ).scalar_one()
    assert row.role == "co-author" and row.added_by_id == user("ivy@example.org").id
    assert row.added_at is not None and row.removed_at is None
    cora = app.test_client()
    AuthActions(cora).login("cora@example.org")
    assert "Sample Course for Tests" in cora.get("/studio").get_data(as_text=True)
    assert cora.get(COURSE + "/quizzes/first-steps/analysis").status_code == 200
    # A co-author manages the course but does not choose its people.
    page = cora.get(COURSE).get_data(as_text=True)
    assert "Add co-author" not in page and "/remove" not in page
    assert post(cora, COURSE + "/co-authors", email="ivy@example.org").status_code == 403
    assert post(cora, COURSE + "/owners", owner_email="cora@example.org").status_code == 403


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("ghost@example.org", "No instructor account has the address ghost@example.org."),
        ("lea@example.org", "No instructor account has the address lea@example.org."),
        ("cora@example.org", "Cora Co is already a co-author of this course."),
        ("ivy@example.org", "Ivy is already an owner of this course."),
        ("not an address", "Invalid email address."),
        ("", "This field is required."),
    ],
)
def test_a_refused_co_author_is_a_form_error_and_writes_nothing(
    app: Flask, imported: None, make_user, table_counts, email: str, message: str
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org")
    make_user("lea@example.org", "Lea")
    make_user("cora@example.org", "Cora Co", role="instructor")
    grant("ivy@example.org", "sample-course")
    grant("cora@example.org", "sample-course", role="co-author")
    before = table_counts()
    response = post(ivy, COURSE + "/co-authors", email=email)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(r'<p class="error" id="email-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert 'aria-invalid="true"' in html
    assert table_counts() == before


def test_a_second_open_row_for_the_same_person_is_refused_by_the_database(
    app: Flask, imported: None, make_user
) -> None:
    """Two adds racing past the service's check: the partial unique index stops the second,
    and the savepoint keeps the first."""
    cora = make_user("cora@example.org", "Cora Co", role="instructor")
    owners._insert(course(), cora, owners.CourseRole.CO_AUTHOR, None)
    with pytest.raises(owners.OwnershipError, match="already on this course"):
        owners._insert(course(), cora, owners.CourseRole.OWNER, None)
    db.session.commit()
    assert open_rows() == [("cora@example.org", "co-author")]


def test_an_owner_removes_a_co_author_after_confirming(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org")
    cora = make_user("cora@example.org", "Cora Co", role="instructor")
    grant("ivy@example.org", "sample-course")
    grant("cora@example.org", "sample-course", role="co-author")
    path = f"{COURSE}/people/{cora.id}/remove"
    asked = post(ivy, path)
    assert asked.status_code == 200
    assert "Remove Cora Co from Sample Course for Tests?" in asked.get_data(as_text=True)
    assert ("cora@example.org", "co-author") in open_rows()  # nothing changed yet
    done = post(ivy, path, confirmed="yes")
    assert done.status_code == 302
    assert open_rows() == [("ivy@example.org", "owner")]
    db.session.rollback()
    closed = db.session.execute(db.select(CourseOwner).filter_by(user_id=cora.id)).scalar_one()
    assert closed.removed_by_id == user("ivy@example.org").id and closed.removed_at
    page = ivy.get(COURSE).get_data(as_text=True)
    assert "Cora Co is removed" in page and "Earlier changes (1)" in page
    # Removed once: a second removal finds no one.
    assert post(ivy, path, confirmed="yes").status_code == 404


def test_only_admins_touch_owners_and_never_the_last_one(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org")
    admin = signed_in(app, make_user, "ada@example.org", role="admin")
    cora = make_user("cora@example.org", "Cora Co", role="instructor")
    grant("ivy@example.org", "sample-course")
    ivy_id = user("ivy@example.org").id
    # An owner may not assign owners, nor remove one (herself included).
    assert post(ivy, COURSE + "/owners", owner_email="cora@example.org").status_code == 403
    assert post(ivy, f"{COURSE}/people/{ivy_id}/remove", confirmed="yes").status_code == 403
    # The last owner stays, even for an admin.
    refused = post(admin, f"{COURSE}/people/{ivy_id}/remove", confirmed="yes")
    assert refused.status_code == 302
    assert "the course&#39;s only owner" in admin.get(COURSE).get_data(as_text=True)
    assert open_rows() == [("ivy@example.org", "owner")]
    # An admin names a second owner; then the first may go.
    grant("cora@example.org", "sample-course", role="co-author")
    promoted = post(admin, COURSE + "/owners", owner_email="cora@example.org")
    assert promoted.status_code == 302
    assert open_rows() == [("cora@example.org", "owner"), ("ivy@example.org", "owner")]
    history = db.session.execute(
        db.select(CourseOwner).filter_by(user_id=cora.id).order_by(CourseOwner.id)
    ).scalars()
    old, new = history.all()
    assert old.role == "co-author" and old.removed_by_id == user("ada@example.org").id
    assert new.role == "owner" and new.added_by_id == user("ada@example.org").id
    assert post(admin, f"{COURSE}/people/{ivy_id}/remove", confirmed="yes").status_code == 302
    assert open_rows() == [("cora@example.org", "owner")]
    assert ivy.get(COURSE).status_code == 404
    again = post(admin, COURSE + "/owners", owner_email="cora@example.org")
    assert "Cora Co is already an owner" in again.get_data(as_text=True)
    assert 'id="owner_email-error"' in again.get_data(as_text=True)


def test_old_item_analysis_addresses_move_permanently(client: FlaskClient) -> None:
    old = "/courses/sample-course/quizzes/first-steps/analysis"
    response = client.get(old + "?attempts=all")
    assert response.status_code == 301
    assert response.headers["Location"] == "/studio" + old + "?attempts=all"
    csv = client.get(old + ".csv?attempts=<script>")
    assert csv.status_code == 301 and csv.headers["Location"] == "/studio" + old + ".csv"


def test_two_admins_removing_the_last_two_owners_at_once_leave_one(
    app: Flask, imported: None, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each removal alone is allowed; at once, the second must see the first and refuse.

    A pause between the check and the write widens the race, so that without the lock
    (SQLite's write lock, PostgreSQL's FOR UPDATE) both removals would pass the check."""
    close = owners._close

    def slow_close(*args: object) -> None:
        time.sleep(0.3)
        close(*args)

    monkeypatch.setattr(owners, "_close", slow_close)
    admins = [signed_in(app, make_user, f"ad{i}@example.org", role="admin") for i in (1, 2)]
    make_user("ivy@example.org", "Ivy", role="instructor")
    make_user("cora@example.org", "Cora", role="instructor")
    grant("ivy@example.org", "sample-course")
    grant("cora@example.org", "sample-course")
    tokens = {id(c): csrf_token(c, COURSE) for c in admins}
    paths = {
        id(admins[0]): f"{COURSE}/people/{user('ivy@example.org').id}/remove",
        id(admins[1]): f"{COURSE}/people/{user('cora@example.org').id}/remove",
    }
    db.session.rollback()
    statuses = burst(
        admins,
        lambda c: c.post(paths[id(c)], data={"csrf_token": tokens[id(c)], "confirmed": "yes"}),
    )
    assert statuses == [302, 302]  # one removed, one told it is the only owner
    assert len(open_rows()) == 1
