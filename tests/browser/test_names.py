"""Every name prints: certificates for names in five scripts, seen in Chromium on the public
verification page and as PDFs (text checked, rendered to images), and a name the fonts cannot
draw refused at sign-up."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pypdfium2 as pdfium
import pytest
from flask import Flask

from eduapp.auth import services
from eduapp.certificates.issue import issue_certificate
from eduapp.database import begin_write
from eduapp.extensions import db
from eduapp.models import Course, Enrolment, Role
from tests.browser.conftest import (
    ARTIFACTS,
    assert_accessible,
    confirm_signup,
    follow,
    screenshot,
)

pytestmark = pytest.mark.browser
NAMES = {
    "vietnamese": "Nguyễn Thị Minh Khai",
    "arabic": "فاطمة الزهراء",
    "hindi": "अनन्या शर्मा",
    "chinese": "林美",
    "korean": "김민지",
    "hebrew-mixed": "Maria José יעל כהן",
}


def test_a_name_the_fonts_cannot_draw_is_refused_at_sign_up(page: Any, live_server: str) -> None:
    page.goto(live_server + "/signup")
    page.get_by_label("Name").fill("Abebe አበበ")
    page.get_by_label("Email").fill("abebe@example.org")
    page.get_by_label("Password").fill("a long pass phrase")
    follow(page, page.get_by_role("button", name="Create account"))
    assert "U+12A0 ETHIOPIC SYLLABLE GLOTTAL A" in page.locator("main form").inner_text()
    screenshot(page, "signup-refuses-a-name")
    assert_accessible(page)


def test_certificates_in_five_scripts(
    page: Any, live_server: str, live_app: Flask, job_worker: None
) -> None:
    # The Arabic name goes through the real sign-up form; the others are made directly.
    page.goto(live_server + "/signup")
    page.get_by_label("Name").fill(NAMES["arabic"])
    page.get_by_label("Email").fill("arabic@example.org")
    page.get_by_label("Password").fill("a long pass phrase")
    follow(page, page.get_by_role("button", name="Create account"))
    confirm_signup(page, live_app, live_server, "arabic@example.org")
    codes = {}
    with live_app.app_context():
        begin_write()  # the worker beside the server writes too (the sign-up's mail)
        course = db.session.execute(db.select(Course).filter_by(slug="ethics-scope")).scalar_one()
        for script, name in NAMES.items():
            email = f"{script}@example.org"
            user = services.find_user(email) or services.register(
                name, email, "a long pass phrase", "UTC", Role.LEARNER
            )
            db.session.add(
                Enrolment(
                    user_id=user.id,
                    course_id=course.id,
                    version_id=course.current_version_id,
                    completed_at=datetime.now(UTC),
                )
            )
            db.session.flush()
            codes[script] = (issue_certificate(user, course).code, user.name)
        db.session.commit()

    for script, (code, name) in codes.items():
        page.goto(f"{live_server}/verify/{code}")
        participant = page.locator(".cert-facts bdi").first
        assert participant.inner_text() == name
        screenshot(page, f"verification-{script}")
        data = drawn_pdf(live_app, code)
        document = pdfium.PdfDocument(data)
        try:
            text = document[0].get_textpage().get_text_range()
            document[0].render(scale=1.5).to_pil().save(ARTIFACTS / f"certificate-{script}.png")
        finally:
            document.close()
        for word in name.split():
            assert word in text, (script, word)
    assert_accessible(page)


def drawn_pdf(live_app: Flask, code: str) -> bytes:
    """The certificate's PDF once the server's job worker has drawn it."""
    from eduapp.models import Certificate

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with live_app.app_context():
            data = db.session.execute(db.select(Certificate.pdf).filter_by(code=code)).scalar_one()
        if data is not None:
            return data
        time.sleep(0.1)
    raise AssertionError(f"certificate {code}'s PDF was not drawn within 30 s")
