"""Saving a practice exam's answers as a quiz attempt's are saved: the no-script Save button,
the quizzes' grace after the deadline, and nothing saved once the exam is submitted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from eduapp.clock import now
from eduapp.extensions import db
from eduapp.models import PracticeExam
from tests.conftest import csrf_token
from tests.practice.conftest import signed_in

JSON = {"Accept": "application/json"}


def move_deadline(exam_id: int, ago: timedelta) -> None:
    db.session.rollback()
    exam = db.session.get_one(PracticeExam, exam_id)
    exam.deadline = now() - ago
    db.session.commit()


@pytest.mark.clock("2026-11-24 12:00:00", tick=False)
def test_the_save_button_the_grace_and_a_submitted_exam(
    app: Flask, tagged: None, blueprints: Any, make_user
) -> None:
    client = signed_in(app, make_user)
    started = client.post(
        "/practice/sample/start",
        data={"csrf_token": csrf_token(client, "/practice"), "size": "50", "timed": "y"},
    )
    exam_url = started.headers["Location"]
    exam = db.session.execute(db.select(PracticeExam)).scalar_one()
    question = next(q for q in exam.snapshot["questions"] if q["type"] in ("single", "true_false"))
    right = next(c["key"] for c in question["choices"] if c["correct"])
    wrong = next(c["key"] for c in question["choices"] if not c["correct"])
    field = f"q-{question['key']}"
    token = csrf_token(client, exam_url)
    save = f"{exam_url}/save"

    # Without the script, Save keeps the answer and says so on the exam's page.
    kept = client.post(save, data={"csrf_token": token, field: wrong})
    assert kept.status_code == 302 and kept.headers["Location"] == exam_url
    page = client.get(exam_url).get_data(as_text=True)
    assert "Your answers are saved. You can come back and finish later." in page

    # 29 s after the deadline is within the 30 s grace: the answer still counts.
    move_deadline(exam.id, timedelta(seconds=29))
    within = client.post(save, data={"csrf_token": token, field: right}, headers=JSON)
    assert within.get_json() == {"saved": True, "questions": 1}

    # 31 s after it, Save is refused with the reason, and the answer stays as it was.
    move_deadline(exam.id, timedelta(seconds=31))
    late = client.post(save, data={"csrf_token": token, field: wrong})
    assert late.status_code == 302 and late.headers["Location"] == exam_url
    result = client.get(exam_url, follow_redirects=True).get_data(as_text=True)
    assert "Time is up for this practice exam; answers can no longer be saved." in result
    db.session.rollback()
    graded = db.session.get_one(PracticeExam, exam.id)
    assert graded.submitted_at is not None and graded.responses == {question["key"]: [right]}

    # Once submitted, nothing more is saved: the script is told why.
    after = client.post(save, data={"csrf_token": token, field: wrong}, headers=JSON)
    assert after.status_code == 409
    assert after.get_json() == {
        "saved": False,
        "message": "This practice exam was already submitted.",
    }
    db.session.rollback()
    assert db.session.get_one(PracticeExam, exam.id).responses == {question["key"]: [right]}
