"""Two authors publishing at the same moment: one version is published, the other author is
asked to bring their draft up to date, and nobody sees an error page or a half-written version.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from eduapp.extensions import db
from eduapp.models import Course, CourseVersion
from tests.conftest import csrf_token
from tests.studio.test_publishing import PUBLISH, SLUG, edit, published, signed_in


def _post(client: FlaskClient, label: str, token: str) -> Any:
    return client.post(PUBLISH, data={"label": label, "note": "A correction.", "csrf_token": token})


def test_two_publishes_at_once_publish_one_and_ask_the_other_to_update(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    cora = signed_in(app, make_user, "cora@example.org", "Cora")
    edit("ivy@example.org", "first-steps", "Ivy's correction of the first module.")
    edit("cora@example.org", "second-module", "Cora's correction of the second module.")
    tokens = {"ivy": csrf_token(ivy, PUBLISH), "cora": csrf_token(cora, PUBLISH)}
    start = threading.Barrier(2)
    answers: dict[str, Any] = {}

    def publish(name: str, client: FlaskClient, label: str) -> None:
        start.wait()
        answers[name] = _post(client, label, tokens[name])

    threads = [
        threading.Thread(target=publish, args=("ivy", ivy, "1.1.0")),
        threading.Thread(target=publish, args=("cora", cora, "1.2.0")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    codes = sorted(answer.status_code for answer in answers.values())
    assert codes == [200, 302]
    (loser,) = [a.get_data(as_text=True) for a in answers.values() if a.status_code == 200]
    assert "was published after you started this draft" in loser
    versions = published()
    assert [number for number, _, _ in versions] == [1, 2]
    assert versions[-1][1] in ("1.1.0", "1.2.0")
    drafts_left = db.session.scalar(
        db.select(db.func.count()).where(CourseVersion.published_at.is_(None))
    )
    assert drafts_left == 1  # the author who lost the race keeps their draft


def test_a_version_number_taken_while_publishing_is_a_refusal_and_writes_nothing(
    app: Flask, imported: None, make_user, table_counts
) -> None:
    """The unique (course, number) is the last guard when something other than a publish
    (an import, say) wrote a version between our checks and our write."""
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    edit("ivy@example.org", "first-steps", "Ivy's correction of the first module.")
    token = csrf_token(ivy, PUBLISH)
    before = table_counts()

    def take_the_number(session: Session, _context: Any, _instances: Any) -> None:
        for row in list(session.dirty):
            if isinstance(row, CourseVersion) and row.number is not None and row.is_draft is False:
                course = session.get_one(Course, row.course_id)
                session.add(
                    CourseVersion(
                        course_id=course.id,
                        number=row.number,
                        label="9.0",
                        source="files",
                        title=course.title,
                        summary=course.summary,
                    )
                )

    event.listen(Session, "before_flush", take_the_number)
    try:
        page = _post(ivy, "1.1.0", token)
    finally:
        event.remove(Session, "before_flush", take_the_number)
    assert page.status_code == 200
    assert "published at the same moment" in page.get_data(as_text=True)
    assert table_counts() == before
    assert published() == [(1, "1.0", "files")]
    assert db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
