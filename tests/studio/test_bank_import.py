"""A Moodle question bank (GIFT or Aiken) read into a quiz of the author's draft: added or
replacing, a quiz made for a module without one, every problem named with its line and nothing
written, and the questions reach learners once the draft is published."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Question, Quiz
from eduapp.studio import drafts
from tests.conftest import csrf_token
from tests.studio.test_publishing import PUBLISH, STUDIO, course, person, signed_in

DRAFT = STUDIO + "/draft"
GIFT = """// [tag:strokes]
::Gliding stroke::[html]<p>Which stroke <b>glides</b> over the skin?</p>{
=[plain]Effleurage#Right: long gliding strokes.
~Tapotement#No: that is percussion.
~Petrissage#No: that is kneading.
}

::Swedish word::Name the stroke that kneads. {=Petrissage =[plain]Pétrissage}
"""
AIKEN = """Which stroke is percussion?
A. Effleurage
B. Tapotement
ANSWER: B
"""


def bank(
    client: FlaskClient,
    key: str,
    text: str,
    kind: str = "gift",
    mode: str = "add",
    name: str = "bank.gift",
) -> object:
    url = f"{DRAFT}/quizzes/{key}/import"
    return client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "bank": (io.BytesIO(text.encode()), name),
            "kind": kind,
            "mode": mode,
        },
        content_type="multipart/form-data",
    )


def draft_questions(key: str) -> list[tuple[str, str]]:
    db.session.rollback()
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    assert draft is not None
    return [
        (q.key, q.type)
        for q in db.session.execute(
            db.select(Question)
            .join(Quiz, Quiz.id == Question.quiz_id)
            .where(Quiz.version_id == draft.id, Quiz.key == key)
            .order_by(Question.position)
        ).scalars()
    ]


def start(client: FlaskClient) -> None:
    client.post(STUDIO + "/draft", data={"csrf_token": csrf_token(client, STUDIO)})


def test_a_gift_bank_is_added_to_a_module_quiz_and_published(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    start(ivy)
    before = draft_questions("first-steps")
    page = ivy.get(f"{DRAFT}/quizzes/first-steps/import").get_data(as_text=True)
    assert "Import questions into First steps quiz" in page
    done = bank(ivy, "first-steps", GIFT)
    assert done.status_code == 302
    assert "2 questions from bank.gift are in" in ivy.get(DRAFT).get_data(as_text=True)
    after = draft_questions("first-steps")
    assert after[: len(before)] == before
    assert after[len(before) :] == [("gliding-stroke", "single"), ("swedish-word", "short")]
    source = db.session.execute(
        db.select(Question.source, Question.prompt_html).where(Question.key == "gliding-stroke")
    ).one()
    assert source.source["tags"] == ["strokes"] and "<b>glides</b>" in source.prompt_html
    # Published, learners meet them in the module's quiz.
    assert (
        ivy.post(
            PUBLISH,
            data={
                "label": "1.1.0",
                "note": "More questions.",
                "csrf_token": csrf_token(ivy, PUBLISH),
            },
        ).status_code
        == 302
    )
    db.session.rollback()
    live = (
        db.session.execute(
            db.select(Question.key)
            .join(Quiz, Quiz.id == Question.quiz_id)
            .where(Quiz.version_id == course().current_version_id, Quiz.key == "first-steps")
        )
        .scalars()
        .all()
    )
    assert "gliding-stroke" in live and "swedish-word" in live


def test_replacing_the_final_with_an_aiken_bank_and_a_quiz_for_a_module_without_one(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    start(ivy)
    assert (
        bank(ivy, "final", AIKEN, kind="aiken", mode="replace", name="final.txt").status_code == 302
    )
    assert [t for _, t in draft_questions("final")] == ["single"]
    # The second module has no quiz: one is made for it.
    assert draft_questions("second-module") == []
    assert bank(ivy, "second-module", AIKEN, kind="aiken", name="more.txt").status_code == 302
    assert len(draft_questions("second-module")) == 1
    # The same bank again: distinct ids, nothing overwritten.
    assert bank(ivy, "second-module", AIKEN, kind="aiken", name="more.txt").status_code == 302
    keys = [k for k, _ in draft_questions("second-module")]
    assert len(keys) == 2 and len(set(keys)) == 2


def test_a_broken_bank_names_its_lines_and_adds_nothing(
    app: Flask, imported: None, make_user, table_counts
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    start(ivy)
    before = table_counts()
    broken = "::One:: Pick. {=A ~B}\n\n::Two:: An unclosed block {=A ~B\n"
    page = bank(ivy, "first-steps", broken)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "bank.gift could not be read; nothing was added." in text
    assert "bank.gift:3:" in text
    uncited = "::Cites:: A claim [@nobody2099]. {=A ~B}\n"
    text = bank(ivy, "first-steps", uncited).get_data(as_text=True)
    assert "nobody2099" in text and "nothing was added" in text
    latin1 = bank(ivy, "first-steps", "").status_code  # an empty bank
    assert latin1 == 200
    url = f"{DRAFT}/quizzes/first-steps/import"
    not_utf8 = ivy.post(
        url,
        data={
            "csrf_token": csrf_token(ivy, url),
            "bank": (io.BytesIO("Caf\xe9 {=A ~B}".encode("latin-1")), "bank.gift"),
            "kind": "gift",
            "mode": "add",
        },
        content_type="multipart/form-data",
    )
    assert "not UTF-8 text" in not_utf8.get_data(as_text=True)
    assert bank(ivy, "first-steps", GIFT, kind="yaml").status_code == 200  # not a choice
    assert bank(ivy, "no-such-module", GIFT).status_code == 404
    assert table_counts() == before


def test_without_a_draft_or_as_another_instructor_there_is_no_such_page(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    assert ivy.get(f"{DRAFT}/quizzes/first-steps/import").status_code == 404  # no draft yet
    from tests.conftest import AuthActions

    make_user("olga@example.org", "Olga", role="instructor")
    olga = app.test_client()
    AuthActions(olga).login("olga@example.org")
    assert olga.get(f"{DRAFT}/quizzes/first-steps/import").status_code == 404
