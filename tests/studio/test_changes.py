"""The what-changed page between two published versions and rolling back to an older one:
settings with before and after, module text word by word, questions added, changed and
retired, quiz settings; a rollback goes through the author's draft and the publish page."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from eduapp.extensions import db
from eduapp.models import CourseVersion
from eduapp.studio import compare, drafts, textdiff
from tests.conftest import csrf_token
from tests.coursefiles import import_folder
from tests.studio.test_publishing import (
    PUBLISH,
    SLUG,
    STUDIO,
    course,
    edit,
    person,
    published,
    signed_in,
)

CHANGES = STUDIO + "/changes"


@pytest.fixture
def two_versions(app: Flask, imported: None, course_files: Path) -> Path:
    """Version 2 from changed files: a word in a module, a question, a quiz and a setting."""
    module = course_files / SLUG / "01-first-steps.md"
    module.write_text(
        module.read_text().replace(
            "the manual manipulation of soft tissue",
            "the skilled manual manipulation of soft tissue",
        )
        + "\nA closing paragraph <script>alert(1)</script> added in version 2.\n"
    )
    quiz = course_files / SLUG / "01-first-steps.quiz.yml"
    quiz.write_text(
        quiz.read_text().replace("prompt: Which is true?", "prompt: Which one is true?")
    )
    final = course_files / SLUG / "final.quiz.yml"
    final.write_text(final.read_text().replace("max_attempts: 3", "max_attempts: 2"))
    meta = course_files / SLUG / "course.yml"
    text = meta.read_text()
    summary = next(line for line in text.splitlines() if line.startswith("summary:"))
    meta.write_text(
        text.replace(summary, "summary: A new summary for version 2.").replace(
            'version: "1.0"', 'version: "1.1"'
        )
    )
    (report,) = import_folder(course_files)
    assert report.published == 2, report.summary()
    return course_files


def test_words_and_paragraphs_are_compared_as_a_reader_sees_them() -> None:
    old = "One two three.\n\nSame here.\n\nA\n\nB\n\nC\n\nD\n\nLast one."
    new = "One two four.\n\nSame here.\n\nA\n\nB\n\nC\n\nD\n\nLast one.\n\nAdded."
    hunks = textdiff.compare(old, new)
    assert [h.skipped for h in hunks] == [0, 4]
    first = hunks[0].lines[0]
    assert first.kind == "change"
    assert [(p.kind, p.text) for p in first.pieces] == [
        ("same", "One two "),
        ("del", "three"),
        ("ins", "four"),
        ("same", "."),
    ]
    assert [line.kind for line in hunks[1].lines] == ["same", "ins"]
    assert textdiff.compare(old, old) == []
    assert textdiff.skipped_after(hunks, old) == 0


def test_the_page_shows_each_kind_of_change_between_two_versions(
    app: Flask, make_user, two_versions: Path
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    page = ivy.get(CHANGES).get_data(as_text=True)  # newest against the one before
    assert "From version 1.0 (#1" in page and "to version 1.1 (#2" in page
    assert (
        '<th scope="row">Summary</th>' in page and "<ins>A new summary for version 2.</ins>" in page
    )
    assert "the<ins> skilled</ins> manual manipulation" in page  # a word put in, in its place
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Which one is true?" in page and "changed: question text" in page
    assert "Final assessment: Attempts allowed" in page
    assert "<del>3</del>" in page and "<ins>2</ins>" in page
    assert "1 unchanged" in page  # the second module
    assert "Roll back to version 1.0" in page
    # Any two versions, either way round; the studio page links to it.
    back = ivy.get(CHANGES + "?from=2&to=1").get_data(as_text=True)
    assert "the<del> skilled</del> manual manipulation" in back
    same = ivy.get(CHANGES + "?from=2&to=2").get_data(as_text=True)
    assert "the same version twice" in same
    assert f'href="{CHANGES}?to=2&amp;from=1"' in ivy.get(STUDIO).get_data(as_text=True)


@pytest.mark.parametrize("query", ["?from=9", "?to=0", "?from=x", "?to=1e3", "?from=-1"])
def test_unknown_or_malformed_versions_are_not_found(
    app: Flask, make_user, two_versions: Path, query: str
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    assert ivy.get(CHANGES + query).status_code == 404


def test_one_version_has_nothing_to_compare(app: Flask, imported: None, make_user) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    page = ivy.get(CHANGES).get_data(as_text=True)
    assert "has one published version: there is nothing to compare" in page


def test_rolling_back_publishes_the_older_version_as_a_new_one(
    app: Flask, make_user, two_versions: Path
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    restore = STUDIO + "/versions/1/restore"
    answer = ivy.post(restore, data={"csrf_token": csrf_token(ivy, CHANGES)})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(PUBLISH)
    page = ivy.get(PUBLISH).get_data(as_text=True)
    assert "Your draft now holds version 1.0" in page and "Back to version 1.0." in page
    done = ivy.post(
        PUBLISH,
        data={
            "label": "1.2",
            "note": "Back to version 1.0: the new summary was wrong.",
            "csrf_token": csrf_token(ivy, PUBLISH),
        },
    )
    assert done.status_code == 302
    assert [row[:2] for row in published()] == [(1, "1.0"), (2, "1.1"), (3, "1.2")]
    first, third = (
        db.session.execute(db.select(CourseVersion).filter_by(number=n)).scalar_one()
        for n in (1, 3)
    )
    assert compare.compare(first, third).same
    assert third.summary == first.summary and course().current_version_id == third.id
    assert "The two versions teach and ask exactly the same." in ivy.get(
        CHANGES + "?from=1&to=3"
    ).get_data(as_text=True)


def test_rolling_back_over_unpublished_work_asks_first(
    app: Flask, make_user, two_versions: Path, table_counts
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    edit("ivy@example.org", "second-module", "Work in progress [@furlan2015].")
    restore = STUDIO + "/versions/1/restore"
    before = table_counts()
    asked = ivy.post(restore, data={"csrf_token": csrf_token(ivy, CHANGES)})
    assert asked.status_code == 200
    assert "Replace your draft with version 1.0?" in asked.get_data(as_text=True)
    assert table_counts() == before
    ivy.post(restore, data={"csrf_token": csrf_token(ivy, CHANGES), "confirmed": "yes"})
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    assert draft is not None
    texts = {m.slug: m.source for m in drafts.modules_of(draft)}
    assert "Work in progress" not in (texts["second-module"] or "")
    assert "the manual manipulation" in (texts["first-steps"] or "")


def test_the_newest_version_cannot_be_rolled_back_to_and_tampering_is_refused(
    app: Flask, make_user, two_versions: Path, table_counts
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    before = table_counts()
    token = csrf_token(ivy, CHANGES)
    newest = ivy.post(STUDIO + "/versions/2/restore", data={"csrf_token": token})
    assert newest.status_code == 302
    assert "is the newest version already" in ivy.get(CHANGES).get_data(as_text=True)
    assert ivy.post(STUDIO + "/versions/7/restore", data={"csrf_token": token}).status_code == 404
    assert ivy.post(STUDIO + "/versions/1/restore").status_code == 400  # no CSRF token
    assert table_counts() == before


def test_another_instructor_and_learners_cannot_compare_or_roll_back(
    app: Flask, make_user, two_versions: Path, auth
) -> None:
    other = app.test_client()
    make_user("olga@example.org", "Olga", role="instructor")
    from tests.conftest import AuthActions

    AuthActions(other).login("olga@example.org")
    assert other.get(CHANGES).status_code == 404
    learner = app.test_client()
    AuthActions(learner).signup()
    assert learner.get(CHANGES).status_code == 403
