"""Admins' CE Broker pages: a course's Florida completions, the roster download with its
exact columns, the 30-day window, marking a roster reported (audited, once), bad input, and
what a clinic's manager sees."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from eduapp.clock import now
from eduapp.extensions import db
from eduapp.models import (
    AccountChange,
    CeBrokerBatch,
    CeBrokerReport,
    Certificate,
    ClinicMember,
    Course,
    Licence,
    RulePack,
    User,
)
from eduapp.models.clinic import STAFF
from tests.cebroker.test_roster_file import roster_row
from tests.clinics.test_clinics import make_clinic, packs  # noqa: F401
from tests.conftest import AuthActions, csrf_token, set_course_settings
from tests.learn.test_course_pages import count_queries

APPROVAL = {
    "body": "Florida Board of Massage Therapy",
    "number": "FL-1",
    "valid_from": "2026-01-01",
    "valid_to": "2027-12-31",
    "cebroker": "20-777001",
}
# Today is 2026-11-24 (TEST_NOW): the window of a completion on 11-01 ends 12-01.
DATES = {"fay": "2026-11-01", "flo": "2026-10-20", "tex": "2026-11-10"}


def certificate(
    user: User, course: Course, completed_on: str, n: int, issued_on: str = ""
) -> Certificate:
    day = date.fromisoformat(issued_on or completed_on)
    return Certificate(
        code=f"CEB{n:04d}",
        user_id=user.id,
        course_id=course.id,
        issued_at=datetime(day.year, day.month, day.day, 15, tzinfo=UTC),
        facts={"completed_on": completed_on, "course_title": course.title},
        pdf=b"%PDF-1.4 test",
        sha256="0" * 64,
    )


def licence(user: User, pack: RulePack, number: str, state: str) -> Licence:
    return Licence(
        user_id=user.id, pack_id=pack.id, number=number, state=state, renewal_date=date(2027, 8, 31)
    )


@pytest.fixture
def world(app: Flask, make_user, imported: None, packs: dict[str, RulePack], monkeypatch) -> Any:  # noqa: F811
    monkeypatch.setitem(app.config, "CEBROKER_PROVIDER", "50-4242")
    monkeypatch.setitem(app.config, "CEBROKER_PROFESSION", "LMT")
    admin = make_user("ada@example.org", "Ada", role="admin")
    course = db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()
    set_course_settings(course, approvals=[APPROVAL])
    people = {name: make_user(f"{name}@example.org", name.title()) for name in DATES}
    db.session.add(licence(people["fay"], packs["florida"], "MA1001", "FL"))
    db.session.add(licence(people["flo"], packs["florida"], "MA1002", "FL"))
    db.session.add(licence(people["tex"], packs["texas"], "MT9", "TX"))
    certificates = {}
    for n, (name, day) in enumerate(DATES.items()):
        certificates[name] = certificate(people[name], course, day, n)
        db.session.add(certificates[name])
    db.session.commit()
    client = app.test_client()
    AuthActions(client).login("ada@example.org")
    return client, course, people, certificates, admin


def page_of(course: Course, **args: str) -> str:
    query = "&".join(
        f"{k}={v}" for k, v in {"start": "2026-10-01", "end": "2026-11-24", **args}.items()
    )
    return f"/admin/cebroker/courses/{course.id}?{query}"


def roster_of(client: FlaskClient, course: Course, **args: str) -> list[list[object]]:
    response = client.get(page_of(course, **args).replace("?", "/roster.xlsx?"))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def mark(client: FlaskClient, course: Course, ids: str, **args: str) -> Any:
    page = page_of(course, **args)
    return client.post(
        page.replace("?", "/report?"),
        data={"certificates": ids, "csrf_token": csrf_token(client, page)},
    )


def counts() -> tuple[int, int, int]:
    db.session.rollback()
    return tuple(  # type: ignore[return-value]
        db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()
        for model in (CeBrokerBatch, CeBrokerReport, AccountChange)
    )


def test_the_roster_of_a_test_course_has_cebrokers_exact_columns(world) -> None:
    client, course, _, _, _ = world
    assert roster_of(client, course) == [
        roster_row("MA1002", date(2026, 10, 20)),
        roster_row("MA1001", date(2026, 11, 1)),
    ]
    # The date range picks completions by the date the certificate prints.
    assert [r[4] for r in roster_of(client, course, start="2026-10-21")] == ["MA1001"]


def test_completions_are_chosen_by_the_date_they_print_not_the_day_of_issue(
    world,
    make_user,
    packs,  # noqa: F811
) -> None:
    client, course, _, _, _ = world
    db.session.rollback()
    for name, completed, issued in (
        ("late", "2026-10-05", "2026-11-20"),
        ("early", "2026-09-28", "2026-10-02"),
    ):
        user = make_user(f"{name}@example.org", name.title())
        db.session.add(licence(user, packs["florida"], f"MA-{name}", "FL"))
        db.session.add(certificate(user, course, completed, len(name) + 50, issued_on=issued))
    db.session.commit()
    licences = [row[4] for row in roster_of(client, course, end="2026-10-31")]
    assert licences == ["MA-late", "MA1002"]  # by completion date; "early" completed before


def test_the_course_page_shows_days_left_overdue_and_who_cannot_be_reported(world) -> None:
    client, course, _, _, _ = world
    html = client.get(page_of(course)).get_data(as_text=True)
    assert "Unreported: 2" in html
    assert "7 days left" in html  # fay, 2026-11-01
    assert "Overdue by 5 days" in html  # flo, 2026-10-20
    assert "none: not reportable" in html  # tex holds no Florida licence
    assert "Download the roster (.xlsx, 2 completions)" in html


def test_marking_a_roster_reported_is_audited_and_marking_it_again_records_nothing(world) -> None:
    client, course, people, certificates, admin = world
    ids = f"{certificates['fay'].id},{certificates['flo'].id}"
    before = counts()
    response = mark(client, course, ids)
    assert response.status_code == 302
    assert counts() == (before[0] + 1, before[1] + 2, before[2] + 2)
    batch = db.session.execute(db.select(CeBrokerBatch)).scalar_one()
    assert (batch.reported_by_id, batch.completions, batch.provider_tracking) == (
        admin.id,
        2,
        "50-4242",
    )
    audit = db.session.execute(
        db.select(AccountChange).filter_by(user_id=people["fay"].id, action="cebroker_reported")
    ).scalar_one()
    assert audit.admin_id == admin.id and "CEB0000" in (audit.reason or "")
    html = client.get(response.location).get_data(as_text=True)
    assert "Recorded 2 completions as reported" in html and "Unreported: 0" in html
    account = client.get(f"/admin/users/{people['fay'].id}").get_data(as_text=True)
    assert "Completion reported to CE Broker" in account
    assert roster_of(client, course) == []  # a new roster leaves out what was reported
    again = mark(client, course, ids)
    assert again.status_code == 302 and counts() == (before[0] + 1, before[1] + 2, before[2] + 2)
    assert "already reported" in client.get(again.location).get_data(as_text=True)


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ("tex", "not in this course"),  # not reportable: no Florida licence
        ("999999", "not in this course"),
        ("abc", "Completions: not a list of ids."),
        ("", "Completions: the roster carried none."),
    ],
)
def test_tampered_ids_are_refused_and_record_nothing(world, ids: str, message: str) -> None:
    client, course, _, certificates, _ = world
    if ids == "tex":
        ids = f"{certificates['fay'].id},{certificates['tex'].id}"
    before = counts()
    response = mark(client, course, ids)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"start": "2026-13-01"}, "From: give a real date"),
        ({"end": "yesterday"}, "To: give a real date"),
        ({"start": "2026-11-20", "end": "2026-11-01"}, "To: must not be before From."),
        ({"start": "2020-01-01"}, "To: at most 731 days after From."),
    ],
)
def test_bad_dates_are_named_never_a_500(world, args: dict[str, str], message: str) -> None:
    client, course, _, certificates, _ = world
    response = client.get(page_of(course, **args))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    roster = client.get(page_of(course, **args).replace("?", "/roster.xlsx?"))
    assert roster.status_code == 400 and message in roster.get_data(as_text=True)
    before = counts()
    assert mark(client, course, str(certificates["fay"].id), **args).status_code == 400
    assert counts() == before


def test_an_unknown_course_is_404(world) -> None:
    client, _, _, _, _ = world
    assert client.get("/admin/cebroker/courses/999999").status_code == 404
    assert client.get("/admin/cebroker/courses/999999/roster.xlsx").status_code == 404


def test_without_a_provider_number_the_pages_say_so_and_nothing_downloads(
    world, app: Flask, monkeypatch
) -> None:
    client, course, _, certificates, _ = world
    monkeypatch.setitem(app.config, "CEBROKER_PROVIDER", "")
    assert "EDUAPP_CEBROKER_PROVIDER is not set" in client.get("/admin/cebroker").get_data(
        as_text=True
    )
    html = client.get(page_of(course)).get_data(as_text=True)
    assert "EDUAPP_CEBROKER_PROVIDER is not set" in html and "Download the roster" not in html
    response = client.get(page_of(course).replace("?", "/roster.xlsx?"))
    assert response.status_code == 409 and "EDUAPP_CEBROKER_PROVIDER" in response.get_data(
        as_text=True
    )
    monkeypatch.setitem(app.config, "CEBROKER_PROVIDER", "CEB-42")
    assert "is not a CE Broker provider number" in client.get("/admin/cebroker").get_data(
        as_text=True
    )
    before = counts()
    assert mark(client, course, str(certificates["fay"].id)).status_code == 409
    assert counts() == before


def test_courses_without_a_cebroker_number_are_listed_as_not_reportable(world) -> None:
    client, course, _, _, _ = world
    html = client.get("/admin/cebroker").get_data(as_text=True)
    reportable, not_reportable = html.split('id="not-reportable-heading"')
    assert course.title in reportable and "20-777001" in reportable
    assert course.title not in not_reportable
    set_course_settings(course, approvals=[{k: v for k, v in APPROVAL.items() if k != "cebroker"}])
    db.session.commit()
    html = client.get("/admin/cebroker").get_data(as_text=True)
    reportable, not_reportable = html.split('id="not-reportable-heading"')
    assert "No course has a CE Broker course tracking number yet." in reportable
    assert course.title in not_reportable
    assert "Unreported: 0" in client.get(page_of(course)).get_data(as_text=True)


def test_a_completion_outside_the_approvals_dates_is_not_reportable(world) -> None:
    client, course, _, _, _ = world
    set_course_settings(course, approvals=[{**APPROVAL, "valid_from": "2026-10-25"}])
    db.session.commit()
    assert [r[4] for r in roster_of(client, course)] == ["MA1001"]
    assert "none on that date: not reportable" in client.get(page_of(course)).get_data(as_text=True)


def test_only_admins_reach_the_pages(world, app: Flask, make_user) -> None:
    _, course, _, _, _ = world
    make_user("ian@example.org", "Ian", role="instructor")
    for email, expected in (("fay@example.org", 403), ("ian@example.org", 403)):
        client = app.test_client()
        AuthActions(client).login(email)
        assert client.get("/admin/cebroker").status_code == expected
        assert client.get(page_of(course)).status_code == expected
        assert client.get(page_of(course).replace("?", "/roster.xlsx?")).status_code == expected
    assert app.test_client().get("/admin/cebroker").status_code == 302  # to sign in


def test_the_page_and_roster_read_a_fixed_number_of_statements(world, make_user, packs) -> None:  # noqa: F811
    client, course, _, _, _ = world

    def statements() -> tuple[int, int]:
        with count_queries() as page:
            assert client.get(page_of(course)).status_code == 200
        with count_queries() as roster:
            roster_of(client, course)
        return len(page), len(roster)

    statements()  # the first request of a session warms caches the later ones use
    few = statements()
    db.session.rollback()
    for n in range(8):
        user = make_user(f"more{n}@example.org", f"More {n}")
        db.session.add(licence(user, packs["florida"], f"MA2{n:03d}", "FL"))
        db.session.add(certificate(user, course, "2026-11-05", 100 + n))
    db.session.commit()
    assert len(roster_of(client, course)) == 10
    assert statements() == few


def test_a_manager_sees_whether_staff_completions_were_reported(
    world, app: Flask, make_user
) -> None:
    client, course, people, certificates, _ = world
    clinic, manager = make_clinic(app, make_user, "Bay Clinic", "mo@example.org")
    db.session.rollback()
    for person in people.values():  # staff who share their CE with the clinic
        db.session.add(
            ClinicMember(clinic_id=clinic.id, user_id=person.id, role=STAFF, consented_at=now())
        )
    db.session.commit()
    mark(client, course, str(certificates["fay"].id))
    html = manager.get(f"/clinics/{clinic.id}/staff").get_data(as_text=True)
    section = html.split('id="cebroker-heading"')[1].split('id="invites-heading"')[0]
    fay_row = section.split("<bdi>Fay</bdi>")[1].split("</tr>")[0]
    flo_row = section.split("<bdi>Flo</bdi>")[1].split("</tr>")[0]
    assert "Reported 24 November 2026" in fay_row and "2026-11-01" in fay_row
    assert "Not reported yet" in flo_row
    assert "<bdi>Tex</bdi>" not in section  # no Florida licence: nothing to report for them
    other, other_manager = make_clinic(app, make_user, "Far Clinic", "zed@example.org")
    far = other_manager.get(f"/clinics/{other.id}/staff").get_data(as_text=True)
    assert "Fay" not in far.split('id="cebroker-heading"')[1].split('id="invites-heading"')[0]
