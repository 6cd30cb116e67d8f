"""Search on the fixture course, on whichever backend the session runs (SQLite FTS5, or the
PostgreSQL of ``EDUAPP_TEST_DATABASE_URL``): what is found, by whom, and how the rows follow
imports and publishing in their own transaction. Membership, never order."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Course, User
from eduapp.search import services
from eduapp.search.schema import TABLE
from eduapp.studio import drafts
from tests.conftest import AuthActions, csrf_token
from tests.coursefiles import import_folder
from tests.studio.test_publishing import edit, publish, signed_in

SLUG = "sample-course"


def found(typed: str, user: User | None = None) -> set[str]:
    """What a search finds, as ``kind:slug`` (the module's, the reference's id)."""
    results = services.search(typed, user)
    assert len(results.hits) == min(results.total, services.PAGE_SIZE)
    names = set()
    for hit in results.hits:
        assert hit.course_slug == SLUG
        name = hit.module_slug or (hit.anchor or "").removeprefix("ref-")
        names.add(f"{hit.kind}:{name if hit.kind != 'course' else SLUG}")
    return names


@pytest.fixture
def learner(app: Flask, imported: None, make_user) -> User:
    return make_user("lee@example.org", "Lee")


def test_module_text_titles_and_references_are_found(learner: User) -> None:
    assert found("manipulation", learner) == {"module:first-steps"}
    assert "module:second-module" in found("second module", learner)  # its title
    # The module cites Moyer 2004 in its text; the reference list holds the citation.
    assert found("Moyer", learner) == {"reference:moyer2004", "module:first-steps"}
    assert found("meta-analysis", learner) == {"reference:moyer2004"}
    assert found("tests", learner) == {"course:sample-course"}  # summary and objectives
    assert found("hippopotamus", learner) == set()


def test_a_quoted_phrase_matches_that_word_sequence(learner: User) -> None:
    both = {"module:first-steps", "reference:furlan2015"}
    assert found('"low back pain"', learner) == both  # "low-back pain" in Furlan's title
    assert found("pain back low", learner) == both
    assert found('"pain back low"', learner) == set()
    assert found('"manual manipulation" "soft tissue"', learner) == {"module:first-steps"}
    assert found('"manual tissue"', learner) == set()


def test_other_forms_of_a_word_are_found_and_marked(learner: User) -> None:
    assert found("manipulations", learner) == {"module:first-steps"}
    assert found("easing", learner) == {"module:first-steps"}  # the text says "eases"
    (hit,) = services.search("easing", learner).hits
    assert "<mark>eases</mark>" in str(hit.excerpt)
    assert hit.anchor is not None and hit.anchor.startswith(":~:text=eases%20low%20back")


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        '"""',
        "*",
        "massage*",
        "NEAR(massage",
        "NEAR(massage pain, 2)",
        "massage OR",
        "OR",
        "AND NOT",
        "title : massage",
        "{title}: massage",
        "-massage",
        "massage & | ! <->",
        "'; DROP TABLE search_entries; --",
        "\x00massage",
        "m" * 200,
        " ".join(["massage"] * 40)[:200],
        "\u202emassage",
    ],
)
def test_hostile_searches_find_or_miss_but_never_fail(learner: User, typed: str) -> None:
    results = services.search(typed, learner)
    assert results.total == len(results.hits)


@pytest.mark.parametrize("typed", ["massage*", "-massage", "massage OR", "\x00massage", "(massage"])
def test_operators_are_read_as_the_words_beside_them(learner: User, typed: str) -> None:
    assert "module:first-steps" in found(typed, learner)


def test_signed_out_visitors_search_what_course_pages_show(learner: User) -> None:
    """The text of modules needs an account to read, so it needs one to search; titles,
    descriptions and references are on the public course page."""
    assert found("manipulation") == set()
    assert found("second module") == {"module:second-module"}
    assert found("Moyer") == {"reference:moyer2004"}
    assert found("tests") == {"course:sample-course"}
    (hit,) = services.search("second module", None).hits
    assert hit.excerpt is None and str(hit.title) == "<mark>Second</mark> <mark>Module</mark>"


def test_a_course_out_of_the_catalogue_is_not_searched(learner: User) -> None:
    course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
    course.status = "draft"
    db.session.commit()
    assert found("manipulation", learner) == set() and found("Moyer") == set()
    course.status = "published"  # listed again: found again, no rebuild needed
    db.session.commit()
    assert found("manipulation", learner) == {"module:first-steps"}


def test_importing_changed_files_rebuilds_the_course_rows(
    learner: User, course_files: Path
) -> None:
    module = course_files / SLUG / "02-second-module.md"
    module.write_text(module.read_text().replace("short second", "brief pelican"))
    import_courses(load_catalogue(course_files))
    assert found('"brief pelican"', learner) == {"module:second-module"}  # before the commit
    db.session.rollback()  # an import rolled back takes its rows with it
    assert found("pelican", learner) == set()
    assert found('"short second module"', learner) == {"module:second-module"}
    import_folder(course_files)
    assert found("pelican", learner) == {"module:second-module"}
    assert found('"short second module"', learner) == set()
    rows = db.session.execute(text(f"SELECT count(*) FROM {TABLE}")).scalar_one()
    assert rows == 1 + 2 + 2  # the course, two modules, two references: version 2's only


def test_publishing_in_the_studio_rebuilds_the_course_rows(
    app: Flask, learner: User, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    new = "Massage is a conversation between hands and an attentive zebra [@furlan2015]."
    edit("ivy@example.org", "first-steps", new)
    # A draft is never searched: only the published version's text is found.
    assert found("zebra", learner) == set()
    assert "module:first-steps" in found('"manual manipulation"', learner)
    assert publish(ivy, "1.0.1", "Rewrote the opening.").status_code == 302
    db.session.rollback()
    assert found('"attentive zebra"', learner) == {"module:first-steps"}
    assert found('"manual manipulation"', learner) == set()  # the phrase the author removed
    assert found("anxiety", learner) == set()


def test_a_refused_publish_leaves_the_rows_as_they_were(
    app: Flask, learner: User, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    edit("ivy@example.org", "first-steps", "An attentive zebra [@furlan2015].")
    assert publish(ivy, "0.1", "Older number.").status_code == 200  # refused, by field
    db.session.rollback()
    assert found("zebra", learner) == set()
    assert found('"manual manipulation"', learner) == {"module:first-steps"}


def test_a_learner_on_an_older_version_is_told_where_a_result_comes_from(
    app: Flask, learner: User, make_user
) -> None:
    client = app.test_client()
    AuthActions(client).login("lee@example.org")
    course_page = f"/courses/{SLUG}"
    client.post(course_page + "/start", data={"csrf_token": csrf_token(client, course_page)})
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    edit("ivy@example.org", "second-module", "A pelican module.")
    db.session.rollback()
    draft = drafts.open_draft(_course(), _user("ivy@example.org"))
    drafts.add_module(draft, "Third Module")
    db.session.commit()
    edit("ivy@example.org", "third-module", "The third module's text.")
    assert publish(ivy, "1.1.0", "A third module.").status_code == 302
    db.session.rollback()
    hits = {h.module_slug: h for h in services.search("module", learner).hits if h.module_slug}
    assert hits["second-module"].note == (
        "Found in version 1.1.0, the current one; you are taking 1.0, where it may read "
        "differently."
    )
    assert hits["second-module"].module_link
    assert not hits["third-module"].module_link
    assert "which does not have this module" in (hits["third-module"].note or "")
    newcomer = db.session.execute(db.select(User).filter_by(email="ivy@example.org")).scalar_one()
    assert services.search("module", newcomer).hits[0].note is None


def _course() -> Course:
    db.session.rollback()
    return db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()


def _user(email: str) -> User:
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
