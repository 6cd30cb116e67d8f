"""A clinic manager's compliance dashboard in Chromium, with staff in every status."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.database import begin_write
from eduapp.extensions import db
from eduapp.models import Clinic, ClinicMember, ExternalCredit, Licence, RulePack, User
from tests.browser.conftest import assert_accessible, follow, screenshot, sign_in

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
PEOPLE = [
    ("Amara Okafor", "ncbtmb", -20, 10),  # cycle over, short: overdue
    ("Ben Cho", "texas", 40, 4),  # ends soon, short: at risk
    ("Carla Ruiz", "florida", None, 10),  # on track
    ("Dev Patel", "ncbtmb", 300, 30),  # complete
    ("Eli Novak", None, None, 0),  # no licence yet
]


def test_the_dashboard_shows_every_status(
    page: Any, live_server: str, live_app: Flask, job_worker: None
) -> None:
    with live_app.app_context():
        begin_write()  # the worker beside the server writes too
        manager = register("Mia Manager", "mia@clinic.example", PASSWORD, "UTC")
        clinic = Clinic(name="Harbour Clinic")
        db.session.add(clinic)
        db.session.flush()
        db.session.add(ClinicMember(clinic_id=clinic.id, user_id=manager.id, role="manager"))
        packs = {p.slug: p for p in db.session.execute(db.select(RulePack)).scalars()}
        today = date.today()
        for name, pack, days, hours in PEOPLE:
            user = User(email=f"{name.split()[0].lower()}@clinic.example", name=name,
                        password_hash="-")  # fmt: skip
            db.session.add(user)
            db.session.flush()
            db.session.add(
                ClinicMember(
                    clinic_id=clinic.id,
                    user_id=user.id,
                    role="staff",
                    consented_at=datetime.now(UTC),
                )
            )
            if pack is None:
                continue
            renewal = date(2027, 8, 31) if days is None else today + timedelta(days=days)
            db.session.add(
                Licence(
                    user_id=user.id,
                    pack_id=packs[pack].id,
                    number=f"L-{user.id}",
                    state=packs[pack].jurisdiction,
                    renewal_date=renewal,
                )
            )
            db.session.add(
                ExternalCredit(
                    user_id=user.id,
                    title="Ethics and boundaries",
                    provider="Harbour School",
                    completed_on=renewal - timedelta(days=90),
                    hours=Decimal(hours),
                    topic="ethics",
                    delivery="live",
                    approved_by=list(packs[pack].approving_bodies),
                )
            )
        db.session.commit()

    sign_in(page, live_server, "mia@clinic.example", PASSWORD)
    page.goto(live_server + "/clinics")
    assert page.locator("h1").inner_text() == "Harbour Clinic"
    statuses = page.locator("tbody .status-pill").all_inner_texts()
    assert statuses == ["Overdue", "At risk", "On track", "No licence", "Complete"]
    assert "1 overdue, 1 at risk, 1 on track, 1 complete, 1 no licence" in (
        page.locator(".status-chart svg").get_attribute("aria-label") or ""
    )
    screenshot(page, "clinic-dashboard")
    assert_accessible(page)

    # The audit pack is built by the server's job worker: the request's page shows its state,
    # reloads itself (meta refresh, no script) and offers the download once it is ready.
    follow(page, page.get_by_role("button", name=re.compile("Prepare the audit pack")))
    expect(page.locator("h1")).to_have_text("Audit pack of Harbour Clinic")
    download_link = page.get_by_role("link", name="Download the audit pack (ZIP)")
    expect(download_link).to_be_visible(timeout=30_000)
    screenshot(page, "clinic-audit-pack")
    # Checked once ready: axe flags the waiting page's timed refresh (WCAG 2.2.1), the price of
    # retrying without script; the page also offers "Check again now".
    assert_accessible(page)
    with page.expect_download() as download:
        download_link.click()
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert any("Amara Okafor" in name and name.endswith("transcript.pdf") for name in names)

    # The compliance CSV goes the same way: recorded, built by the worker, downloaded.
    follow(page, page.get_by_role("link", name="Back to Harbour Clinic"))
    follow(page, page.get_by_role("button", name="Prepare the compliance CSV"))
    expect(page.locator("h1")).to_have_text("Compliance (CSV) of Harbour Clinic")
    csv_link = page.get_by_role("link", name="Download the compliance CSV")
    expect(csv_link).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        csv_link.click()
    assert download.value.suggested_filename.startswith("compliance-")
    text = download.value.path().read_text(encoding="utf-8-sig")
    assert text.startswith('"name","email","status"') and "Amara Okafor" in text
