"""A learner keeps the version they started, sees when a newer one is out, and may move to it,
keeping the modules whose content did not change; attempts count across versions."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Attempt, CourseVersion, Enrolment, Module, ModuleProgress
from tests.conftest import AuthActions, csrf_token
from tests.coursefiles import import_folder

COURSE = "/courses/sample-course"
MOVE = COURSE + "/move-to-newest"


def publish_change(courses: Path) -> None:
    """Version 2: the first module's text changes; the second module stays as it was."""
    module = courses / "sample-course" / "01-first-steps.md"
    module.write_text(module.read_text() + "\nA sentence added in version 2.\n")
    import_folder(courses)


def post(client: FlaskClient, path: str, **data: object) -> object:
    return client.post(path, data={"csrf_token": csrf_token(client, COURSE), **data})


def complete_both_modules(client: FlaskClient) -> None:
    for module in ("first-steps", "second-module"):
        post(client, f"{COURSE}/modules/{module}/read")
    page = f"{COURSE}/quizzes/first-steps"
    path = post(client, page + "/start").headers["Location"]
    client.post(
        path + "/submit",
        data={
            "confirmed": "yes",
            "q-q-single": "a",
            "q-q-multi": ["a", "b"],
            "q-q-tf": "false",
            "csrf_token": csrf_token(client, path),
        },
    )


def version_number() -> int:
    db.session.rollback()
    return db.session.execute(
        db.select(CourseVersion.number).join(Enrolment, Enrolment.version_id == CourseVersion.id)
    ).scalar_one()


def completed_slugs() -> set[str]:
    db.session.rollback()
    enrolment = db.session.execute(db.select(Enrolment)).scalar_one()
    return set(
        db.session.execute(
            db.select(Module.slug)
            .join(ModuleProgress, ModuleProgress.module_id == Module.id)
            .where(
                Module.version_id == enrolment.version_id,
                ModuleProgress.completed_at.is_not(None),
            )
        ).scalars()
    )


def test_moving_keeps_the_unchanged_modules_and_redoes_the_changed_one(
    courses: Path, client: FlaskClient, auth: AuthActions
) -> None:
    auth.signup()
    complete_both_modules(client)
    assert completed_slugs() == {"first-steps", "second-module"}
    assert "newer version" not in client.get(COURSE).get_data(as_text=True)

    publish_change(courses)
    page = client.get(COURSE).get_data(as_text=True)
    assert "A newer version of this course is out" in page
    assert (
        "If you move, 1 of your 2 completed modules stay complete (their text and quiz did not "
        "change); these changed and you would take them again: First Steps."
    ) in page
    assert "A sentence added in version 2" not in client.get(
        COURSE + "/modules/first-steps"
    ).get_data(as_text=True)

    moved = post(client, MOVE)
    assert moved.status_code == 302
    assert version_number() == 2
    assert completed_slugs() == {"second-module"}
    page = client.get(COURSE).get_data(as_text=True)
    assert "You are now on version 1.0. 1 completed module stayed complete." in page
    assert "A newer version of this course is out" not in page
    assert "A sentence added in version 2" in client.get(COURSE + "/modules/first-steps").get_data(
        as_text=True
    )
    # Moving again is refused: there is nothing newer.
    post(client, MOVE)
    assert "already on the newest version" in client.get(COURSE).get_data(as_text=True)


def test_an_open_attempt_must_be_submitted_before_moving(
    courses: Path, client: FlaskClient, auth: AuthActions, table_counts
) -> None:
    auth.signup()
    post(client, f"{COURSE}/modules/first-steps/read")
    post(client, f"{COURSE}/quizzes/first-steps/start")
    publish_change(courses)
    before = table_counts()
    post(client, MOVE)
    assert table_counts() == before
    assert version_number() == 1
    assert "You have a quiz attempt in progress" in client.get(COURSE).get_data(as_text=True)


def test_moving_needs_a_csrf_token_and_an_enrolment(
    courses: Path, client: FlaskClient, auth: AuthActions
) -> None:
    auth.signup()
    assert client.post(MOVE).status_code == 400
    publish_change(courses)
    post(client, MOVE)  # not enrolled: nothing to move
    assert "already on the newest version" in client.get(COURSE).get_data(as_text=True)
    db.session.rollback()
    assert db.session.execute(db.select(Enrolment)).first() is None


def test_attempts_at_a_final_count_across_versions(
    courses: Path, client: FlaskClient, auth: AuthActions
) -> None:
    auth.signup()
    post(client, COURSE + "/start")
    final = f"{COURSE}/quizzes/final"
    for _ in range(2):  # two failed attempts at version 1's final
        path = post(client, final + "/start").headers["Location"]
        client.post(
            path + "/submit",
            data={"confirmed": "yes", "q-f-one": "b", "csrf_token": csrf_token(client, path)},
        )
    publish_change(courses)
    post(client, MOVE)
    assert version_number() == 2
    overview = client.get(final).get_data(as_text=True)
    assert "1 attempt left." in overview
    path = post(client, final + "/start").headers["Location"]
    client.post(
        path + "/submit",
        data={"confirmed": "yes", "q-f-one": "b", "csrf_token": csrf_token(client, path)},
    )
    refused = post(client, final + "/start")
    assert refused.headers["Location"].endswith(final)
    assert "You have used all 3 attempts" in client.get(final).get_data(as_text=True)
    db.session.rollback()
    numbers = db.session.execute(db.select(Attempt.number).order_by(Attempt.id)).scalars().all()
    assert numbers == [1, 2, 3]


def test_after_moving_quiz_grades_and_attempts_carry_over(
    courses: Path, client: FlaskClient, auth: AuthActions
) -> None:
    """The course page and the quiz pages show the grade and attempts a learner earned in the
    version they moved from: the same quiz, counted as its attempt limit counts it."""
    auth.signup()
    complete_both_modules(client)  # the first module's quiz passed, 100%
    final = f"{COURSE}/quizzes/final"
    path = post(client, final + "/start").headers["Location"]
    client.post(
        path + "/submit",
        data={"confirmed": "yes", "q-f-one": "b", "csrf_token": csrf_token(client, path)},
    )
    before = client.get(COURSE).get_data(as_text=True)
    assert "quiz</a>: best 100%" in before and "not passed yet" in before

    publish_change(courses)  # the first module (and so its quiz's module) changed
    post(client, MOVE)
    assert version_number() == 2
    page = client.get(COURSE).get_data(as_text=True)
    assert "quiz</a>: best 100%" in page
    assert "not attempted" not in page and "1 attempt)" in page
    quiz = client.get(f"{COURSE}/quizzes/first-steps").get_data(as_text=True)
    assert "100%" in quiz
    # Reading the changed module again completes it: its quiz is already passed.
    assert completed_slugs() == {"second-module"}
    post(client, f"{COURSE}/modules/first-steps/read")
    assert completed_slugs() == {"first-steps", "second-module"}
    # My learning agrees.
    assert "100%" in client.get("/my-learning").get_data(as_text=True)
