"""A certificate's PDF is drawn by its job after the request; one whose job was lost is
swept up two minutes on; correcting a certificate draws the replacement's PDF the same way."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.certificates import issue
from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.models import Certificate, Course
from tests.certificates.test_certificates import ce_course, evaluate, pass_everything  # noqa: F401
from tests.conftest import AuthActions, run_jobs


def certificates() -> list[Certificate]:
    db.session.rollback()
    return list(db.session.execute(db.select(Certificate).order_by(Certificate.id)).scalars())


@pytest.mark.clock("2026-11-24 12:00:00", tick=False)
def test_a_certificate_whose_job_was_lost_is_drawn_by_the_sweep(
    app: Flask,
    ce_course: Course,  # noqa: F811
    client: FlaskClient,
    auth: AuthActions,
    clock: Any,
) -> None:
    auth.signup()
    pass_everything(client)
    evaluate(client)
    jobs().huey.flush()  # the broker lost the job
    (certificate,) = certificates()
    sweep = jobs().task("sweep_certificates")
    pdf = f"/certificates/{certificate.code}.pdf"
    clock.shift(timedelta(minutes=2) - timedelta(seconds=1))
    assert sweep.call_local() == 0  # its own job may still be on the way
    waiting = client.get(pdf)
    assert waiting.status_code == 202 and "http-equiv" in waiting.get_data(as_text=True)
    clock.shift(timedelta(seconds=1))
    # Two minutes on, the page stops reloading itself (WCAG 2.2.1) and says why; a client
    # polling the address still gets 202 with Retry-After.
    waiting = client.get(pdf)
    html = waiting.get_data(as_text=True)
    assert waiting.status_code == 202 and waiting.headers["Retry-After"] == "3"
    assert "http-equiv" not in html and "taking longer than usual" in html
    assert sweep.call_local() == 1
    assert run_jobs() == [("render_certificate", "rendered")]
    (certificate,) = certificates()
    assert certificate.pdf_ready and certificate.pdf.startswith(b"%PDF")
    assert sweep.call_local() == 0


def test_a_correction_draws_the_replacements_pdf_after_commit(
    app: Flask,
    ce_course: Course,  # noqa: F811
    client: FlaskClient,
    auth: AuthActions,
    make_user: Any,
) -> None:
    auth.signup()
    pass_everything(client)
    evaluate(client)
    run_jobs()
    (original,) = certificates()
    admin = make_user("ada@example.org", "Ada Admin", role="admin")
    replacement = issue.correct(original, admin, "name misspelt")
    assert replacement.pdf is None and jobs().huey.pending_count() == 0  # not before commit
    db.session.commit()
    assert run_jobs() == [("render_certificate", "rendered")]
    old, new = certificates()
    assert old.revoked and new.replaces_id == old.id and new.pdf_ready
    assert new.pdf != old.pdf
