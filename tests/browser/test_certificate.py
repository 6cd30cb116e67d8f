"""A learner who completed a CE course evaluates it, gets the certificate and verifies it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from flask import Flask
from jwcrypto import jwk, jwt
from playwright.sync_api import expect

from eduapp.database import begin_write
from eduapp.extensions import db
from eduapp.models import Certificate, Course, Enrolment, User
from tests.browser.conftest import (
    ARTIFACTS,
    assert_accessible,
    confirm_signup,
    follow,
    screenshot,
    starting_with,
)

pytestmark = pytest.mark.browser
NAME = "Nguyễn Thị Łucja “Annie” — LMT"


def test_evaluate_get_the_certificate_and_verify_it(
    page: Any, live_server: str, live_app: Flask, job_worker: None
) -> None:
    page.goto(live_server + "/signup")
    page.get_by_label("Name").fill(NAME)
    page.get_by_label("Email").fill("annie@example.org")
    page.get_by_label("Password").fill("a long pass phrase")
    follow(page, page.get_by_role("button", name="Create account"))
    confirm_signup(page, live_app, live_server, "annie@example.org")
    with live_app.app_context():
        # Reading ten modules and passing the final is the learner journey's test; here the
        # completion is recorded directly (under the write lock: the worker sends mail).
        begin_write()
        user = db.session.execute(db.select(User).filter_by(email="annie@example.org")).one()[0]
        course = db.session.execute(db.select(Course).filter_by(slug="ethics-scope")).one()[0]
        db.session.add(
            Enrolment(
                user_id=user.id,
                course_id=course.id,
                version_id=course.current_version_id,
                completed_at=datetime.now(UTC),
            )
        )
        db.session.commit()

    page.goto(live_server + "/courses/ethics-scope")
    follow(page, page.get_by_role("link", name="Evaluate the course and get your certificate"))
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Send and get my certificate"))
    # Nothing chosen: every statement asks (expect waits for the answer to the post).
    expect(page.locator(".form-errors")).to_be_visible()
    for legend in page.locator("fieldset.rating").all():
        legend.get_by_label("Agree", exact=True).check()
    page.get_by_label("Anything else").fill("Clear about what the evidence does not show.")
    screenshot(page, "evaluation")
    follow(page, page.get_by_role("button", name="Send and get my certificate"))

    expect(page.locator("h1")).to_have_text("Certificate verification")
    assert NAME in page.locator(".cert-facts").inner_text()
    screenshot(page, "verification")
    assert_accessible(page)
    # The PDF is drawn by a job: until it is ready the link shows "PDF being prepared" and asks
    # again by itself (a meta refresh), and the download starts once it is.
    verification = page.url
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("link", name="Download the PDF").click()
    data = Path(download.value.path()).read_bytes()
    page.goto(verification)  # now with the PDF's hash
    expect(page.locator("code.hash")).to_be_visible()
    with live_app.app_context():
        # Annie's one certificate; other browser tests issue certificates in the same database.
        stored = db.session.execute(
            db.select(Certificate)
            .join(User, User.id == Certificate.user_id)
            .filter(User.email == "annie@example.org")
        ).scalar_one()
        assert data == stored.pdf
        assert stored.sha256 in page.content()
    document = pdfium.PdfDocument(data)
    try:
        assert NAME in document[0].get_textpage().get_text_range()
        document[0].render(scale=1.5).to_pil().save(ARTIFACTS / "certificate-issued.png")
    finally:
        document.close()

    # The Open Badges credential: offered on the verification page and in My learning, and
    # checked the way an outside verifier would, with another JOSE library than the signer's.
    section = page.get_by_role("region", name="Open Badges credential")
    expect(section).to_be_visible()
    section.scroll_into_view_if_needed()
    screenshot(page, "verification-credential")
    jwt_link = section.get_by_role("link", name="Download the signed credential (VC-JWT)")
    token = page.request.get(live_server + jwt_link.get_attribute("href")).text()
    keys = jwk.JWKSet.from_json(page.request.get(live_server + "/.well-known/jwks.json").text())
    claims = json.loads(jwt.JWT(jwt=token, key=keys, algs=["RS256"], check_claims={}).claims)
    assert claims["credentialSubject"]["identifier"][1]["identityHash"] == NAME
    follow(page, page.get_by_role("link", name="My learning"))
    links = page.locator(".certificate-links")
    expect(links.get_by_role("link", name=starting_with("Open Badges credential"))).to_be_visible()
    links.scroll_into_view_if_needed()
    screenshot(page, "my-learning-credential")
    assert_accessible(page)


def test_my_ce_with_a_licence_and_ce_from_elsewhere(
    page: Any, live_server: str, live_app: Flask
) -> None:
    page.goto(live_server + "/signup")
    page.get_by_label("Name").fill("Dana Reyes")
    page.get_by_label("Email").fill("dana@example.org")
    page.get_by_label("Password").fill("a long pass phrase")
    follow(page, page.get_by_role("button", name="Create account"))
    confirm_signup(page, live_app, live_server, "dana@example.org")
    follow(page, page.get_by_role("link", name="My CE"))
    assert "No licence yet" in page.content()
    follow(page, page.get_by_role("link", name="Add a licence"))
    page.get_by_label("Licence or certification").select_option(
        label="Florida licensed massage therapist"
    )
    page.get_by_label("Licence number").fill("MA12345")
    # Florida's renewal date is filled in.
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".licence-card h2")).to_have_text(starting_with("Florida"))
    follow(page, page.get_by_role("link", name="Record CE taken elsewhere"))
    assert_accessible(page)
    page.get_by_label("Course title").fill("Florida laws and rules update")
    page.get_by_label("Provider").fill("Sunshine CE Academy")
    page.get_by_label("Completed on").fill("2026-10-02")
    page.get_by_label("CE hours").fill("2")
    page.get_by_label("Category").select_option("laws-and-rules")
    page.get_by_label("How it was taught").select_option("live")
    page.get_by_label("Approved by").select_option("Florida Board of Massage Therapy")
    page.get_by_label("Certificate (PDF").set_input_files(
        {"name": "laws.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    follow(page, page.get_by_role("button", name="Save"))
    card = page.locator(".licence-card")
    assert "2 of 24 hours" in card.inner_text()
    assert "Florida laws and rules" in card.inner_text()
    screenshot(page, "my-ce")
    assert_accessible(page)
