"""An admin reports a course's Florida completions to CE Broker in Chromium: the roster page
with the 30-day window, the download, and recording it reported."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Certificate, Course, Licence, Role, RulePack
from tests.browser.conftest import assert_accessible, follow, main_text, screenshot, sign_in

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
ADMIN = "cara@cebroker.example"


def test_an_admin_downloads_the_roster_and_records_it(
    page: Any, live_server: str, live_app: Flask
) -> None:
    today = date.today()  # browser tests keep the real clock
    with live_app.app_context():
        register("Cara Admin", ADMIN, PASSWORD, "UTC", Role.ADMIN)
        course = db.session.execute(db.select(Course).filter_by(slug="massage-safety")).scalar_one()
        course.approvals = [
            {
                "body": "Florida Board of Massage Therapy",
                "number": "FL-TEST",
                "valid_from": (today - timedelta(days=365)).isoformat(),
                "valid_to": (today + timedelta(days=365)).isoformat(),
                "cebroker": "20-555001",
            }
        ]
        florida = db.session.execute(db.select(RulePack).filter_by(slug="florida")).scalar_one()
        for n, days_ago in enumerate((10, 40)):
            person = register(f"Roster Person {n}", f"rp{n}@cebroker.example", PASSWORD, "UTC")
            db.session.add(
                Licence(
                    user_id=person.id,
                    pack_id=florida.id,
                    number=f"MA90{n}",
                    state="FL",
                    renewal_date=date(2027, 8, 31),
                )
            )
            day = today - timedelta(days=days_ago)
            db.session.add(
                Certificate(
                    code=f"CEBROWSER{n}",
                    user_id=person.id,
                    course_id=course.id,
                    issued_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
                    facts={"completed_on": day.isoformat()},
                    pdf=b"%PDF-1.4 test",
                    sha256="0" * 64,
                )
            )
        db.session.commit()
        title = course.title

    sign_in(page, live_server, ADMIN, PASSWORD)
    follow(page, page.get_by_role("link", name="CE Broker"))
    main_text(page, "CE Broker rosters")
    follow(page, page.get_by_role("link", name=title))
    text = main_text(page, title)
    assert "Unreported: 2" in text
    assert "20 days left" in text and "Overdue by 10 days" in text
    screenshot(page, "cebroker-roster")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the roster (.xlsx, 2 completions)").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sorted(row[4].value for row in sheet.iter_rows()) == ["MA900", "MA901"]

    follow(page, page.get_by_role("button", name="Record these 2 as reported"))
    text = main_text(page, title)
    assert "Recorded 2 completions as reported to CE Broker." in text
    assert "Unreported: 0" in text
    expect(page.get_by_text("Reported ", exact=False).first).to_be_visible()
