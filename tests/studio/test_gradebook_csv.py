"""The gradebook's downloads (what the viewer may see, safe in a spreadsheet, recorded when
they hold learners' rows) and its statement counts, which do not grow with learners. The
learners' rows are an export job (tests/studio/test_gradebook_export.py): asked for, built,
then downloaded from the request's page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.models import GradebookView
from tests.conftest import csrf_token
from tests.learn.test_course_pages import count_queries
from tests.studio.gradebookkit import (
    HALF,
    PAGE,
    RIGHT,
    WRONG,
    attempt,
    complete_with_certificate,
    enrolled,
    finish_module,
    share,
)
from tests.studio.test_owners import signed_in

SUMMARY = PAGE + "/summary.csv"
LEARNERS = PAGE + "/learners.csv"


def ask(client: FlaskClient, slug_page: str = PAGE) -> str:
    """Press the gradebook's "Prepare the learners' rows" button: the request's page. The
    token comes from another page, since showing the gradebook's rows is itself recorded."""
    token = csrf_token(client, "/my-learning")
    response = client.post(slug_page + "/learners.csv", data={"csrf_token": token})
    assert response.status_code == 302
    path = response.headers["Location"]
    assert re.fullmatch(r"/exports/\d+", path), path
    return path


def export_id(path: str) -> int:
    return int(path.rsplit("/", 1)[1])


def build(path: str) -> None:
    """The job, as a worker runs it (alone: other queued jobs wait)."""
    assert jobs().task("build_export").call_local(export_id(path)) == "ready"


def learners(client: FlaskClient) -> list[list[str]]:
    """Ask, build, download: the learners' CSV as its asker gets it."""
    path = ask(client)
    build(path)
    return table(client.get(path + "/download"))


def rows(client: FlaskClient, path: str) -> list[list[str]]:
    return table(client.get(path))


def table(response: TestResponse) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def views() -> list[GradebookView]:
    db.session.rollback()
    return list(db.session.execute(db.select(GradebookView).order_by(GradebookView.id)).scalars())


@pytest.fixture
def admin(app: Flask, make_user) -> FlaskClient:
    return signed_in(app, make_user, "ada@example.org", role="admin")


@pytest.fixture
def graded(imported: None) -> list:
    """Five learners graded 100, 100, 50, 0, 0 on the module quiz; one named like a formula."""
    people = enrolled(5)
    people[3].name = '=HYPERLINK("http://evil.example")'
    for person, responses in zip(people, (RIGHT, RIGHT, HALF, WRONG, WRONG), strict=True):
        attempt(person, responses)
    finish_module(people[0])
    complete_with_certificate(people[0])
    db.session.commit()
    return people


def test_the_summary_is_figures_only_and_not_recorded(
    instructor: FlaskClient, graded: list
) -> None:
    table = rows(instructor, SUMMARY)
    assert table[0] == ["part", "name", "measure", "value"]
    facts = {(part, name, measure): value for part, name, measure, value in table[1:]}
    assert facts[("course", "", "learners enrolled")] == "5"
    assert facts[("course", "", "certificates issued")] == "1"
    assert facts[("module", "First Steps", "learners finished")] == "1"
    assert facts[("quiz", "First steps quiz", "learners passed")] == "2"
    assert facts[("quiz", "First steps quiz", "mean grade %")] == "50.0"
    assert facts[("quiz", "First steps quiz", "learners graded 90-100%")] == "2"
    assert facts[("quiz", "Final assessment", "mean grade %")] == "withheld: fewer than 5 learners"
    assert not any("learner" in row[1] for row in table)  # no one's name
    assert views() == []


def test_an_owner_downloads_only_learners_who_share(instructor: FlaskClient, graded: list) -> None:
    table = learners(instructor)
    assert len(table) == 1 and "email" not in table[0]  # the header alone
    assert views() == []
    share(graded[2])
    table = learners(instructor)
    assert [row[0] for row in table[1:]] == ["learner 2"]
    header = table[0]
    row = dict(zip(header, table[1], strict=True))
    assert row["First steps quiz: grade %"] == "50.00"
    assert row["First steps quiz: passed"] == "no"
    assert row["First steps quiz: attempts"] == "1"
    assert row["Final assessment: attempts"] == "0"
    [view] = views()
    assert (view.kind, view.learners_shown, view.as_admin) == ("csv", 1, False)


def test_an_admin_downloads_everyone_safely(admin: FlaskClient, graded: list) -> None:
    table = learners(admin)
    header = table[0]
    assert header[:4] == ["name", "email", "version", "modules finished"]
    by_email = {row[1]: dict(zip(header, row, strict=True)) for row in table[1:]}
    assert len(by_email) == 5
    first = by_email["learner0@example.org"]
    assert first["modules finished"] == "1"
    assert first["certificate"].startswith("c")
    assert first["completed at (UTC)"].endswith("+00:00")
    # A name that a spreadsheet would run is written as text.
    assert by_email["learner3@example.org"]["name"] == '\'=HYPERLINK("http://evil.example")'
    [view] = views()
    assert (view.kind, view.learners_shown, view.as_admin) == ("csv", 5, True)


def test_statements_do_not_grow_with_learners(admin: FlaskClient, imported: None) -> None:
    """One learner, then thirty: the page, the summary, asking for the learners' rows and
    building them cost the same statements."""
    counts: list[list[int]] = []
    made = 0
    for total in (1, 30):
        people = enrolled(total - made, prefix=f"l{total}-", shared=True)
        for i, person in enumerate(people):
            attempt(person, RIGHT if i % 2 else HALF)
            attempt(person, WRONG, number=2)
            finish_module(person)
            if i % 3 == 0:
                complete_with_certificate(person)
        made = total
        db.session.commit()
        measured = []
        for path in (PAGE, SUMMARY):
            with count_queries() as statements:
                assert admin.get(path).status_code == 200
            measured.append(len(statements))
        token = csrf_token(admin, "/my-learning")
        with count_queries() as statements:
            asked = admin.post(LEARNERS, data={"csrf_token": token})
        measured.append(len(statements))
        with count_queries() as statements:
            build(asked.headers["Location"])
        measured.append(len(statements))
        counts.append(measured)
    assert counts[0] == counts[1], counts
    # The page: user, course, figures (counts, modules finished, quiz settings, attempts, quiz
    # and module titles), learners (count, rows, settings, attempts, modules, certificates),
    # the record (the view and its learners) and the trail, plus transaction statements.
    # Asking: user, course, the request. Building: the claim, the request, the asker and
    # whether they still manage the course, the course, the learners (rows, settings,
    # attempts, modules, certificates), the quiz columns, the record and the request marked
    # ready.
    assert all(n <= most for n, most in zip(counts[0], (22, 9, 6, 20), strict=True)), counts
