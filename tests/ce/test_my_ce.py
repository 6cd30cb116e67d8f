"""My CE through the web app: licences, their compliance, CE from elsewhere, the transcript."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from eduapp.ce import uploads
from eduapp.ce.packs import current_versions, edit_version, import_packs
from eduapp.ce.rulefile import load_packs
from eduapp.certificates import issue
from eduapp.extensions import db
from eduapp.models import (
    Enrolment,
    ExternalCredit,
    Licence,
    RulePack,
    RuleVersion,
)
from tests.certificates.test_certificates import make_ce_course
from tests.conftest import AuthActions, csrf_token
from tests.learn.test_course_pages import count_queries

RULES = Path(__file__).resolve().parents[2] / "ce-rules"
PDF = b"%PDF-1.4\n% a certificate\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def packs(app: Flask, imported: None) -> dict[str, RulePack]:
    import_packs(load_packs(RULES))
    db.session.commit()
    return {p.slug: p for p in db.session.execute(db.select(RulePack)).scalars()}


def add_licence(client: FlaskClient, pack: RulePack, number: str, renewal: str = "") -> object:
    page = "/my-ce/licences/new"
    return client.post(
        page,
        data={
            "pack": str(pack.id),
            "number": number,
            "renewal_date": renewal,
            "csrf_token": csrf_token(client, page),
        },
    )


def record(client: FlaskClient, data: bytes = PDF, **fields: str) -> object:
    page = "/my-ce/external/new"
    form = {
        "title": "Myofascial workshop",
        "provider": "Harbour School",
        "completed_on": "2026-10-01",
        "hours": "6",
        "topic": "hands-on",
        "delivery": "live",
        "approved_by": "NCBTMB",
        "csrf_token": csrf_token(client, page),
        **fields,
    }
    form["file"] = (io.BytesIO(data), "certificate.pdf")
    return client.post(page, data=form, content_type="multipart/form-data")


@pytest.mark.clock("2026-11-24 12:00:00")
def test_a_licence_shows_its_hours_and_what_is_missing(
    client: FlaskClient, auth: AuthActions, packs: dict[str, RulePack]
) -> None:
    auth.signup()
    assert "No licence yet" in client.get("/my-ce").get_data(as_text=True)
    assert add_licence(client, packs["ncbtmb"], "BC-1234", "2027-05-31").status_code == 302
    assert record(client).status_code == 302
    assert record(client, hours="3", topic="ethics", delivery="home-study").status_code == 302
    html = client.get("/my-ce").get_data(as_text=True)
    assert "NCBTMB" in html and "BC-1234" in html
    assert "On track" in html
    assert "9 of 24 hours in the cycle 2025-06-01 to 2027-05-31" in html
    assert "Myofascial workshop" in html


@pytest.mark.clock("2026-11-24 12:00:00")
def test_fixed_renewal_dates_are_filled_in_and_checked(
    client: FlaskClient, auth: AuthActions, packs: dict[str, RulePack]
) -> None:
    auth.signup()
    florida = packs["florida"]
    wrong = add_licence(client, florida, "MA98765", "2026-08-31")
    assert wrong.status_code == 200
    assert "the next after this one is 31 August 2027" in wrong.get_data(as_text=True)
    assert add_licence(client, florida, "MA98765").status_code == 302
    db.session.rollback()
    licence = db.session.execute(db.select(Licence)).scalar_one()
    assert (licence.renewal_date, licence.state) == (date(2027, 8, 31), "FL")
    html = client.get("/my-ce").get_data(as_text=True)
    assert "Prevention of medical errors" in html or "medical errors" in html.lower()
    assert "Not tracked here:" in html  # the first-renewal rule, as the pack states it
    bad = add_licence(client, florida, "<script>")
    assert bad.status_code == 200 and "Use letters, digits" in bad.get_data(as_text=True)


def test_certificates_count_for_the_board_that_approved_them_in_the_learners_time_zone(
    app: Flask, packs: dict[str, RulePack]
) -> None:
    from eduapp.auth import services as accounts
    from eduapp.ce import services

    course = make_ce_course()  # approved by NCBTMB from 2026-01-01 to 2027-12-31
    user = accounts.register("Lee", "lee@example.org", "a long pass phrase", "America/Los_Angeles")
    db.session.add(
        Licence(
            user_id=user.id,
            pack_id=packs["ncbtmb"].id,
            number="BC-9",
            state="US",
            renewal_date=date(2027, 8, 31),
        )
    )
    # 02:00 UTC on 1 September is still 31 August in Los Angeles: inside the cycle.
    db.session.add(
        Enrolment(
            user_id=user.id,
            course_id=course.id,
            version_id=course.current_version_id,
            completed_at=datetime(2027, 9, 1, 2, 0, tzinfo=UTC),
        )
    )
    db.session.flush()
    certificate = issue.issue_certificate(user, course)
    assert certificate.facts["completed_on"] == "2027-08-31"
    assert certificate.facts["licence"] == {"number": "BC-9", "state": "US"}
    with time_machine.travel("2027-08-01", tick=False):
        (status,), certificates, _ = services.my_ce(user)
    assert certificates == [certificate]
    assert status.compliance.total_counted == 1
    assert status.compliance.status == "at risk"
    db.session.rollback()


@pytest.mark.clock("2026-11-24 12:00:00")
def test_uploads_are_checked_by_their_bytes_and_served_only_to_their_owner(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    packs: dict[str, RulePack],
    table_counts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    auth.signup()
    before = table_counts()
    stored = Path(app.config["FILES_DIR"]) / "ce"
    files = set(stored.glob("*"))
    refused = record(client, data=SVG)
    assert refused.status_code == 200
    assert "Upload the certificate as a PDF, PNG or JPEG file." in refused.get_data(as_text=True)
    future = record(client, completed_on="2026-12-25")
    assert "The date cannot be in the future." in future.get_data(as_text=True)
    quarter = record(client, hours="1.1")
    assert "Give hours in quarters" in quarter.get_data(as_text=True)
    monkeypatch.setattr(uploads, "MAX_BYTES", 1024)  # a small limit keeps the test body small
    big = record(client, data=b"%PDF-" + b"0" * 2048)
    assert "The file is larger than 1 MB." in big.get_data(as_text=True)
    monkeypatch.undo()
    assert table_counts() == before
    assert set(stored.glob("*")) == files  # nothing refused was kept

    # Larger than an ordinary form may be (256 KiB), as scanned certificates are.
    assert record(client, data=PDF + b"0" * 300_000).status_code == 302
    db.session.rollback()
    scanned = db.session.execute(db.select(ExternalCredit)).scalar_one()
    assert scanned.file_size == len(PDF) + 300_000
    url = f"/my-ce/external/{scanned.id}/delete"
    asked = client.post(url, data={"csrf_token": csrf_token(client, "/my-ce")})
    assert "and its uploaded file are deleted" in asked.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(ExternalCredit, scanned.id) is not None  # asking changed nothing
    client.post(url, data={"csrf_token": csrf_token(client, "/my-ce"), "confirmed": "yes"})
    assert record(client).status_code == 302
    db.session.rollback()
    row = db.session.execute(db.select(ExternalCredit)).scalar_one()
    download = client.get(f"/my-ce/external/{row.id}/file")
    assert download.get_data() == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    other = app.test_client()
    AuthActions(other).signup(email="other@example.org", name="Other")
    assert other.get(f"/my-ce/external/{row.id}/file").status_code == 404
    token = csrf_token(other, "/my-ce")
    assert (
        other.post(f"/my-ce/external/{row.id}/delete", data={"csrf_token": token}).status_code
        == 404
    )
    assert (
        client.post(
            f"/my-ce/external/{row.id}/delete",
            data={"csrf_token": csrf_token(client, "/my-ce"), "confirmed": "yes"},
        )
        .headers["Location"]
        .endswith("/my-ce")
    )
    assert set(stored.glob("*")) == files  # the file went with its record


def test_my_ce_runs_the_same_queries_for_more_records(
    client: FlaskClient, auth: AuthActions, packs: dict[str, RulePack]
) -> None:
    auth.signup()
    add_licence(client, packs["ncbtmb"], "BC-1", "2027-05-31")
    record(client)
    with count_queries() as few:
        client.get("/my-ce")
    for pack in ("texas", "new-york"):
        add_licence(client, packs[pack], "X-1", "2027-05-31")
    for _ in range(4):
        record(client)
    with count_queries() as more:
        client.get("/my-ce")
    assert len(more) == len(few)


def test_an_admins_edit_wins_and_a_reimport_keeps_it(
    app: Flask, packs: dict[str, RulePack], make_user
) -> None:
    admin = make_user("ada@example.org", "Ada", role="admin")
    illinois = packs["illinois"]
    definition = dict(current_versions([illinois.id])[illinois.id][-1][1].model_dump(mode="json"))
    definition["total_hours"] = "30"
    edit_version(illinois, definition, admin, "board bulletin 2026-11")
    db.session.commit()
    assert current_versions([illinois.id])[illinois.id][-1][1].total_hours == 30
    reports = import_packs(load_packs(RULES))
    db.session.commit()
    assert "illinois: unchanged" in reports
    assert current_versions([illinois.id])[illinois.id][-1][1].total_hours == 30
    assert db.session.scalar(db.select(db.func.count()).select_from(RuleVersion)) == 9


def test_import_rules_command(runner, packs: dict[str, RulePack], tmp_path: Path) -> None:
    result = runner.invoke(args=["ce", "import-rules", str(RULES)])
    assert result.exit_code == 0 and "florida: unchanged" in result.output
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "broken.yml").write_text("format: 1\nid: broken\nname: Broken\n")
    result = runner.invoke(args=["ce", "import-rules", str(bad)])
    assert result.exit_code == 1
    assert "broken.yml:1: jurisdiction: is required" in result.output
    missing = runner.invoke(args=["ce", "import-rules", str(tmp_path / "nowhere")])
    assert "no such folder" in missing.output


def test_removing_a_licence_keeps_the_records(
    client: FlaskClient, auth: AuthActions, packs: dict[str, RulePack]
) -> None:
    auth.signup()
    add_licence(client, packs["texas"], "TX-1", "2027-05-31")
    db.session.rollback()
    licence_id = db.session.execute(db.select(Licence.id)).scalar_one()
    token = csrf_token(client, "/my-ce")
    assert client.post(f"/my-ce/licences/{licence_id}/delete", data={}).status_code == 400
    asked = client.post(f"/my-ce/licences/{licence_id}/delete", data={"csrf_token": token})
    assert asked.status_code == 200 and "Remove licence TX-1?" in asked.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Licence)) == 1
    client.post(
        f"/my-ce/licences/{licence_id}/delete", data={"csrf_token": token, "confirmed": "yes"}
    )
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Licence)) == 0
    assert client.get(f"/my-ce/licences/{licence_id}/edit").status_code == 404


def test_admins_edit_a_rule_version_in_the_browser(
    app: Flask, packs: dict[str, RulePack], make_user
) -> None:
    make_user("ada@example.org", "Ada", role="admin")
    admin = app.test_client()
    AuthActions(admin).login("ada@example.org")
    assert "Illinois" in admin.get("/admin/rules").get_data(as_text=True)
    page = "/admin/rules/illinois/2024-01-01"
    text = admin.get(page).get_data(as_text=True)
    assert "total_hours:" in text and "domestic-violence" in text
    bad = admin.post(
        page,
        data={"definition": "total_hours: [", "note": "x", "csrf_token": csrf_token(admin, page)},
    )
    assert "Not valid YAML" in bad.get_data(as_text=True)
    invalid = admin.post(
        page,
        data={
            "definition": "effective_from: 2024-01-01\ncycle: {months: 24}\ntotal_hours: -3\n",
            "note": "x",
            "csrf_token": csrf_token(admin, page),
        },
    )
    assert "total_hours: Input should be greater than or equal to 0" in invalid.get_data(
        as_text=True
    )
    good = (
        "effective_from: 2024-01-01\ncycle: {months: 24, anchor: fixed, month_day: 12-31, "
        "years: even}\ntotal_hours: 26\n"
    )
    saved = admin.post(
        page, data={"definition": good, "note": "bulletin", "csrf_token": csrf_token(admin, page)}
    )
    assert saved.status_code == 302
    db.session.rollback()
    illinois = packs["illinois"]
    assert current_versions([illinois.id])[illinois.id][-1][1].total_hours == 26
    assert "revision 1: bulletin" in admin.get("/admin/rules").get_data(as_text=True)
    assert admin.get("/admin/rules/illinois/2023-01-01").status_code == 404
    assert admin.get("/admin/rules/illinois/not-a-date").status_code == 404
