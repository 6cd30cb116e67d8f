"""A manager adds a co-manager, who finds the clinic from the menu; then removes a staff
member through the confirmation page. The staff page, at desktop and phone widths, lists
them under Former staff, and the dashboard no longer shows them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Clinic, ClinicMember, User
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_width,
    follow,
    main_text,
    screenshot,
    set_viewport,
    sign_in,
)

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
DOMAIN = "bay.example"


def test_a_co_manager_is_added_and_a_staff_member_removed(
    page: Any, browser: Any, live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        mia = register("Mia Manager", f"mia@{DOMAIN}", PASSWORD, "UTC")
        register("Noa Novak", f"noa@{DOMAIN}", PASSWORD, "UTC")
        clinic = Clinic(name="Bay Clinic")
        db.session.add(clinic)
        db.session.flush()
        clinic_id = clinic.id
        db.session.add(ClinicMember(clinic_id=clinic.id, user_id=mia.id, role="manager"))
        for name in ("Kim Lee", "Lou Ortiz", "Søren Ålborg-Christiansen"):
            user = User(email=f"{name.split()[0].lower()}@{DOMAIN}", name=name, password_hash="-")
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
        db.session.commit()

    # Mia finds her clinic from the menu and names Noa a co-manager.
    sign_in(page, live_server, f"mia@{DOMAIN}", PASSWORD)
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="My clinic"))
    expect(page.locator("h1")).to_have_text("Bay Clinic")
    follow(page, page.get_by_role("link", name="Managers"))
    page.get_by_label("Email of the new manager").fill(f"noa@{DOMAIN}")
    follow(page, page.get_by_role("button", name="Add manager"))
    assert "Noa Novak is now a manager of Bay Clinic" in page.locator(".flashes").inner_text()
    assert "Noa Novak" in page.locator("table").inner_text()
    screenshot(page, "clinic-managers")
    assert_accessible(page)

    # Noa, in her own browser, sees the menu entry and the clinic.
    noa_context = browser.new_context(viewport={"width": 1280, "height": 900})
    noa = noa_context.new_page()
    sign_in(noa, live_server, f"noa@{DOMAIN}", PASSWORD)
    follow(noa, noa.get_by_role("navigation", name="Main").get_by_role("link", name="My clinic"))
    expect(noa.locator("h1")).to_have_text("Bay Clinic")
    assert "Kim Lee" in noa.locator("table").last.inner_text()
    noa_context.close()

    # Mia removes Kim, after the confirmation page.
    follow(page, page.get_by_role("link", name="Staff and invitations"))
    follow(page, page.get_by_role("button", name="Remove Kim Lee from the staff"))
    expect(page.locator("h1")).to_have_text("Remove Kim Lee from Bay Clinic?")
    screenshot(page, "clinic-remove-staff-confirm")
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Remove Kim Lee"))
    assert "Kim Lee is removed" in page.locator(".flashes").inner_text()
    former = page.get_by_role("region", name="Former staff")
    assert "Kim Lee" in former.inner_text() and "Removed by Mia Manager" in former.inner_text()
    sharing = page.get_by_role("region", name="Staff sharing their CE (2)")
    assert "Kim Lee" not in sharing.inner_text()
    screenshot(page, "clinic-staff-1280")
    assert_accessible(page)

    set_viewport(page, {"width": 375, "height": 800})
    page.reload()
    assert_fits_width(page)
    screenshot(page, "clinic-staff-375")
    assert_accessible(page)
    page.goto(f"{live_server}/clinics/{clinic_id}")
    assert_fits_width(page)
    dashboard = main_text(page, "Bay Clinic")
    assert "Kim Lee" not in dashboard
    assert "Lou Ortiz" in dashboard
    screenshot(page, "clinic-dashboard-375")
    assert_accessible(page)
    page.goto(f"{live_server}/clinics/{clinic_id}/managers")
    assert_fits_width(page)
    screenshot(page, "clinic-managers-375")
    assert_accessible(page)


def test_invite_report_past_due_warning_and_the_removed_persons_my_ce(
    page: Any, live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        ray = register("Ray Manager", f"ray@{DOMAIN}", PASSWORD, "UTC")
        ida = register("Ida Staff", f"ida@{DOMAIN}", PASSWORD, "UTC")
        clinic = Clinic(name="Dune Clinic")
        db.session.add(clinic)
        db.session.flush()
        clinic_id = clinic.id
        db.session.add(ClinicMember(clinic_id=clinic.id, user_id=ray.id, role="manager"))
        db.session.add(
            ClinicMember(
                clinic_id=clinic.id, user_id=ida.id, role="staff", consented_at=datetime.now(UTC)
            )
        )
        db.session.commit()
    sign_in(page, live_server, f"ray@{DOMAIN}", PASSWORD)

    # A pasted list: one invited, the others reported with why.
    page.goto(f"{live_server}/clinics/{clinic_id}/staff")
    page.get_by_label("Email addresses").fill(
        f"new@{DOMAIN}\nida@{DOMAIN}\nnew@{DOMAIN}\nbroken@\njane.{DOMAIN}"
    )
    follow(page, page.get_by_role("button", name="Send invitations"))
    report = page.get_by_role("region", name="4 not invited, 1 invited")
    text = report.inner_text()
    assert "Already on the staff" in text and "Listed more than once" in text
    assert "has nothing after the @" in text and "No @, so not an address" in text
    screenshot(page, "clinic-invite-report")
    assert_accessible(page)

    # A due date in the past comes back with a warning and a "save anyway" box.
    page.goto(f"{live_server}/clinics/{clinic_id}/assignments")
    page.get_by_label("Course", exact=True).select_option(index=1)
    page.get_by_label("Due by").fill("2020-01-31")
    page.get_by_label("Who").select_option("all")
    follow(page, page.get_by_role("button", name="Assign"))
    assert "31 January 2020 is in the past" in page.locator(".error").inner_text()
    screenshot(page, "clinic-assign-past-warning")
    assert_accessible(page)
    page.get_by_label("Save anyway").check()
    follow(page, page.get_by_role("button", name="Assign"))
    assert "The course is assigned." in page.locator(".flashes").inner_text()
    follow(page, page.get_by_role("link", name="Edit").first)
    expect(page.locator("h1")).to_have_text("Edit an assignment")
    assert_accessible(page)
    page.get_by_label("Due by").fill("2099-03-31")
    follow(page, page.get_by_role("button", name="Save"))
    assert "2099-03-31" in page.get_by_role("region", name="Assigned").inner_text()
    set_viewport(page, {"width": 375, "height": 800})
    assert_fits_width(page)
    screenshot(page, "clinic-assignments-375")
    assert_accessible(page)

    # Ida is removed and sees it on My CE.
    page.goto(f"{live_server}/clinics/{clinic_id}/staff")
    follow(page, page.get_by_role("button", name="Remove Ida Staff from the staff"))
    follow(page, page.get_by_role("button", name="Remove Ida Staff"))
    expect(page.locator(".flashes")).to_contain_text("Ida Staff is removed")
    follow(page, page.get_by_role("button", name="Sign out"))
    sign_in(page, live_server, f"ida@{DOMAIN}", PASSWORD)
    page.goto(f"{live_server}/my-ce")
    assert "Dune Clinic removed you from its staff" in main_text(page, "My CE")
    assert "My clinic" not in page.get_by_role("navigation", name="Main").inner_text()
    screenshot(page, "my-ce-removed-375")
    assert_accessible(page)
