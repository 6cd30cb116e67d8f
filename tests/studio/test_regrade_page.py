"""Regrading a quiz in the browser's pages: a preview of who moves from fail to pass and back
that writes nothing, a reason, a confirmation that regrades exactly as previewed, audited."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from eduapp.extensions import db
from eduapp.models import Attempt, Regrade
from tests.conftest import AuthActions, csrf_token
from tests.quiz.test_regrade import fix_key, take
from tests.studio.test_publishing import STUDIO, signed_in

REGRADE = STUDIO + "/quizzes/first-steps/regrade"
REST = {"q-q-multi": ["a", "b"], "q-q-tf": "false"}


def scores() -> list[tuple[str, bool]]:
    db.session.rollback()
    return [
        (str(a.score), bool(a.passed))
        for a in db.session.execute(db.select(Attempt).order_by(Attempt.id)).scalars()
    ]


def test_preview_then_regrade_with_a_reason(
    app: Flask, imported: None, make_user, table_counts, course_files: Path
) -> None:
    take(app, "amy@example.org", {"q-q-single": "a", **REST})  # right under the old key
    take(app, "ben@example.org", {"q-q-single": "b", **REST})  # right under the corrected key
    fix_key(course_files)
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    assert "Regrade" in ivy.get(STUDIO).get_data(as_text=True)
    page = ivy.get(REGRADE).get_data(as_text=True)
    assert "Preview the regrade" in page
    before, graded = table_counts(), scores()

    token = csrf_token(ivy, REGRADE)
    preview = ivy.post(REGRADE, data={"csrf_token": token, "reason": "Key of Q1 corrected"})
    text = preview.get_data(as_text=True)
    assert "2 attempts would change: 1 from fail to pass, 1 from pass to fail." in text
    assert "A learner" in text and "amy@example.org" not in text  # names: admins only
    assert 'name="confirmed" value="yes"' in text and "Regrade now" in text
    assert table_counts() == before and scores() == graded  # a preview writes nothing

    done = ivy.post(
        REGRADE,
        data={"csrf_token": token, "reason": "Key of Q1 corrected", "confirmed": "yes"},
    )
    assert done.status_code == 302
    assert "is regraded: 2 attempts changed, 1 now pass, 1 now fail" in ivy.get(STUDIO).get_data(
        as_text=True
    )
    assert [passed for _, passed in scores()] == [False, True]
    reasons = db.session.execute(db.select(Regrade.reason)).scalars().all()
    assert reasons == ["Key of Q1 corrected"] * 2


def test_admins_see_who_moves(app: Flask, imported: None, make_user, course_files: Path) -> None:
    take(app, "ben@example.org", {"q-q-single": "b", **REST})
    fix_key(course_files)
    make_user("root@example.org", "Root", role="admin")
    admin = app.test_client()
    AuthActions(admin).login("root@example.org")
    token = csrf_token(admin, REGRADE)
    text = admin.post(REGRADE, data={"csrf_token": token, "reason": "Fix"}).get_data(as_text=True)
    assert "ben@example.org" in text and "fail → pass" in text


def test_a_missing_reason_or_a_tampered_withdrawal_writes_nothing(
    app: Flask, imported: None, make_user, table_counts, course_files: Path
) -> None:
    take(app, "ben@example.org", {"q-q-single": "b", **REST})
    fix_key(course_files)
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    token = csrf_token(ivy, REGRADE)
    before = table_counts()
    page = ivy.post(REGRADE, data={"csrf_token": token, "reason": "", "confirmed": "yes"})
    assert page.status_code == 200
    assert "Say why the quiz is regraded" in page.get_data(as_text=True)
    tampered = {"csrf_token": token, "reason": "x", "confirmed": "yes", "withdraw": "q-single"}
    assert ivy.post(REGRADE, data=tampered).status_code == 400  # still asked: not retired
    missing = ivy.post(STUDIO + "/quizzes/nothing/regrade", data={"csrf_token": token})
    assert missing.status_code == 404
    assert table_counts() == before
