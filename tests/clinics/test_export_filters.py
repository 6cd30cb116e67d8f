"""The dashboard's CSV exports hold the list the manager had on screen: the request records
the filters (status, name or email, sort) its button posts, the job builds from them, and the
request's page says which. A status or sort the page never offers is a 400 that records
nothing; the audit pack holds everyone and ignores what is posted."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.models import User
from eduapp.models.export import ExportRequest
from tests.clinics.helpers import join
from tests.clinics.test_clinics import packs  # noqa: F401
from tests.clinics.test_exports import clinic_with_staff  # noqa: F401
from tests.conftest import csrf_token, run_jobs


@pytest.fixture
def clinic(app: Flask, clinic_with_staff: Any, make_user: Any) -> tuple[Any, FlaskClient]:  # noqa: F811
    """Kim (a licence and a completion), and Lou and Ann (no licence, nothing completed)."""
    clinic, manager = clinic_with_staff[:2]
    join(app, manager, clinic, "lou@example.org", make_user)
    join(app, manager, clinic, "ann@example.org", make_user)
    run_jobs()  # the invitations' mail, the certificate's PDF
    return clinic, manager


def ask(manager: FlaskClient, clinic_id: int, name: str, **filters: str) -> Any:
    page = f"/clinics/{clinic_id}"
    data = {"csrf_token": csrf_token(manager, page), **filters}
    return manager.post(f"{page}/export/{name}", data=data)


def built(manager: FlaskClient, response: Any) -> tuple[str, list[list[str]]]:
    """The request's page once its job ran, and the CSV's rows after the header."""
    assert response.status_code == 302, response.get_data(as_text=True)
    path = response.headers["Location"]
    assert jobs().task("build_export").call_local(int(path.rsplit("/", 1)[1])) == "ready"
    page = manager.get(path).get_data(as_text=True)
    text = manager.get(path + "/download").get_data(as_text=True).lstrip("\ufeff")
    return page, list(csv.reader(io.StringIO(text)))[1:]


def requests() -> list[ExportRequest]:
    db.session.rollback()
    return list(db.session.execute(db.select(ExportRequest).order_by(ExportRequest.id)).scalars())


@pytest.mark.clock("2026-11-24 12:00:00")
def test_the_compliance_csv_holds_the_filtered_list_in_the_dashboards_order(
    app: Flask, clinic: tuple[Any, FlaskClient]
) -> None:
    clinic_row, manager = clinic
    page, rows = built(manager, ask(manager, clinic_row.id, "dashboard.csv", status="no licence"))
    assert [r[0] for r in rows] == ["Ann", "Lou"]  # Kim has a licence
    assert "Staff with status “no licence”, sorted by status, worst first" in page
    assert requests()[-1].filters == {"status": "no licence", "q": "", "sort": "status"}

    _page, rows = built(manager, ask(manager, clinic_row.id, "dashboard.csv", q="LOU@example"))
    assert [r[0] for r in rows] == ["Lou"]
    # Everyone by name, or worst first: Kim, renamed Zoe, has a licence more pressing than
    # none, so comes first by status and last by name.
    db.session.rollback()
    kim = db.session.execute(db.select(User).filter_by(email="kim@example.org")).scalar_one()
    kim.name = "Zoe"
    db.session.commit()
    _page, by_name = built(manager, ask(manager, clinic_row.id, "dashboard.csv", sort="name"))
    _page, by_status = built(manager, ask(manager, clinic_row.id, "dashboard.csv"))
    assert [r[0] for r in by_name] == ["Ann", "Lou", "Zoe"]
    assert [r[0] for r in by_status] == ["Zoe", "Ann", "Lou"]


@pytest.mark.clock("2026-11-24 12:00:00")
def test_the_completions_csv_holds_the_filtered_staffs_completions(
    app: Flask, clinic: tuple[Any, FlaskClient]
) -> None:
    clinic_row, manager = clinic
    page, rows = built(manager, ask(manager, clinic_row.id, "completions.csv", q="kim@"))
    assert [r[1] for r in rows] == ["kim@example.org"]
    assert "Staff with a name or email containing “kim@”: the dashboard" in page
    assert "sorted" not in page  # completions come by name and date, whatever the sort
    _page, rows = built(
        manager, ask(manager, clinic_row.id, "completions.csv", status="no licence")
    )
    assert rows == []  # Lou and Ann have completed nothing
    page, rows = built(manager, ask(manager, clinic_row.id, "completions.csv"))
    assert [r[1] for r in rows] == ["kim@example.org"]
    assert "All staff who share their CE" in page
    assert requests()[-1].filters == {"status": None, "q": ""}


@pytest.mark.clock("2026-11-24 12:00:00")
def test_the_dashboards_buttons_post_the_filters_on_screen(
    app: Flask, clinic: tuple[Any, FlaskClient]
) -> None:
    clinic_row, manager = clinic
    html = manager.get(f"/clinics/{clinic_row.id}?q=lou&status=no+licence&sort=name").get_data(
        as_text=True
    )
    assert html.count('<input type="hidden" name="q" value="lou">') == 2  # the two CSVs
    assert html.count('<input type="hidden" name="status" value="no licence">') == 2
    assert html.count('<input type="hidden" name="sort" value="name">') == 2
    assert "The CSVs hold the staff this list shows" in html
    assert "Prepare the completions of these staff (CSV)" in html
    plain = manager.get(f"/clinics/{clinic_row.id}").get_data(as_text=True)
    assert "Prepare all completions (CSV)" in plain and "The CSVs hold" not in plain


def test_a_status_or_sort_never_offered_is_a_400_and_records_nothing(
    app: Flask, clinic: tuple[Any, FlaskClient]
) -> None:
    clinic_row, manager = clinic
    for name in ("dashboard.csv", "completions.csv"):
        for filters in ({"status": "compliant-ish"}, {"sort": "salary"}, {"status": "x" * 5000}):
            assert ask(manager, clinic_row.id, name, **filters).status_code == 400, filters
    assert requests() == []
    response = ask(manager, clinic_row.id, "audit-pack", status="compliant-ish", q="lou")
    assert response.status_code == 302
    (row,) = requests()
    assert row.filters is None  # the audit pack holds everyone
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "the dashboard's filters" not in page
