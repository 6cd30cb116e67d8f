"""Practice exams: drawn by a blueprint from module quizzes only, never a final's pool, never a
quiz whose answers the learner may not see yet; scored per content area; records of their own
that change no grade, attempt, item total, completion or certificate."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from eduapp.content.loader import load_catalogue
from eduapp.content.questions import build_question
from eduapp.content.quizschema import QuestionFile
from eduapp.content.yamlfile import ContentError
from eduapp.extensions import db
from eduapp.models import PracticeExam, Quiz, ReviewCard
from eduapp.practice import blueprint, draw, services
from eduapp.studio.question_preview import learner_view
from tests.conftest import csrf_token
from tests.practice.conftest import BLUEPRINT, signed_in, user

ROOT = Path(__file__).resolve().parents[2]


def test_shares_are_apportioned_by_largest_remainder() -> None:
    bp = blueprint.Blueprint.model_validate(
        {
            "slug": "x",
            "title": "X",
            "purpose": "P",
            "not_for": "N",
            "checked": "2026-12-01",
            "sources": ["S"],
            "areas": [
                {"id": a, "title": a, "weight": w, "tags": [a]}
                for a, w in (("a", 20), ("b", 15), ("c", 15), ("d", 50))
            ],
        }
    )
    assert bp.shares(50) == {"a": 10, "b": 8, "c": 7, "d": 25}
    assert sum(bp.shares(100).values()) == 100


def test_a_malformed_blueprint_names_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "sample.yml"
    path.write_text(BLUEPRINT.replace("weight: 1", "weight: lots"))
    with pytest.raises(ContentError) as refused:
        blueprint.load(path)
    assert f"{path}:14: areas.1.weight" in str(refused.value.problems[0])
    renamed = tmp_path / "other.yml"
    renamed.write_text(BLUEPRINT)
    with pytest.raises(ContentError, match="must match the file name"):
        blueprint.load(renamed)


def test_the_shipped_blueprint_can_fill_a_100_question_exam_from_the_catalogue() -> None:
    (shipped,) = blueprint.load_all(ROOT / "blueprints")
    counts = dict.fromkeys((a.id for a in shipped.areas), 0)
    for course in load_catalogue(ROOT / "courses"):
        for quiz in course.quizzes:
            if quiz.key == "final":
                continue
            in_case = False
            for question in quiz.questions:
                in_case = in_case or question.type == "description"
                if in_case:
                    continue
                for area in shipped.areas:
                    if set(area.tags) & set(question.source.get("tags", [])):
                        counts[area.id] += 1
    wanted = shipped.shares(100)
    assert all(counts[a] >= wanted[a] for a in wanted), counts


def test_finals_and_quizzes_whose_answers_are_not_shown_yet_are_never_drawn(
    app: Flask, tagged: None, make_user
) -> None:
    make_user("lea@example.org", "Lea")
    pool = draw.eligible(user())
    quizzes = {c.quiz.key for c in pool}
    assert quizzes == {"first-steps"}  # the final's questions are tagged too, never drawn
    assert all(c.question.type != "description" for c in pool)
    # A module quiz that shows its answers only once passed stays out until then.
    first = db.session.execute(db.select(Quiz).filter_by(key="first-steps")).scalar_one()
    first.review = "after_pass"
    db.session.commit()
    assert draw.eligible(user()) == []


def test_an_exam_is_drawn_taken_and_scored_per_area_and_touches_nothing_else(
    app: Flask, tagged: None, blueprints: Any, make_user, table_counts
) -> None:
    client = signed_in(app, make_user)
    before = table_counts()
    page = client.get("/practice").get_data(as_text=True)
    assert "Sample practice" in page and "Not for:" in page
    started = client.post(
        "/practice/sample/start",
        data={"csrf_token": csrf_token(client, "/practice"), "size": "50"},
    )
    assert started.status_code == 302
    exam = db.session.execute(db.select(PracticeExam)).scalar_one()
    questions = exam.snapshot["questions"]
    assert [q["key"] for q in questions] == [f"p{n}" for n in range(1, len(questions) + 1)]
    assert {q["area"] for q in questions} == {"basics", "myths"}
    assert exam.snapshot["short"]["basics"][1] == 33  # the sample course has only a few
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert 'name="p1"' in page or 'name="q-p1"' in page
    # Answer every question right except the myth.
    answers: dict[str, Any] = {"csrf_token": csrf_token(client, started.headers["Location"])}
    for q in questions:
        if q["area"] == "basics" and q["type"] in ("single", "true_false"):
            answers[f"q-{q['key']}"] = next(c["key"] for c in q["choices"] if c["correct"])
        elif q["area"] == "basics" and q["type"] == "multiple":
            answers[f"q-{q['key']}"] = [c["key"] for c in q["choices"] if c["correct"]]
    done = client.post(started.headers["Location"], data=answers)
    assert done.status_code == 302 and done.headers["Location"].endswith("/result")
    again = client.post(started.headers["Location"], data=answers)
    assert again.status_code == 302  # already submitted: to the result, graded once
    db.session.rollback()
    exam = db.session.get_one(PracticeExam, exam.id)
    scores = {s.id: s for s in services.area_scores(exam)}
    assert scores["myths"].score == 0 and scores["myths"].band == "too-few"
    result = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "By content area" in result and "What you missed" in result
    assert "in your review deck, due tomorrow" in result
    # Missed questions went to the review deck, once each, as the quiz's own questions.
    cards = db.session.execute(db.select(ReviewCard)).scalars().all()
    missed = services.missed(exam)
    assert len(cards) == len(missed) > 0
    assert {c.item for c in cards} == {f"first-steps/{q['source_key']}" for q in missed}
    assert all(
        c.content["key"] == q["source_key"]
        for c, q in zip(
            sorted(cards, key=lambda c: c.item),
            sorted(missed, key=lambda q: f"first-steps/{q['source_key']}"),
            strict=True,
        )
    )
    after = table_counts()
    changed = {t for t in after if after[t] != before[t]}
    assert changed == {"practice_exams", "review_cards"}  # no attempt, answer, grade, total


def test_someone_elses_exam_is_404_and_tampered_input_is_refused(
    app: Flask, tagged: None, blueprints: Any, make_user
) -> None:
    owner = signed_in(app, make_user)
    owner.post(
        "/practice/sample/start", data={"csrf_token": csrf_token(owner, "/practice"), "size": "50"}
    )
    exam = db.session.execute(db.select(PracticeExam)).scalar_one()
    other = signed_in(app, make_user, "otto@example.org")
    assert other.get(f"/practice/exams/{exam.id}").status_code == 404
    assert other.get(f"/practice/exams/{exam.id}/result").status_code == 404
    token = csrf_token(other, "/practice")
    assert (
        other.post("/practice/sample/start", data={"csrf_token": token, "size": "7"}).status_code
        == 400
    )
    assert (
        other.post("/practice/nope/start", data={"csrf_token": token, "size": "50"}).status_code
        == 404
    )
    assert app.test_client().get("/practice").status_code == 302  # signed out: to sign in
    # One exam at a time.
    again = owner.post(
        "/practice/sample/start", data={"csrf_token": csrf_token(owner, "/practice"), "size": "50"}
    )
    assert again.status_code == 302
    assert "in progress" in owner.get("/practice").get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(PracticeExam)).scalar() == 1


def test_a_timed_exam_keeps_saved_answers_and_scores_only_those_once_time_is_up(
    app: Flask, tagged: None, blueprints: Any, make_user
) -> None:
    client = signed_in(app, make_user)
    started = client.post(
        "/practice/sample/start",
        data={"csrf_token": csrf_token(client, "/practice"), "size": "50", "timed": "y"},
    )
    exam_url = started.headers["Location"]
    page = client.get(exam_url).get_data(as_text=True)
    assert 'role="timer"' in page and "data-save-url" in page
    exam = db.session.execute(db.select(PracticeExam)).scalar_one()
    assert exam.deadline is not None
    choice = next(q for q in exam.snapshot["questions"] if q["type"] in ("single", "true_false"))
    right = next(c["key"] for c in choice["choices"] if c["correct"])
    token = csrf_token(client, exam_url)
    save = f"{exam_url}/save"
    json = {"Accept": "application/json"}
    saved = client.post(save, data={"csrf_token": token, f"q-{choice['key']}": right}, headers=json)
    assert saved.status_code == 200 and saved.get_json()["saved"] is True
    tampered = {"csrf_token": token, f"q-{choice['key']}": "no-such-choice"}
    assert client.post(save, data=tampered, headers=json).status_code == 400
    assert client.post(save, data={"csrf_token": token, "q-p999": "a"}).status_code == 400
    # Answers saved come back on the page.
    assert f'value="{right}" checked' in client.get(exam_url).get_data(as_text=True)
    # Time runs out: nothing more is saved, and opening the exam scores what was saved.
    db.session.rollback()
    exam = db.session.get_one(PracticeExam, exam.id)
    exam.deadline = exam.started_at - timedelta(minutes=1)
    db.session.commit()
    late = client.post(save, data={"csrf_token": token, f"q-{choice['key']}": right}, headers=json)
    assert late.status_code == 409 and "Time is up" in late.get_json()["message"]
    opened = client.get(exam_url)
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/result")
    db.session.rollback()
    exam = db.session.get_one(PracticeExam, exam.id)
    assert exam.submitted_at is not None
    assert exam.responses == {choice["key"]: [right]}
    assert exam.results["questions"][choice["key"]]["correct"] is True


def test_a_matching_question_left_blank_is_reviewed_not_a_500(app: Flask, make_user) -> None:
    client = signed_in(app, make_user)
    written = QuestionFile.model_validate(
        {
            "id": "pairs",
            "type": "matching",
            "prompt": "Match them.",
            "pairs": [
                {"id": "p1", "prompt": "Effleurage", "answer": "Glides"},
                {"id": "p2", "prompt": "Petrissage", "answer": "Kneads"},
            ],
        }
    )
    question = learner_view(build_question(written, 0, 1))["question"]
    question.update(
        key="p1",
        source_key="pairs",
        area="basics",
        course="C",
        course_slug="c",
        module="M",
        module_slug="m",
    )
    exam = PracticeExam(
        user_id=user().id,
        blueprint="sample",
        size=50,
        snapshot={
            "title": "T",
            "checked": "2026-12-01",
            "short": {},
            "areas": [{"id": "basics", "title": "Basics"}],
            "questions": [question],
        },
        responses={},
    )
    db.session.add(exam)
    db.session.commit()
    url = f"/practice/exams/{exam.id}"
    # A matching question's selects post "" for every row left unchosen.
    done = client.post(url, data={"csrf_token": csrf_token(client, url), "q-p1": ["", ""]})
    assert done.status_code == 302
    result = client.get(done.headers["Location"])
    assert result.status_code == 200 and "What you missed (1)" in result.get_data(as_text=True)
