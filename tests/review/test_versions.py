"""Cards follow the version the learner takes: a question retired by the new version retires
its card, a changed one resets it, an unchanged one keeps its schedule."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import CourseVersion, Module
from tests.conftest import AuthActions, csrf_token
from tests.coursefiles import import_folder
from tests.review.helpers import COURSE, QUIZ, cards, take

ALL_WRONG = {"q-q-single": "b", "q-q-multi": ["a"], "q-q-tf": "true"}


def publish_version_2(courses: Path) -> None:
    """q-single reworded, q-multi removed, q-tf as it was."""
    quiz = courses / "sample-course" / "01-first-steps.quiz.yml"
    text = quiz.read_text().replace("Which is true?", "Which one is true?")
    start = text.index("  - id: q-multi")
    end = text.index("  - id: q-tf")
    quiz.write_text(text[:start] + text[end:])
    import_folder(courses)


def test_cards_follow_the_learner_to_the_new_version(
    client: FlaskClient, auth: AuthActions, courses: Path
) -> None:
    auth.signup()
    client.post(COURSE + "/start", data={"csrf_token": csrf_token(client, COURSE)})
    take(client, QUIZ, ALL_WRONG)
    before = {c.item: c for c in cards()}
    assert set(before) == {"first-steps/q-single", "first-steps/q-multi", "first-steps/q-tf"}
    old_due = {item: c.due for item, c in before.items()}
    old_hash = {item: c.content_hash for item, c in before.items()}
    old_version = {item: c.version_id for item, c in before.items()}
    publish_version_2(courses)
    client.get("/review")  # still on version 1: nothing changes
    assert {c.item: (c.retired, c.version_id) for c in cards()} == {
        item: (False, old_version[item]) for item in before
    }
    moved = client.post(COURSE + "/move-to-newest", data={"csrf_token": csrf_token(client, COURSE)})
    assert moved.status_code == 302
    client.get("/review")
    after = {c.item: c for c in cards()}
    newest = db.session.execute(
        db.select(CourseVersion.id).order_by(CourseVersion.id.desc()).limit(1)
    ).scalar_one()
    assert after["first-steps/q-multi"].retired
    single = after["first-steps/q-single"]
    assert not single.retired and single.version_id == newest
    assert "Which one is true?" in single.content["prompt_html"]
    assert single.due < old_due["first-steps/q-single"]  # reset: a new card, due now
    assert single.content_hash != old_hash["first-steps/q-single"]
    new_module = db.session.execute(
        db.select(Module.id).filter_by(version_id=newest, slug="first-steps")
    ).scalar_one()
    assert single.module_id == new_module  # "Read the module again" leads to the new text
    tf = after["first-steps/q-tf"]
    assert (tf.retired, tf.version_id, tf.due) == (False, newest, old_due["first-steps/q-tf"])
    page = client.get("/review").get_data(as_text=True)
    assert "2 in your deck" in page
