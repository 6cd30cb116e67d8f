"""Certificates: evaluation first, then a PDF issued once, verified publicly, revoked or
corrected by an admin, and issued or flagged by a regrade of the final."""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.exc import IntegrityError

from eduapp.certificates import issue
from eduapp.certificates.pdf import render
from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.models import Certificate, Course, CourseEvaluation, Enrolment, User
from tests.conftest import FIXTURES, AuthActions, csrf_token, run_jobs, set_course_settings
from tests.coursefiles import import_folder
from tests.studio.conftest import grant

COURSE = "/courses/sample-course"
EVALUATION = COURSE + "/evaluation"
RATINGS = {"objectives": "5", "relevance": "4", "evidence": "5", "clarity": "3", "time": "4"}
ANNIE = "Nguyễn Thị Łucja “Annie” — LMT"
SCREENSHOTS = Path("test-artifacts/screenshots")
APPROVALS = [
    {
        "body": "NCBTMB",
        "number": "451234-26",
        "title": "Sample Course",
        "ce_hours": "1",
        "valid_from": "2026-01-01",
        "valid_to": "2027-12-31",
    },
    {  # expired before any completion: never printed
        "body": "Old Board",
        "number": "OLD-1",
        "valid_from": "2020-01-01",
        "valid_to": "2020-12-31",
    },
]


def make_ce_course() -> Course:
    course = db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()
    set_course_settings(course, ce_hours=Decimal("1"), approvals=APPROVALS)
    db.session.commit()
    return course


@pytest.fixture
def ce_course(app: Flask, imported: None) -> Course:
    return make_ce_course()


def pass_everything(client: FlaskClient, final: str = "a") -> None:
    """Read both modules, pass the module quiz, and answer the final with ``final``."""
    for module in ("first-steps", "second-module"):
        page = f"{COURSE}/modules/{module}"
        client.post(page + "/read", data={"csrf_token": csrf_token(client, page)})
    for quiz, answers in (
        ("first-steps", {"q-q-single": "a", "q-q-multi": ["a", "b"], "q-q-tf": "false"}),
        ("final", {"q-f-one": final}),
    ):
        page = f"{COURSE}/quizzes/{quiz}"
        path = client.post(page + "/start", data={"csrf_token": csrf_token(client, page)})
        path = path.headers["Location"]
        client.post(
            path + "/submit",
            data={"confirmed": "yes", **answers, "csrf_token": csrf_token(client, path)},
        )


def evaluate(client: FlaskClient, **ratings: str) -> object:
    return client.post(
        EVALUATION,
        data={**RATINGS, **ratings, "csrf_token": csrf_token(client, EVALUATION)},
    )


def test_the_pdf_prints_every_fact_in_any_script(app: Flask) -> None:
    facts = {
        "certificate_id": "Zx9K2m4QpR7sT1vW3yA5bC",
        "participant": ANNIE,
        "licence": {"number": "MA12345", "state": "FL"},
        "course_title": "Massage in Pain Management and Rehabilitation",
        "course_version": "1.2",
        "course_type_label": "Home study",
        "completed_on": "2026-11-23",
        "issued_on": "2026-11-24",
        "ce_hours": "0.5",
        "ce_categories": ["general"],
        "approvals": [{"body": "NCBTMB", "number": "451234-26", "title": "Pain", "ce_hours": "1"}],
        "provider": {"name": "Harbour School", "contact": "12 Quay St, Portland, ME"},
        "signatures": [{"name": "Dana Reyes, LMT", "title": "Education Director"}],
        "verify_url": "https://ce.example.org/verify/Zx9K2m4QpR7sT1vW3yA5bC",
        "sample": False,
    }
    data = render(facts)
    document = pdfium.PdfDocument(data)
    try:
        page = document[0]
        text = page.get_textpage().get_text_range()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.render(scale=1.5).to_pil().save(SCREENSHOTS / "certificate.png")
    finally:
        document.close()
    flat = " ".join(text.split())
    for expected in (
        "Certificate of Achievement",
        "Home study continuing education",
        ANNIE,
        "Licence MA12345 (FL)",
        "Massage in Pain Management and Rehabilitation",
        "Course version 1.2",
        "on November 23, 2026, earning 0.5 CEs",
        'Approved by NCBTMB: approval no. 451234-26, "Pain", 1 CE',
        "Provider: Harbour School, 12 Quay St, Portland, ME",
        "Dana Reyes, LMT",
        "Certificate ID Zx9K2m4QpR7sT1vW3yA5bC",
        "Verify at https://ce.example.org/verify/Zx9K2m4QpR7sT1vW3yA5bC",
    ):
        assert expected in flat
    assert "SAMPLE" not in flat


def test_completing_asks_for_an_evaluation_then_issues_once(
    app: Flask, ce_course: Course, client: FlaskClient, auth: AuthActions
) -> None:
    auth.signup(name=ANNIE)
    assert client.get(EVALUATION).headers["Location"].endswith(COURSE)  # not complete yet
    pass_everything(client)
    page = client.get(COURSE).get_data(as_text=True)
    assert "Evaluate the course and get your certificate" in page

    missing = evaluate(client, clarity="")
    assert missing.status_code == 200
    assert "Choose one answer for this statement." in missing.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Certificate)) == 0
    assert evaluate(client, time="9").status_code == 200  # tampered value: refused

    sent = evaluate(client, comment="Clear and honest.")
    code = sent.headers["Location"].rsplit("/", 1)[1]
    db.session.rollback()
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    assert certificate.code == code and len(code) == 23 and code.startswith("c")
    # Issued with its facts in the request; the PDF is drawn by its job, which has not run.
    assert (certificate.pdf, certificate.sha256) == (None, None)
    waiting = client.get(f"/certificates/{code}.pdf")
    assert waiting.status_code == 202 and waiting.headers["Retry-After"] == "3"
    html = waiting.get_data(as_text=True)
    assert "PDF being prepared" in html and '<meta http-equiv="refresh" content="3">' in html
    assert "'unsafe-inline'" not in waiting.headers["Content-Security-Policy"]
    assert "PDF being prepared" in client.get(f"/verify/{code}").get_data(as_text=True)
    assert [r for name, r in run_jobs() if name == "render_certificate"] == ["rendered"]
    db.session.rollback()
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    assert certificate.sha256 == hashlib.sha256(certificate.pdf).hexdigest()
    # Run again (the sweep's copy, say): the PDF stays as first drawn.
    jobs().enqueue("render_certificate", certificate.id)
    assert run_jobs() == [("render_certificate", "ready already")]
    facts = certificate.facts
    assert facts["participant"] == ANNIE
    assert facts["ce_hours"] == "1" and facts["course_version"] == "1.0"
    assert [a["body"] for a in facts["approvals"]] == ["NCBTMB"]
    # A development installation never prints a number that looks real.
    assert facts["sample"] is True
    assert facts["approvals"][0]["number"] == "SAMPLE (not a real approval number)"
    assert facts["verify_url"] == f"http://localhost/verify/{code}"
    evaluation = db.session.execute(db.select(CourseEvaluation)).scalar_one()
    assert evaluation.ratings == {k: int(v) for k, v in RATINGS.items()}

    # Asking again leads to the same certificate.
    assert client.get(EVALUATION).headers["Location"].endswith(f"/verify/{code}")
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Certificate)) == 1

    download = client.get(f"/certificates/{code}.pdf")
    assert download.data == certificate.pdf
    assert download.headers["ETag"] == f'"{certificate.sha256}"'
    assert "attachment" in download.headers["Content-Disposition"]
    page = client.get(COURSE).get_data(as_text=True)
    assert f"/certificates/{code}.pdf" in page


def test_the_verification_page_shows_what_the_certificate_shows(
    app: Flask, ce_course: Course, client: FlaskClient, auth: AuthActions
) -> None:
    auth.signup(name=ANNIE)
    pass_everything(client)
    code = evaluate(client).headers["Location"].rsplit("/", 1)[1]
    run_jobs()  # the PDF, whose hash the page shows
    db.session.rollback()
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    stranger = app.test_client()
    html = stranger.get(f"/verify/{code}").get_data(as_text=True)
    for fact in (
        "Nguyễn Thị Łucja “Annie” — LMT",
        "Sample Course for Tests (version 1.0)",
        "1 CE",
        "NCBTMB: approval no. SAMPLE",
        "eduapp development provider, ce@eduapp.invalid",
        certificate.sha256,
        "Valid: issued by eduapp development provider",
        "not valid for CE credit",
    ):
        assert fact in html.replace("&#34;", '"')
    assert "Download the PDF" not in html  # only its owner and admins download it
    assert stranger.get(f"/certificates/{code}.pdf").status_code == 302  # sign in first
    assert stranger.get("/verify/" + "x" * 22).status_code == 404
    assert stranger.get("/verify/short").status_code == 404


def test_production_prints_the_real_approval_number(
    app: Flask, ce_course: Course, client: FlaskClient, auth: AuthActions
) -> None:
    app.config["CERTIFICATE_SAMPLE"] = False
    auth.signup()
    pass_everything(client)
    evaluate(client)
    db.session.rollback()
    facts = db.session.execute(db.select(Certificate)).scalar_one().facts
    assert facts["sample"] is False
    assert facts["approvals"][0]["number"] == "451234-26"


def test_the_completion_date_is_the_learners_local_date(app: Flask, ce_course: Course) -> None:
    from eduapp.auth import services

    user = services.register("Kiri", "kiri@example.org", "a long pass phrase", "Pacific/Auckland")
    db.session.add(
        Enrolment(
            user_id=user.id,
            course_id=ce_course.id,
            version_id=ce_course.current_version_id,
            completed_at=datetime(2026, 11, 23, 20, 0, tzinfo=UTC),
        )
    )
    db.session.flush()
    certificate = issue.issue_certificate(user, ce_course)
    assert certificate.facts["completed_on"] == "2026-11-24"  # already the 24th in Auckland
    assert issue.issue_certificate(user, ce_course) is certificate
    # The database holds one original per learner and course, whatever the code does.
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(
            Certificate(
                user_id=user.id,
                course_id=ce_course.id,
                facts={},
                pdf=b"",
                sha256="",
            )
        )
    db.session.rollback()


def test_no_certificate_without_completion_or_ce_hours(app: Flask, imported: None) -> None:
    from eduapp.auth import services

    user = services.register("Lee", "lee@example.org", "a long pass phrase", "UTC")
    course = db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()
    with pytest.raises(issue.CertificateError, match="not complete"):
        issue.issue_certificate(user, course)
    db.session.add(
        Enrolment(
            user_id=user.id,
            course_id=course.id,
            version_id=course.current_version_id,
            completed_at=datetime.now(UTC),
        )
    )
    with pytest.raises(issue.CertificateError, match="no CE hours"):
        issue.issue_certificate(user, course)
    db.session.rollback()


def test_admins_revoke_and_correct_with_a_reason(
    app: Flask, ce_course: Course, client: FlaskClient, auth: AuthActions, make_user
) -> None:
    auth.signup(name="Anne Smiht")
    pass_everything(client)
    code = evaluate(client).headers["Location"].rsplit("/", 1)[1]
    make_user("ada@example.org", "Ada", role="admin")
    admin = app.test_client()
    AuthActions(admin).login("ada@example.org")
    listing = admin.get("/admin/certificates?code=" + code).get_data(as_text=True)
    assert "Anne Smiht" in listing
    token = csrf_token(admin, "/admin/certificates")
    # The learner fixes the name; the admin reissues.
    learner = db.session.execute(db.select(User).filter_by(name="Anne Smiht")).scalar_one()
    learner.name = "Anne Smith"
    db.session.commit()
    refused = admin.post(f"/admin/certificates/{code}/correct", data={"csrf_token": token})
    assert refused.status_code == 302
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Certificate)) == 1
    fixed = admin.post(
        f"/admin/certificates/{code}/correct",
        data={"csrf_token": token, "reason": "name misspelled"},
    )
    new_code = fixed.headers["Location"].rsplit("/", 1)[1]
    db.session.rollback()
    old = db.session.execute(db.select(Certificate).filter_by(code=code)).scalar_one()
    new = db.session.execute(db.select(Certificate).filter_by(code=new_code)).scalar_one()
    assert new.replaces_id == old.id and new.facts["participant"] == "Anne Smith"
    assert old.facts["participant"] == "Anne Smiht"  # the old record is unchanged
    assert old.revoke_reason == f"replaced by certificate {new_code}: name misspelled"
    old_page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Revoked on" in old_page and f"/verify/{new_code}" in old_page
    assert f"/verify/{code}" in client.get(f"/verify/{new_code}").get_data(as_text=True)

    url = f"/admin/certificates/{new_code}/revoke"
    asked = admin.post(url, data={"csrf_token": token, "reason": "issued in error"})
    question = asked.get_data(as_text=True)
    assert asked.status_code == 200 and f"Revoke certificate {new_code}?" in question
    assert "(“issued in error”)" in question and 'name="reason" value="issued in error"' in question
    db.session.rollback()
    assert (
        db.session.execute(db.select(Certificate.revoked_at).filter_by(code=new_code)).scalar_one()
        is None
    )  # asking changed nothing
    revoked = admin.post(
        url, data={"csrf_token": token, "reason": "issued in error", "confirmed": "yes"}
    )
    assert revoked.status_code == 302
    # Auditors see why (the admin page says the reason is public).
    public = client.get(f"/verify/{new_code}").get_data(as_text=True)
    assert "Revoked on" in public and "Reason: issued in error" in public
    assert "public verification page" in admin.get("/admin/certificates").get_data(as_text=True)
    again = admin.post(
        f"/admin/certificates/{new_code}/revoke",
        data={"csrf_token": token, "reason": "twice", "confirmed": "yes"},
        follow_redirects=True,
    )
    assert "Nothing changed: this certificate is already revoked." in again.get_data(as_text=True)
    db.session.rollback()
    assert new.revoke_reason == "issued in error"
    assert client.post(
        f"/admin/certificates/{new_code}/revoke", data={"csrf_token": token, "reason": "x"}
    ).status_code in (400, 403)


def test_instructors_see_evaluations_only_in_aggregate_of_five_or_more(
    app: Flask, ce_course: Course, make_user
) -> None:
    for index, (clarity, comment) in enumerate((("3", "Good."), ("5", ""))):
        client = app.test_client()
        AuthActions(client).signup(email=f"l{index}@example.org", name=f"Learner {index}")
        pass_everything(client)
        evaluate(client, clarity=clarity, comment=comment)
    make_user("ivy@example.org", "Ivy", role="instructor")
    grant("ivy@example.org", ce_course.slug)
    instructor = app.test_client()
    AuthActions(instructor).login("ivy@example.org")
    # Another instructor, who neither owns nor co-authors the course, finds nothing there.
    make_user("olly@example.org", "Olly", role="instructor")
    other = app.test_client()
    AuthActions(other).login("olly@example.org")
    assert other.get(COURSE + "/evaluations").status_code == 404
    assert "Course evaluations" not in other.get(COURSE).get_data(as_text=True)

    # Two responses: a comment or a rating could be traced to one of two learners.
    html = instructor.get(COURSE + "/evaluations").get_data(as_text=True)
    assert "2 evaluations so far" in html
    assert "Results are shown from 5 responses" in html and "3 more to go" in html
    assert "Good." not in html and "<table" not in html and "Mean" not in html
    assert "Learner 0" not in html and "l0@example.org" not in html

    # Four: still only the count.
    for index in (2, 3):
        learner = make_user(f"l{index}@example.org", f"Learner {index}")
        db.session.add(
            CourseEvaluation(
                user_id=learner.id,
                course_id=ce_course.id,
                ratings={**{k: int(v) for k, v in RATINGS.items()}, "clarity": 4},
                comment="Useful." if index == 2 else "",
            )
        )
    db.session.commit()
    html = instructor.get(COURSE + "/evaluations").get_data(as_text=True)
    assert "4 evaluations so far" in html and "1 more to go" in html
    assert "Good." not in html and "Useful." not in html and "<table" not in html

    # The fifth shows the aggregate: means, counts and the comments, sorted, without names.
    learner = make_user("l4@example.org", "Learner 4")
    db.session.add(
        CourseEvaluation(
            user_id=learner.id,
            course_id=ce_course.id,
            ratings={**{k: int(v) for k, v in RATINGS.items()}, "clarity": 4},
            comment="",
        )
    )
    db.session.commit()
    html = instructor.get(COURSE + "/evaluations").get_data(as_text=True)
    assert "5 evaluations so far" in html and "Results are shown from" not in html
    row = re.search(r"clear and well organised\.</th><td>([\d.]+)</td>", html)
    assert row and row.group(1) == "4.00"  # (3 + 5 + 4 + 4 + 4) / 5
    assert html.index("Good.") < html.index("Useful.")  # sorted, not in submission order
    assert "Learner 0" not in html and "l0@example.org" not in html


def test_too_few_evaluations_are_not_even_read(app: Flask, ce_course: Course, make_user) -> None:
    from eduapp.certificates.evaluation import MIN_RESPONSES, summary

    for index in range(MIN_RESPONSES - 1):
        learner = make_user(f"l{index}@example.org", f"Learner {index}")
        db.session.add(
            CourseEvaluation(
                user_id=learner.id,
                course_id=ce_course.id,
                ratings={k: int(v) for k, v in RATINGS.items()},
                comment="Identifying detail",
            )
        )
    db.session.commit()
    result = summary(ce_course)
    assert (result.count, result.shown, result.means, result.comments) == (4, False, {}, [])


def regrade_final(app: Flask, runner: FlaskCliRunner, tmp_path: Path, right: str) -> str:
    """Make ``right`` the final's correct choice, import, restore CE hours, and regrade."""
    courses = tmp_path / f"courses-{right}"
    shutil.rmtree(courses, ignore_errors=True)
    shutil.copytree(FIXTURES / "courses", courses)
    final = courses / "sample-course" / "final.quiz.yml"
    text = final.read_text().replace(
        "        text: A\n        correct: true\n", "        text: A\n"
    )
    if right == "b":
        text = text.replace("        text: B\n", "        text: B\n        correct: true\n")
    else:
        text = final.read_text()
    final.write_text(text)
    import_folder(courses)
    make_ce_course()
    result = runner.invoke(args=["quiz", "regrade", "--course", "sample-course", "--quiz", "final"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_regrade_to_pass_certifies_and_to_fail_flags(
    app: Flask,
    ce_course: Course,
    client: FlaskClient,
    auth: AuthActions,
    runner: FlaskCliRunner,
    tmp_path: Path,
) -> None:
    auth.signup(name="Bo")
    pass_everything(client, final="b")  # fails under the original key
    assert "(fail -> pass)" in regrade_final(app, runner, tmp_path, right="b")
    db.session.rollback()
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    assert certificate.facts["participant"] == "Bo"
    assert certificate.facts["verify_url"].startswith("http://localhost/verify/")
    assert certificate.review_reason is None

    assert "(pass -> fail)" in regrade_final(app, runner, tmp_path, right="a")
    db.session.rollback()
    assert certificate.review_reason.startswith("the final was regraded from pass to fail")
    assert certificate.revoked_at is None  # an admin decides
    assert db.session.scalar(db.select(db.func.count()).select_from(Certificate)) == 1


@pytest.mark.clock("2026-03-10 15:00:00")
def test_a_regrade_dates_completion_by_the_attempt_and_reissues_after_a_revocation(
    app: Flask,
    ce_course: Course,
    client: FlaskClient,
    auth: AuthActions,
    runner: FlaskCliRunner,
    tmp_path: Path,
    make_user,
    clock,
) -> None:
    auth.signup(name="Bo")
    pass_everything(client, final="b")  # fails under the original key
    clock.move_to("2026-11-24 09:00:00")
    regrade_final(app, runner, tmp_path, right="b")
    db.session.rollback()
    first = db.session.execute(db.select(Certificate)).scalar_one()
    assert first.facts["completed_on"] == "2026-03-10"  # when Bo did the work
    assert first.facts["issued_on"] == "2026-11-24"

    regrade_final(app, runner, tmp_path, right="a")  # pass -> fail: flagged
    admin_row = make_user("ada@example.org", "Ada", role="admin")
    issue.revoke(first, admin_row, "final regraded to a fail")
    db.session.commit()
    regrade_final(app, runner, tmp_path, right="b")  # and back: a new certificate
    db.session.rollback()
    second = issue.current_certificate(first.user_id, first.course_id)
    assert second is not None and second.id != first.id
    assert second.replaces_id == first.id and second.review_reason is None
