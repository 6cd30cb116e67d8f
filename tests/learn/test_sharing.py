"""A learner's choice to share their results with a course's instructors: off by default,
made on the course page with a CSRF-checked form, changeable at any time; and the privacy
page that says who sees what."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.learn.sharing import set_sharing
from eduapp.models import Enrolment
from tests.conftest import AuthActions, csrf_token
from tests.learn.test_course_pages import post, user
from tests.studio.conftest import grant
from tests.studio.test_gradebook_csv import ask, build
from tests.studio.test_owners import signed_in

COURSE = "/courses/sample-course"
SHARE = COURSE + "/sharing"
GRADEBOOK = "/studio/courses/sample-course/gradebook"


def enrolment() -> Enrolment | None:
    db.session.rollback()
    return db.session.execute(
        db.select(Enrolment).filter_by(user_id=user().id)
    ).scalar_one_or_none()


def checkbox(html: str) -> str:
    match = re.search(r'<input[^>]*name="share"[^>]*>', html)
    assert match, "no sharing checkbox"
    return match.group(0)


def started(client: FlaskClient, make_user) -> FlaskClient:
    make_user()
    AuthActions(client).login()
    post(client, COURSE + "/start", COURSE)
    return client


def test_results_are_not_shared_until_the_learner_chooses(
    client: FlaskClient, make_user, imported: None
) -> None:
    started(client, make_user)
    row = enrolment()
    assert row is not None and row.results_shared_at is None
    html = client.get(COURSE).get_data(as_text=True)
    assert "Who sees your results" in html
    assert "<strong>not shared</strong>" in html
    assert 'type="checkbox" value="y"' in checkbox(html)
    assert "checked" not in checkbox(html)
    assert "do not see your email address or your answers" in html
    assert 'href="/privacy"' in html


def test_sharing_and_withdrawing(client: FlaskClient, make_user, imported: None) -> None:
    started(client, make_user)
    token = csrf_token(client, COURSE)
    response = client.post(SHARE, data={"csrf_token": token, "share": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses/sample-course#sharing")
    row = enrolment()
    assert row is not None and row.results_shared_at is not None
    html = client.get(COURSE).get_data(as_text=True)
    assert "are shared with its owners and co-authors" in html  # the flash
    assert "<strong>shared</strong>" in html
    assert "checked" in checkbox(html)
    # An unticked box sends nothing: sharing stops.
    client.post(SHARE, data={"csrf_token": token})
    row = enrolment()
    assert row is not None and row.results_shared_at is None
    assert "are not shared" in client.get(COURSE).get_data(as_text=True)


def test_tampered_requests_change_nothing(client: FlaskClient, make_user, imported: None) -> None:
    started(client, make_user)
    token = csrf_token(client, COURSE)
    assert client.post(SHARE, data={"share": "y"}).status_code == 400  # no CSRF token
    for value in ("yes", "1", "true", ""):
        response = client.post(SHARE, data={"csrf_token": token, "share": value})
        assert response.status_code == 400, value
    response = client.post(SHARE, data={"csrf_token": token, "share": ["y", "y"]})
    assert response.status_code == 400
    row = enrolment()
    assert row is not None and row.results_shared_at is None


def test_someone_not_enrolled_is_told_to_start_first(
    client: FlaskClient, make_user, imported: None
) -> None:
    make_user()
    AuthActions(client).login()
    token = csrf_token(client, COURSE)
    assert "Who sees your results" not in client.get(COURSE).get_data(as_text=True)
    response = client.post(SHARE, data={"csrf_token": token, "share": "y"})
    assert response.status_code == 302
    assert enrolment() is None  # sharing does not enrol anyone
    assert "Start the course first" in client.get(COURSE).get_data(as_text=True)
    missing = client.post("/courses/no-such-course/sharing", data={"csrf_token": token})
    assert missing.status_code == 404


def test_a_repeated_choice_keeps_the_first_stamp(app: Flask, imported: None, make_user) -> None:
    row = Enrolment(user_id=make_user().id, course_id=1, version_id=1)
    assert set_sharing(row, True) is True
    first = row.results_shared_at
    assert set_sharing(row, True) is False and row.results_shared_at == first
    assert set_sharing(row, False) is True and row.results_shared_at is None


def test_the_privacy_page_says_who_sees_what(client: FlaskClient) -> None:
    html = client.get("/privacy").get_data(as_text=True)
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)  # the footer
    for said in (
        "only if you choose to share them",
        "fewer than 5 learners only the counts are shown",
        "Clinic managers",
        "They do not see your quiz answers or your quiz grades",
        "whether or not they share",
        "own results is recorded",
    ):
        assert said in html, said


def test_the_learner_sees_who_looked_at_their_results(
    app: Flask, client: FlaskClient, make_user, imported: None
) -> None:
    started(client, make_user)
    token = csrf_token(client, COURSE)
    owner = signed_in(app, make_user, "ivy@example.org")
    grant("ivy@example.org", "sample-course")
    admin = signed_in(app, make_user, "ada@example.org", role="admin")
    owner.get(GRADEBOOK)  # not shared yet: the owner sees no one, nothing to tell
    assert "Nobody has looked at your own results" in client.get(COURSE).get_data(as_text=True)
    client.post(SHARE, data={"csrf_token": token, "share": "y"})
    owner.get(GRADEBOOK)
    build(ask(admin, GRADEBOOK))  # the learners' CSV: recorded when the job reads the rows
    html = client.get(COURSE).get_data(as_text=True)
    said = re.sub(r"<(?!li)[^>]+>", "", html.split('id="looks-heading"')[1].split("</ul>")[0])
    assert said.index("Ada, an admin, in a download") < said.index(
        "Ivy, an owner or co-author of this course"
    )
    assert said.count("<li>") == 2
