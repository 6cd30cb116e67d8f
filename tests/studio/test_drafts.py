"""Drafts: a private copy of the newest version per author, saved through the import's
pipeline, refusing to save over text that changed since the editor loaded it."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Choice, Course, CourseFigure, CourseVersion, Module, Question, Quiz
from eduapp.studio import drafts
from tests.conftest import FIXTURES, AuthActions

CATALOGUE = FIXTURES / "courses"


def course() -> Course:
    return db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()


def count(model: type, version: CourseVersion) -> int:
    if model in (Question, Choice):
        quiz_ids = db.select(Quiz.id).where(Quiz.version_id == version.id)
        questions = db.select(Question.id).where(Question.quiz_id.in_(quiz_ids))
        column = Question.id if model is Question else Choice.id
        where = (
            Question.quiz_id.in_(quiz_ids)
            if model is Question
            else Choice.question_id.in_(questions)
        )
        return db.session.scalar(db.select(db.func.count(column)).where(where))
    return db.session.scalar(
        db.select(db.func.count()).select_from(model).where(model.version_id == version.id)
    )


def test_a_draft_is_a_copy_of_the_newest_version_one_per_author(
    app: Flask, imported: None, make_user
) -> None:
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    current = db.session.get_one(CourseVersion, course().current_version_id)
    draft = drafts.open_draft(course(), ivy)
    db.session.commit()
    assert (draft.number, draft.published_at, draft.base_id, draft.author_id) == (
        None,
        None,
        current.id,
        ivy.id,
    )
    assert draft.title == current.title and draft.references == current.references
    for model in (Module, Quiz, Question, Choice, CourseFigure):
        assert count(model, draft) == count(model, current), model.__name__
    copied = drafts.module_of(draft, "first-steps")
    original = drafts.module_of(current, "first-steps")
    assert copied.id != original.id
    assert (copied.body_html, copied.content_hash) == (original.body_html, original.content_hash)
    assert drafts.open_draft(course(), ivy).id == draft.id
    ada = make_user("ada@example.org", "Ada", role="instructor")
    assert drafts.open_draft(course(), ada).id != draft.id


def test_saving_renders_through_the_import_pipeline_and_keeps_learners_on_the_published_text(
    app: Flask, imported: None, make_user, client: FlaskClient, auth: AuthActions
) -> None:
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    draft = drafts.open_draft(course(), ivy)
    module = drafts.module_of(draft, "first-steps")
    before_hash = module.content_hash
    saved = drafts.save_module(
        draft,
        module,
        title="First Steps, revised",
        source=(
            "New text citing [@furlan2015].\n\n"
            "::: evidence moderate [@furlan2015]\nStill so.\n:::\n"
        ),
        based_on=drafts.text_hash(module.source, module.title),
        catalogue=CATALOGUE,
    )
    db.session.commit()
    assert saved.preview.problems == []
    assert "New text citing" in module.body_html and 'class="evidence' in module.body_html
    assert module.cited == ["furlan2015"] and module.content_hash != before_hash
    assert draft.word_count == sum(m.word_count for m in drafts.modules_of(draft))
    # Learners still read the published version.
    auth.signup()
    page = client.get("/courses/sample-course/modules/first-steps").get_data(as_text=True)
    assert "New text citing" not in page and "manual manipulation" in page


def test_a_save_over_text_that_changed_since_is_refused_with_both_texts(
    app: Flask, imported: None, make_user
) -> None:
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    draft = drafts.open_draft(course(), ivy)
    module = drafts.module_of(draft, "first-steps")
    loaded = drafts.text_hash(module.source, module.title)
    drafts.save_module(
        draft, module, title="T", source="Saved in tab one.", based_on=loaded, catalogue=CATALOGUE
    )
    with pytest.raises(drafts.Conflict) as refused:
        drafts.save_module(
            draft,
            module,
            title="T",
            source="Typed in tab two.",
            based_on=loaded,
            catalogue=CATALOGUE,
        )
    assert (refused.value.mine, refused.value.theirs) == ("Typed in tab two.", "Saved in tab one.")
    assert "was saved somewhere else" in str(refused.value)
    assert module.source == "Saved in tab one."


def test_problems_are_saved_and_reported_not_lost(app: Flask, imported: None, make_user) -> None:
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    draft = drafts.open_draft(course(), ivy)
    module = drafts.module_of(draft, "first-steps")
    saved = drafts.save_module(
        draft,
        module,
        title="First Steps",
        source="Half typed [@nobody2099].",
        based_on=drafts.text_hash(module.source, module.title),
        catalogue=CATALOGUE,
    )
    assert module.source == "Half typed [@nobody2099]."
    assert any("nobody2099" in p for p in saved.preview.problems)


def test_add_move_and_discard(app: Flask, imported: None, make_user) -> None:
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    draft = drafts.open_draft(course(), ivy)
    added = drafts.add_module(draft, "Second Module")  # the slug is taken: a suffix
    assert (added.slug, added.position) == ("second-module-2", 3)
    with pytest.raises(drafts.DraftError, match="title"):
        drafts.add_module(draft, "   ")
    drafts.move_module(draft, added, -1)
    assert [m.slug for m in drafts.modules_of(draft)] == [
        "first-steps",
        "second-module-2",
        "second-module",
    ]
    drafts.move_module(draft, drafts.module_of(draft, "first-steps"), -1)  # already first
    assert drafts.modules_of(draft)[0].slug == "first-steps"
    assert draft.module_count == 3
    drafts.discard(draft)
    db.session.commit()
    assert (
        db.session.execute(
            db.select(CourseVersion).where(CourseVersion.published_at.is_(None))
        ).first()
        is None
    )
    published = db.session.get_one(CourseVersion, course().current_version_id)
    assert count(Module, published) == 2


def test_only_a_draft_module_can_be_saved(app: Flask, imported: None, make_user) -> None:
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    draft = drafts.open_draft(course(), ivy)
    published = db.session.get_one(CourseVersion, course().current_version_id)
    live = drafts.module_of(published, "first-steps")
    with pytest.raises(drafts.DraftError, match="not in your draft"):
        drafts.save_module(
            draft,
            live,
            title="T",
            source="x",
            based_on=drafts.text_hash(live.source, live.title),
            catalogue=Path(CATALOGUE),
        )
