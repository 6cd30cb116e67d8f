"""A course that asks for a second instructor's approval: only owners set it, nobody approves
their own draft, an approval needs a note and covers the draft only as it was then."""

from __future__ import annotations

from flask import Flask

from eduapp.extensions import db
from eduapp.models import VersionReview
from eduapp.studio import drafts
from tests.conftest import csrf_token
from tests.studio.test_publishing import (
    FIX,
    STUDIO,
    course,
    edit,
    person,
    publish,
    published,
    seen,
    signed_in,
)


def test_a_course_that_asks_for_approval_publishes_only_after_another_instructor_approves(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    cora = signed_in(app, make_user, "cora@example.org", "Cora")
    setting = STUDIO + "/approval-setting"
    assert cora.post(setting, data={"csrf_token": csrf_token(cora, STUDIO)}).status_code == 403
    ivy.post(setting, data={"requires_approval": "y", "csrf_token": csrf_token(ivy, STUDIO)})
    assert course().requires_approval

    edit("ivy@example.org", "first-steps", FIX)
    refused = publish(ivy, "1.0.1").get_data(as_text=True)
    assert "needs another instructor&#39;s approval" in refused
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    review = f"{STUDIO}/drafts/{draft.id}"
    # Nobody approves their own draft.
    own = ivy.post(review, data={"note": "Fine.", "csrf_token": csrf_token(ivy, review)})
    assert "Another instructor has to approve your draft" in own.get_data(as_text=True)
    empty = cora.post(review, data={"note": " ", "csrf_token": csrf_token(cora, review)})
    assert "Say what you checked" in empty.get_data(as_text=True)
    assert cora.get(review).status_code == 200
    approved = cora.post(
        review,
        data={
            "note": "Checked the wording against Furlan 2015.",
            "csrf_token": csrf_token(cora, review),
            "seen": seen(cora, review),
        },
    )
    assert approved.status_code == 302
    db.session.rollback()
    row = db.session.execute(db.select(VersionReview)).scalar_one()
    assert (row.user_id, row.note) == (
        person("cora@example.org").id,
        "Checked the wording against Furlan 2015.",
    )
    # A save after the approval needs a new one.
    edit("ivy@example.org", "first-steps", FIX + " Another change.")
    assert "needs another instructor" in publish(ivy, "1.0.1").get_data(as_text=True)
    cora.post(
        review,
        data={
            "note": "Checked again.",
            "csrf_token": csrf_token(cora, review),
            "seen": seen(cora, review),
        },
    )
    assert publish(ivy, "1.0.1").status_code == 302
    assert published()[-1] == (2, "1.0.1", "studio")
