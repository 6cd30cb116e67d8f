"""Bounded input (issue 9): ids beyond the database's range, hostile Host headers, dates
outside 1900-2100 and numbers that are not numbers get a 404, a 400 or the form's error,
and write nothing."""

# ruff: noqa: F811 (the packs fixture is imported, then requested by name)

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.bounds import PlainDecimalField
from eduapp.content.loader import load_catalogue
from eduapp.content.yamlfile import ContentError
from eduapp.extensions import db
from eduapp.models import Licence, RulePack, User
from eduapp.quiz.grading import parse_number
from eduapp.routing import DATABASE_INT_MAX
from tests.ce.test_my_ce import add_licence, record
from tests.clinics.test_clinics import join, make_clinic, packs, signed_in  # noqa: F401
from tests.conftest import AuthActions, csrf_token

TOO_BIG = [str(DATABASE_INT_MAX + 1), str(2**63), "9" * 5000]


def int_routes(app: Flask) -> list[tuple[str, str]]:
    """Every route with an integer in its path, each integer set beyond the range."""
    found = []
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if conv.regex == r"\d+"]
        if ints:
            served = sorted(rule.methods - {"HEAD", "OPTIONS"})  # one the rule serves:
            method = "GET" if "GET" in served else "POST" if "POST" in served else served[0]
            found.append((rule.rule, method))
    return found


def test_every_integer_in_a_url_beyond_the_database_is_a_404(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.signup()
    routes = int_routes(app)
    assert len(routes) >= 15  # attempts, clinics, invites, licences, credits, staff...
    for rule, method in routes:
        for value in TOO_BIG:
            path = re.sub(r"<int:[a-z_]+>", value, rule)
            path = re.sub(r"<slug:[a-z_]+>", "sample-course", path)
            path = re.sub(r"<[a-z_]+>", "x", path)
            response = client.open(path, method=method)
            assert response.status_code == 404, (path, response.status_code)


def test_the_largest_id_is_still_routed(client: FlaskClient, auth: AuthActions) -> None:
    auth.signup()
    assert client.get(f"/attempts/{DATABASE_INT_MAX}").status_code == 404  # no such attempt
    assert client.get("/clinics/1").status_code == 404


@pytest.mark.parametrize(
    "host",
    ["a" * 300, "a" * 10_000, "exa mple.org", "example.org:99999999", "[::1", "ex\u00e9.org"],
)
def test_a_malformed_host_is_a_plain_400(client: FlaskClient, host: str) -> None:
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert b"Host header" in response.data


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:5000", "[::1]:8000", "eduapp.example."])
def test_real_hosts_are_served(client: FlaskClient, host: str) -> None:
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_an_error_page_that_cannot_render_answers_in_plain_text(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eduapp.errors import error_page

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("any failure while drawing the page")

    monkeypatch.setitem(app.jinja_env.globals, "url_for", broken)
    with app.test_request_context("/"):
        body, code = error_page(404, "Page not found", "Gone.")
    assert code == 404 and body.mimetype == "text/plain"
    assert body.get_data(as_text=True) == "Error 404: Page not found. Gone.\n"


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", "sNaN", "1e999999", "1e3"])
def test_non_numbers_are_the_hours_field_error(
    app: Flask, client: FlaskClient, auth: AuthActions, packs, table_counts, value: str
) -> None:
    auth.signup()
    before = table_counts()
    response = record(client, hours=value)
    assert response.status_code == 200
    assert "Give a plain number, such as 1.5." in response.get_data(as_text=True)
    assert table_counts() == before


def test_a_decimal_comma_is_a_number(app: Flask, client: FlaskClient, auth: AuthActions, packs):
    auth.signup()
    assert record(client, hours="1,5").status_code == 302


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_dates_outside_1900_to_2100_are_the_fields_error(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    packs: dict[str, RulePack],
    table_counts,
    day: str,
) -> None:
    auth.signup()
    before = table_counts()
    for response in (
        add_licence(client, packs["ncbtmb"], "BC-1", day),
        record(client, completed_on=day),
    ):
        assert response.status_code == 200
        assert "Give a date between 1900-01-01 and 2100-12-31." in response.get_data(as_text=True)
    assert table_counts() == before


def test_the_edges_of_the_range_are_accepted(
    app: Flask, client: FlaskClient, auth: AuthActions, packs: dict[str, RulePack]
) -> None:
    auth.signup()
    assert add_licence(client, packs["ncbtmb"], "BC-1", "2100-12-31").status_code == 302
    assert record(client, completed_on="1900-01-01").status_code == 302


def test_assignments_and_manager_edits_are_bounded_too(
    app: Flask, make_user, packs: dict[str, RulePack], table_counts
) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    kim_client = join(app, manager, clinic, "kim@example.org", make_user)
    assert add_licence(kim_client, packs["ncbtmb"], "BC-1", "2027-01-31").status_code == 302
    db.session.rollback()
    kim = db.session.execute(db.select(User).filter_by(email="kim@example.org")).scalar_one()
    licence = db.session.execute(db.select(Licence).filter_by(user_id=kim.id)).scalar_one()
    before = table_counts()
    page = f"/clinics/{clinic.id}/assignments"
    html = manager.get(page).get_data(as_text=True)
    course = re.search(r'<option value="(\d+)"', html).group(1)
    response = manager.post(
        page,
        data={
            "course": course,
            "due_on": "0001-01-01",
            "who": "all",
            "csrf_token": csrf_token(manager, page),
        },
    )
    assert "Give a date between 1900-01-01 and 2100-12-31." in response.get_data(as_text=True)
    edit = f"/clinics/{clinic.id}/staff/{kim.id}/licences/{licence.id}"
    for number, renewal, message in (
        ("BC-1", "0001-01-01", "Give a date between 1900-01-01 and 2100-12-31."),
        # The learner's own form refuses this number; a manager's edit must too.
        ("=cmd|' /C calc'!A0", "2027-01-31", "Use letters, digits, spaces, . / -"),
    ):
        response = manager.post(
            edit,
            data={
                "number": number,
                "renewal_date": renewal,
                "reason": "typo",
                "csrf_token": csrf_token(manager, edit),
            },
        )
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert table_counts() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "Input should be a valid date"),
        ("0001-01-01", "give a date between 1900-01-01 and 2100-12-31"),
    ],
)
def test_the_rule_editor_answers_an_impossible_date_with_the_forms_error(
    app: Flask, make_user, packs: dict[str, RulePack], table_counts, text: str, message: str
) -> None:
    admin = signed_in(app, "root@example.org", "Root", make_user, role="admin")
    page = "/admin/rules/ncbtmb/" + re.search(
        r"/admin/rules/ncbtmb/([0-9-]+)", admin.get("/admin/rules").get_data(as_text=True)
    ).group(1)
    current = re.search(
        r"<textarea[^>]*>(.*?)</textarea>", admin.get(page).get_data(as_text=True), re.S
    )
    import html as html_module

    definition = re.sub(
        r"effective_from: '?[0-9-]+'?",
        f"effective_from: {text}",
        html_module.unescape(current.group(1)),
    )
    before = table_counts()
    response = admin.post(
        page,
        data={"definition": definition, "note": "typo", "csrf_token": csrf_token(admin, page)},
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert table_counts() == before


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("reviewed_on: 2026-11-01", "reviewed_on: 2026-02-30"),
        ("reviewed_on: 2026-11-01", "reviewed_on: 0001-01-01"),
    ],
)
def test_course_files_with_impossible_dates_name_the_file_and_line(
    course_files: Path, old: str, new: str
) -> None:
    course = course_files / "sample-course" / "course.yml"
    text = course.read_text()
    assert old in text
    course.write_text(text.replace(old, new))
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(ContentError) as error:
        load_catalogue(course_files)
    assert f"course.yml:{line}:" in str(error.value)


def test_numbers_beyond_any_answer_are_not_numbers() -> None:
    assert parse_number("1e999999999") is None
    assert parse_number("-1e-999999999") is None
    assert parse_number("12.5") == parse_number("12,5")


def test_plain_decimal_field_refuses_before_decimal_sees_it() -> None:
    from wtforms import Form

    class F(Form):
        hours = PlainDecimalField()

    for text in ("Infinity", "sNaN", "1e5", "0x10", "1_000", "٣"):
        form = F(formdata=_Multi({"hours": text}))
        assert not form.validate() and form.hours.data is None, text
    form = F(formdata=_Multi({"hours": " 2.25 "}))
    assert form.validate() and str(form.hours.data) == "2.25"


class _Multi(dict):
    def getlist(self, key: str) -> list[str]:
        return [self[key]] if key in self else []


def test_dates_module_bounds() -> None:
    from eduapp.bounds import DATE_MAX, DATE_MIN, date_in_range

    assert date_in_range(DATE_MIN) and date_in_range(DATE_MAX)
    assert not date_in_range(date(1, 1, 1)) and not date_in_range(date(2101, 1, 1))


def test_the_500_page_draws_after_a_database_error(
    app: Flask, client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a failed statement aborts the transaction: the page's menu could not
    even load the signed-in user unless the handler rolls back first."""
    from sqlalchemy import text

    auth.signup()

    def broken_view() -> str:
        db.session.execute(text("SELECT * FROM no_such_table"))
        return "unreachable"

    monkeypatch.setitem(app.view_functions, "learn.my_learning", broken_view)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/my-learning")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page and "Sign out" in page  # the full page, signed in
