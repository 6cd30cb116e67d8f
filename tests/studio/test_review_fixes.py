"""Defects found in review of issue 13's studio: each test fails without its fix."""

from __future__ import annotations

from flask import Flask

from eduapp.extensions import db
from eduapp.models import CourseFigure, CourseVersion, VersionReview
from eduapp.studio import drafts, editing, preview
from tests.conftest import FIXTURES, csrf_token
from tests.figures.imagekit import raster
from tests.studio.test_publishing import (
    PUBLISH,
    STUDIO,
    course,
    edit,
    person,
    publish,
    published,
    seen,
    signed_in,
)

FIGURE = '![a hand doing effleurage on a back](figures/late.png "Effleurage")\n'


def _update(client) -> int:
    return client.post(
        STUDIO + "/draft/update", data={"csrf_token": csrf_token(client, PUBLISH)}
    ).status_code


def test_a_course_whose_labels_are_not_numbers_can_still_publish(
    app: Flask, imported: None, make_user
) -> None:
    # course.yml's version is free text: an imported "2024-spring" made every studio publish
    # of the course a 500 (max() of no numbered labels).
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    version = db.session.get_one(CourseVersion, course().current_version_id)
    version.label = "2024-spring"
    db.session.commit()
    edit("ivy@example.org", "first-steps", "Massage text [@furlan2015].")
    assert publish(ivy, "2.0.0").status_code == 302
    assert published()[-1] == (2, "2.0.0", "studio")


def test_a_figure_uploaded_after_the_text_that_shows_it_is_published_as_a_figure(
    app: Flask, imported: None, make_user
) -> None:
    # The module's HTML was stored at its last save, when the figure was not in the draft yet;
    # the publish checks rendered it afresh and passed, and the stale HTML went to learners
    # (the alt text as a paragraph, no image).
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    edit("ivy@example.org", "first-steps", "Text.\n\n" + FIGURE)
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    editing.add_figure(draft, raster("PNG"), "late.png")
    db.session.commit()
    assert publish(ivy, "1.0.1").status_code == 302
    version = db.session.get_one(CourseVersion, course().current_version_id)
    module = drafts.module_of(version, "first-steps")
    assert module is not None and '<img src="/figures/' in module.body_html
    fresh = preview.preview_for_version(version, module.source or "", FIXTURES / "courses")
    assert module.body_html == fresh.html
    learner_page = ivy.get("/courses/sample-course/modules/first-steps").get_data(as_text=True)
    assert '<img src="/figures/' in learner_page


def test_bringing_a_draft_up_to_date_keeps_the_authors_uploaded_figures(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    cora = signed_in(app, make_user, "cora@example.org", "Cora")
    draft = drafts.open_draft(course(), person("ivy@example.org"))
    editing.add_figure(draft, raster("PNG"), "late.png")
    db.session.commit()
    edit("ivy@example.org", "first-steps", "Text.\n\n" + FIGURE)
    edit("cora@example.org", "second-module", "Cora's rewrite of the second module.")
    assert publish(cora, "1.1.0").status_code == 302
    assert _update(ivy) == 302
    db.session.rollback()
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    paths = set(
        db.session.execute(db.select(CourseFigure.path).filter_by(version_id=draft.id)).scalars()
    )
    assert "figures/late.png" in paths
    assert publish(ivy, "1.2.0").status_code == 302


def test_two_authors_adding_a_module_of_the_same_title_keep_both(
    app: Flask, imported: None, make_user
) -> None:
    # Both new modules get the slug "case-studies"; bringing Ivy's draft up to date wrote her
    # text over Cora's published module, with no conflict shown.
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    cora = signed_in(app, make_user, "cora@example.org", "Cora")
    for email, text in (
        ("ivy@example.org", "Ivy's case study."),
        ("cora@example.org", "Cora's case study."),
    ):
        draft = drafts.open_draft(course(), person(email))
        module = drafts.add_module(draft, "Case studies")
        drafts.save_module(
            draft,
            module,
            title=module.title,
            source=text,
            based_on=drafts.text_hash("", module.title),
            catalogue=FIXTURES / "courses",
        )
        db.session.commit()
    assert publish(cora, "1.1.0").status_code == 302
    assert _update(ivy) == 302
    db.session.rollback()
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    texts = {m.slug: m.source for m in drafts.modules_of(draft)}
    assert texts["case-studies"] == "Cora's case study."
    assert "Ivy's case study." in texts.values()


def test_an_approval_covers_only_the_draft_the_reviewer_read(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    cora = signed_in(app, make_user, "cora@example.org", "Cora")
    ivy.post(
        STUDIO + "/approval-setting",
        data={"requires_approval": "y", "csrf_token": csrf_token(ivy, STUDIO)},
    )
    edit("ivy@example.org", "first-steps", "A careful correction [@furlan2015].")
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    review = f"{STUDIO}/drafts/{draft.id}"
    token, read = csrf_token(cora, review), seen(cora, review)
    # While Cora reads, Ivy saves something else; Cora's approval must not cover it.
    edit("ivy@example.org", "first-steps", "Something Cora never read.")
    page = cora.post(review, data={"note": "Checked.", "csrf_token": token, "seen": read})
    assert page.status_code == 200
    assert "saved the draft after you opened it" in page.get_data(as_text=True)
    db.session.rollback()
    assert db.session.execute(db.select(VersionReview)).first() is None
    assert "needs another instructor" in publish(ivy, "1.0.1").get_data(as_text=True)


def test_a_settings_page_opened_before_another_save_does_not_undo_it(
    app: Flask, imported: None, make_user
) -> None:
    from tests.studio.test_settings import SETTINGS, draft_of, form

    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    # Two tabs open on the settings: A changes the summary, B (opened before A saved) the
    # objectives. B's save used to put the old summary back without a word.
    tab_a = form(ivy, summary="A new summary from tab A.")
    tab_b = form(ivy, objectives="Pass the tests.\nAnd one more objective.")
    assert ivy.post(SETTINGS, data=tab_a).status_code == 302
    refused = ivy.post(SETTINGS, data=tab_b)
    assert refused.status_code == 200
    assert "saved somewhere else" in refused.get_data(as_text=True)
    db.session.rollback()
    assert draft_of().summary == "A new summary from tab A."
    assert draft_of().objectives == ["Pass the tests."]
    # Saving again from the page that said so keeps B's values, knowingly.
    again = form(ivy, objectives="Pass the tests.\nAnd one more objective.")
    again["summary"] = "A new summary from tab A."
    assert ivy.post(SETTINGS, data=again).status_code == 302
    db.session.rollback()
    assert draft_of().objectives == ["Pass the tests.", "And one more objective."]


def test_a_co_authors_publish_does_not_put_back_a_course_an_owner_took_out(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")  # owner
    cora = signed_in(app, make_user, "cora@example.org", "Cora")  # co-author
    taken_out = ivy.post(STUDIO + "/listing", data={"csrf_token": csrf_token(ivy, STUDIO)})
    assert taken_out.status_code == 302 and course().status == "draft"
    # Only owners and admins may list (the listing route gives Cora 403); her publish form
    # offered the box, ticked by default, and listed the course again.
    listed = {"csrf_token": csrf_token(cora, STUDIO), "listed": "y"}
    assert cora.post(STUDIO + "/listing", data=listed).status_code == 403
    edit("cora@example.org", "first-steps", "A correction [@furlan2015].")
    done = cora.post(
        PUBLISH,
        data={
            "label": "1.0.1",
            "note": "A correction.",
            "listed": "y",
            "csrf_token": csrf_token(cora, PUBLISH),
        },
    )
    assert done.status_code == 302
    assert published()[-1] == (2, "1.0.1", "studio")
    assert course().status == "draft"


def test_the_publish_page_offers_listing_only_to_owners_and_admins(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")  # owner
    cora = signed_in(app, make_user, "cora@example.org", "Cora")  # co-author
    ivy.post(STUDIO + "/listing", data={"csrf_token": csrf_token(ivy, STUDIO)})
    edit("cora@example.org", "first-steps", "A correction [@furlan2015].")
    edit("ivy@example.org", "first-steps", "Another correction [@furlan2015].")
    assert 'name="listed"' not in cora.get(PUBLISH).get_data(as_text=True)
    assert 'name="listed"' in ivy.get(PUBLISH).get_data(as_text=True)


def test_an_empty_draft_cannot_be_published_and_an_upload_is_a_change(
    app: Flask, make_user
) -> None:
    """A version with no modules is refused; a figure upload moves the draft's last change
    (so an approval given before it no longer covers the draft)."""
    from eduapp.studio import publishing
    from eduapp.studio.newcourse import create_course

    ivy = make_user("ivy-empty@example.org", "Ivy", role="instructor")
    course = create_course(title="Empty Course", slug="empty-course", summary="S.", creator=ivy)
    db.session.commit()
    draft = drafts.draft_of(course, ivy)
    drafts.clear_content(draft)
    assert publishing.problems(draft, FIXTURES / "courses")[0].startswith(
        "the draft has no modules"
    )
    before = draft.updated_at
    editing.add_figure(draft, raster("PNG"), "one.png")
    assert draft.updated_at > before
