"""Questions written in the studio, published: learners get them, the export writes them as
files an import reads back the same, the version's lint is computed from what was published,
and a new cue in a CE final blocks publishing as ``flask courses check`` would."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from eduapp.content.export import write_folder
from eduapp.content.loader import load_course
from eduapp.extensions import db
from eduapp.models import CourseVersion, Question, Quiz
from eduapp.studio import drafts
from tests.conftest import csrf_token
from tests.studio.test_publishing import PUBLISH, course, person, publish, signed_in
from tests.studio.test_question_editor import TYPES, post_new, start
from tests.studio.test_question_form import as_learners_meet_it

CUED = {
    "prompt": "Which of these helps low back pain?",
    "row-0-text": "Massage, in the short term, for many adults with chronic low back pain",
    "row-1-text": "Ice",
    "row-2-text": "Rest",
    "correct": "0",
}


def test_written_in_the_studio_published_exported_and_read_back_the_same(
    app: Flask, imported: None, make_user, tmp_path: Path
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    start(ivy)
    for kind in ("single", "matching", "numeric"):
        assert (
            post_new(ivy, "first-steps", kind, TYPES[kind][0], id=f"new-{kind}").status_code == 302
        )
    assert (
        post_new(ivy, "second-module", "ordering", TYPES["ordering"][0], id="steps").status_code
        == 302
    )
    assert publish(ivy, "1.1.0").status_code == 302
    version = db.session.get_one(CourseVersion, course().current_version_id)
    rows = {
        q.key: q
        for q in db.session.execute(
            db.select(Question).join(Quiz).where(Quiz.version_id == version.id)
        ).scalars()
    }
    assert {"new-single", "new-matching", "new-numeric", "steps"} <= set(rows)
    write_folder(course(), version, tmp_path / "sample-course")
    read = load_course(tmp_path / "sample-course")
    by_key = {q.key: (quiz.key, q) for quiz in read.quizzes for q in quiz.questions}
    for key in ("new-single", "new-matching", "new-numeric", "steps"):
        quiz_key, question = by_key[key]
        assert quiz_key == ("second-module" if key == "steps" else "first-steps")
        assert as_learners_meet_it(question.source) == as_learners_meet_it(rows[key].source)
    assert "new-matching" in (tmp_path / "sample-course" / "01-first-steps.quiz.yml").read_text()


def test_the_published_version_keeps_the_lint_of_its_own_questions(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    start(ivy)
    assert post_new(ivy, "first-steps", "single", CUED, id="cued").status_code == 302
    assert publish(ivy, "1.1.0").status_code == 302
    version = db.session.get_one(CourseVersion, course().current_version_id)
    found = {(f["question"], f["rule"]) for f in version.lint or []}
    assert ("cued", "key-length") in found
    page = ivy.get("/studio/courses/sample-course").get_data(as_text=True)
    assert "question cued:" in page


def test_a_new_cue_in_a_ce_final_blocks_publishing(app: Flask, imported: None, make_user) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    start(ivy)
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    assert draft is not None
    draft.ce_hours = 1  # a CE course: its final earns a certificate
    db.session.commit()
    for n in range(4):
        fields = {
            **CUED,
            "prompt": f"Question {n}: which helps?",
            "row-0-text": f"{CUED['row-0-text']} ({n})",
        }
        assert post_new(ivy, "final", "single", fields, id=f"cued-{n}").status_code == 302
    page = ivy.get("/studio/courses/sample-course/draft/quizzes/final").get_data(as_text=True)
    assert "Error</span> (key-longest-rate)" in page
    refused = ivy.post(
        PUBLISH,
        data={"label": "1.1.0", "note": "More.", "csrf_token": csrf_token(ivy, PUBLISH)},
    )
    assert "the final&#39;s lint" in refused.get_data(as_text=True)
    assert course().current_version_id == draft.base_id
