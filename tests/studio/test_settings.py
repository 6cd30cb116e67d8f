"""Course settings in the studio: saved into the author's draft whole or not at all, judged by
the course files' own rules (content.schema), with CE hours the text supports and references
a module still cites refused."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pydantic import ValidationError

from eduapp.content.schema import Approval, Reference
from eduapp.extensions import db
from eduapp.models import Course, CourseVersion, User
from eduapp.studio import drafts
from tests.conftest import AuthActions, csrf_token

SETTINGS = "/studio/courses/sample-course/draft/settings"
FURLAN = "Furlan AD, et al. Massage for low-back pain. Cochrane Database Syst Rev 2015."
MOYER = (
    "Moyer CA, Rounds J, Hannum JW. A meta-analysis of massage therapy research. Psychol Bull 2004."
)


def course() -> Course:
    return db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()


def draft_of(email: str = "ivy@example.org") -> CourseVersion | None:
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
    db.session.rollback()  # end the test's read: see what the requests committed
    return drafts.draft_of(course(), user)


def seen(client: FlaskClient, page: str = SETTINGS) -> str:
    """Which state of the settings the page shows (its hidden ``seen`` field)."""
    html = client.get(page).get_data(as_text=True)
    match = re.search(r'<input[^>]*name="seen"[^>]*value="([0-9a-f]*)"', html)
    assert match, "no seen field on the settings page"
    return match.group(1)


def form(client: FlaskClient, **changes: Any) -> dict[str, Any]:
    """The settings form as the page fills it for the sample course, with ``changes``."""
    data: dict[str, Any] = {
        "csrf_token": csrf_token(client, SETTINGS),
        "seen": seen(client),
        "title": "Sample Course for Tests",
        "summary": "A tiny course the test suite imports.",
        "objectives": "Pass the tests.",
        "authors": "Test Author",
        "reviewed_on": "2026-11-01",
        "ce_hours": "0",
        "ce_categories": ["general"],
        "passing_score": "80",
        "references-0-original": "furlan2015",
        "references-0-ref_id": "furlan2015",
        "references-0-citation": FURLAN,
        "references-0-link": "10.1002/14651858.CD001929.pub3",
        "references-0-label": "",
        "references-1-original": "moyer2004",
        "references-1-ref_id": "moyer2004",
        "references-1-citation": MOYER,
        "references-1-link": "",
        "references-1-label": "",
    }
    data.update(changes)
    return data


def save(client: FlaskClient, **changes: Any) -> Any:
    return client.post(SETTINGS, data=form(client, **changes))


def test_the_page_shows_the_published_settings_and_starts_no_draft(
    instructor: FlaskClient, table_counts
) -> None:
    before = table_counts()
    html = instructor.get(SETTINGS).get_data(as_text=True)
    assert "Settings of Sample Course for Tests" in html
    assert 'value="furlan2015"' in html and "Pass the tests." in html
    assert "support up to <strong>0</strong> CE hours" in html
    assert 'name="references-4-ref_id"' in html  # two references and three blank rows
    assert "Saving starts your own draft" in html
    assert table_counts() == before


def test_a_good_save_changes_the_draft_only_and_says_what_changed(
    instructor: FlaskClient,
) -> None:
    published = db.session.get_one(CourseVersion, course().current_version_id)
    response = save(
        instructor,
        title="Sample Course, revised",
        summary="A revised summary.",
        objectives="Pass the tests.\n\n  Explain the evidence.  \n",
        authors="Test Author, LMT\nSecond Author, PhD",
        reviewed_on="2026-11-20",
        passing_score="75",
        ce_categories=["general", "ethics"],
        **{
            "references-2-ref_id": "nccih2024",
            "references-2-citation": "NCCIH. Massage therapy: what you need to know. 2024.",
            "references-2-link": "https://doi.org/10.1000/example.1",
            "references-2-label": "NCCIH",
            "approvals-0-body": "NCBTMB",
            "approvals-0-number": "451234-26",
            "approvals-0-valid_from": "2026-01-01",
            "approvals-0-valid_to": "2027-12-31",
            "approvals-0-cebroker": " 20-654321 ",
        },
    )
    assert response.status_code == 302 and response.location.endswith(SETTINGS)
    draft = draft_of()
    assert draft is not None and draft.is_draft
    assert draft.title == "Sample Course, revised"
    assert draft.objectives == ["Pass the tests.", "Explain the evidence."]
    assert draft.authors == ["Test Author, LMT", "Second Author, PhD"]
    assert str(draft.reviewed_on) == "2026-11-20" and draft.passing_score == 75
    assert draft.ce_categories == ["general", "ethics"]
    assert draft.references[2] == {
        "id": "nccih2024",
        "citation": "NCCIH. Massage therapy: what you need to know. 2024.",
        "doi": "10.1000/example.1",  # a doi.org address is kept as the DOI
        "label": "NCCIH",
    }
    assert draft.approvals == [
        {
            "body": "NCBTMB",
            "number": "451234-26",
            "valid_from": "2026-01-01",
            "valid_to": "2027-12-31",
            "cebroker": "20-654321",
        }
    ]
    db.session.refresh(published)
    assert published.title == "Sample Course for Tests" and len(published.references) == 2
    assert course().title == "Sample Course for Tests"  # learners see the published one
    page = instructor.get(SETTINGS).get_data(as_text=True)
    assert "Saved in your draft: Title, Summary, Learning objectives, Authors" in page
    assert "You are editing your draft" in page and 'value="nccih2024"' in page
    assert 'value="20-654321"' in page  # the CE Broker number comes back to edit


def test_a_save_that_changes_nothing_writes_nothing(instructor: FlaskClient, table_counts) -> None:
    before = table_counts()
    blank_row = {"references-2-ref_id": " ", "references-2-citation": "", "approvals-0-body": ""}
    response = save(instructor, **blank_row)  # rows left empty are dropped
    assert response.status_code == 302
    assert table_counts() == before
    assert "Nothing changed" in instructor.get(SETTINGS).get_data(as_text=True)


def test_a_save_touches_the_draft(instructor: FlaskClient) -> None:
    from datetime import UTC, datetime

    assert save(instructor, title="First change").status_code == 302
    draft = draft_of()
    draft.updated_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    assert save(instructor, title="Second change").status_code == 302
    assert draft_of().updated_at > datetime(2020, 1, 1, tzinfo=UTC)


BAD = [
    ("title", "", "Title: this cannot be empty."),
    ("title", "x" * 201, "Title: at most 200 characters."),
    ("summary", "   ", "Summary: this cannot be empty."),
    ("objectives", "\n \n", "Learning objectives: write at least one learning objective"),
    ("authors", "", "Authors: name at least one author"),
    ("reviewed_on", "2026-02-30", "Evidence reviewed on: give a real date"),
    ("reviewed_on", "1800-01-01", "Evidence reviewed on: give a date between"),
    ("ce_hours", "lots", "CE hours: give a number of hours"),
    ("ce_hours", "NaN", "CE hours: give a number of hours"),
    ("ce_hours", "0.3", "CE hours: give hours in quarters"),
    ("ce_hours", "-1", "CE hours: must be at least 0"),
    ("ce_hours", "101", "CE hours: must be at most 100"),
    ("ce_hours", "", "CE hours: this cannot be empty."),
    ("passing_score", "0", "Passing score: must be at least 1"),
    ("passing_score", "101", "Passing score: must be at most 100"),
    ("passing_score", "eighty", "Passing score: give a whole number"),
    ("ce_categories", ["Not A Slug"], "CE categories: use lowercase letters"),
    ("references-0-citation", " ", "Reference 1, citation: this cannot be empty."),
    ("references-1-link", "ftp://example.org/x", "Reference 2, DOI or web address:"),
    ("references-1-link", "10.12/short", "Reference 2, DOI or web address:"),
    ("references-1-label", "L" * 61, "Reference 2, label: at most 60 characters."),
    ("references-2-citation", "A citation without an id.", "Reference 3, ID: this cannot be"),
    ("approvals-0-number", "1", "Approval 1, board: this cannot be empty."),
    (
        "approvals-0-cebroker",
        "CEB-1",
        "Approval 1, CE Broker course tracking number: give CE Broker's course tracking number",
    ),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD)
def test_each_wrong_field_is_named_and_nothing_is_written(
    instructor: FlaskClient, table_counts, name: str, value: Any, message: str
) -> None:
    before = table_counts()
    response = save(instructor, **{name: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was saved" in html
    assert message.replace("'", "&#39;") in html, html.split("form-errors")[1][:600]
    assert table_counts() == before
    assert draft_of() is None


def test_every_wrong_field_is_reported_at_once(instructor: FlaskClient) -> None:
    html = save(instructor, title="", passing_score="0", ce_hours="0.1").get_data(as_text=True)
    for message in ("Title:", "Passing score:", "CE hours:"):
        assert message in html
    assert "these 3 problems" in html
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"ref_id": "Furlan 2015", "citation": "X."}, "Reference 3, ID: use lowercase letters"),
        ({"ref_id": "x", "citation": "X.", "link": "doi 10.1/x"}, "Reference 3, DOI or web"),
        ({"ref_id": "x", "citation": "X.", "link": "www.example.org"}, "Reference 3, DOI or web"),
        ({"ref_id": "x", "citation": "X.", "label": "N" * 61}, "Reference 3, label: at most 60"),
        ({"ref_id": "furlan2015", "citation": "Again."}, "is listed twice"),
    ],
)
def test_a_reference_the_file_format_refuses_is_refused_by_the_same_rule(
    instructor: FlaskClient, table_counts, row: dict[str, str], message: str
) -> None:
    """The course file's model refuses the row (so a course.yml with it fails `courses check`),
    and the settings page refuses it too: one schema."""
    as_file = {"id": row["ref_id"], "citation": row["citation"]}
    link = row.get("link", "")
    if link:
        as_file["doi" if link.startswith(("10.", "doi")) else "url"] = link
    if "label" in row:
        as_file["label"] = row["label"]
    if row["ref_id"] != "furlan2015":
        with pytest.raises(ValidationError):
            Reference.model_validate(as_file)
    before = table_counts()
    html = save(instructor, **{f"references-2-{k}": v for k, v in row.items()}).get_data(
        as_text=True
    )
    assert message in html
    assert table_counts() == before


def test_an_approval_is_judged_by_the_file_formats_model(
    instructor: FlaskClient, table_counts
) -> None:
    row = {
        "body": "NCBTMB",
        "number": "1",
        "ce_hours": "0",
        "valid_from": "2027-01-01",
        "valid_to": "2026-01-01",
    }
    with pytest.raises(ValidationError):
        Approval.model_validate(row)
    before = table_counts()
    html = save(instructor, **{f"approvals-0-{k}": v for k, v in row.items()}).get_data(
        as_text=True
    )
    assert "Approval 1, CE hours: must be more than 0." in html
    row["ce_hours"] = "1"
    html = save(instructor, **{f"approvals-0-{k}": v for k, v in row.items()}).get_data(
        as_text=True
    )
    assert "Approval 1, valid to: valid to must not be before valid from." in html
    assert table_counts() == before


def test_a_removed_approval_row_goes(instructor: FlaskClient) -> None:
    approval = {
        "approvals-0-body": "NCBTMB",
        "approvals-0-number": "1",
        "approvals-0-valid_from": "2026-01-01",
        "approvals-0-valid_to": "2027-01-01",
    }
    assert save(instructor, **approval).status_code == 302
    assert len(draft_of().approvals) == 1
    assert save(instructor, **approval, **{"approvals-0-remove": "y"}).status_code == 302
    assert draft_of().approvals == []


def test_ce_hours_beyond_what_the_words_support_are_refused(
    instructor: FlaskClient, make_user, table_counts
) -> None:
    html = save(instructor, ce_hours="1").get_data(as_text=True)
    assert "CE hours: 1 is more than the modules" in html
    assert "words per CE hour" in html
    # Give the draft 30,000 words: 2.5 CE hours (rounded down to a quarter).
    ivy = db.session.execute(db.select(User).filter_by(email="ivy@example.org")).scalar_one()
    draft = drafts.open_draft(course(), ivy)
    drafts.modules_of(draft)[0].word_count = 30_000
    drafts.touch(draft)
    db.session.commit()
    before = table_counts()
    html = save(instructor, ce_hours="2.75").get_data(as_text=True)
    assert "CE hours: 2.75 is more than the modules" in html
    assert "words, which give 2.5 CE hours" in html
    assert table_counts() == before
    assert save(instructor, ce_hours="2.5").status_code == 302
    assert draft_of().ce_hours == Decimal("2.5")
    assert "support up to <strong>2.5</strong> CE hours" in instructor.get(SETTINGS).get_data(
        as_text=True
    )


def test_a_reference_a_module_still_cites_is_not_removed_or_renamed(
    instructor: FlaskClient, table_counts
) -> None:
    before = table_counts()
    html = save(instructor, **{"references-0-remove": "y"}).get_data(as_text=True)
    assert "“furlan2015” is still cited in module “First Steps”, lines 1, 3; quiz “" in html
    assert 'id="references-0-ref_id-error"' in html  # beside the row, too
    html = save(instructor, **{"references-1-ref_id": "moyer2005"}).get_data(as_text=True)
    assert "“moyer2004” is still cited in module “First Steps”, line 9; quiz “" in html
    assert ", question " in html
    assert table_counts() == before
    assert draft_of() is None


def test_a_reference_no_module_cites_can_be_renamed_and_removed(instructor: FlaskClient) -> None:
    new = {"references-2-ref_id": "extra2020", "references-2-citation": "Extra. 2020."}
    assert save(instructor, **new).status_code == 302
    renamed = {
        "references-2-original": "extra2020",
        "references-2-ref_id": "extra2021",
        "references-2-citation": "Extra. 2021.",
    }
    assert save(instructor, **renamed).status_code == 302
    assert [r["id"] for r in draft_of().references] == ["furlan2015", "moyer2004", "extra2021"]
    removed = {**renamed, "references-2-original": "extra2021", "references-2-remove": "y"}
    assert save(instructor, **removed).status_code == 302
    assert [r["id"] for r in draft_of().references] == ["furlan2015", "moyer2004"]


def test_more_rows_adds_three_blank_rows_and_saves_nothing(
    instructor: FlaskClient, table_counts
) -> None:
    before = table_counts()
    response = save(instructor, title="Not saved", more_references="More reference rows")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="references-4-ref_id"' in html and 'value="Not saved"' in html
    assert 'name="references-5-ref_id"' not in html  # the post had rows 0-1, plus three
    assert table_counts() == before
    html = save(instructor, more_approvals="More approval rows").get_data(as_text=True)
    assert 'name="approvals-2-body"' in html


def test_the_settings_routes_refuse_learners_other_instructors_and_missing_csrf(
    instructor: FlaskClient, app: Flask, make_user, table_counts
) -> None:
    data = form(instructor, title="Tampered")
    make_user("lea@example.org", "Lea")
    make_user("olly@example.org", "Olly", role="instructor")
    before = table_counts()
    for email, status in (("lea@example.org", 403), ("olly@example.org", 404)):
        other = app.test_client()
        AuthActions(other).login(email)
        assert other.get(SETTINGS).status_code == status
        token = csrf_token(other, "/")
        assert other.post(SETTINGS, data={**data, "csrf_token": token}).status_code == status
    no_token = {k: v for k, v in data.items() if k != "csrf_token"}
    assert instructor.post(SETTINGS, data=no_token).status_code == 400
    assert table_counts() == before


PAYLOADS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_is_shown_escaped_on_studio_pages(
    instructor: FlaskClient, payload: str
) -> None:
    response = save(
        instructor,
        title=f"Title {payload}",
        summary=f"Summary {payload}",
        objectives=f"Objective {payload}",
        authors=f"Author {payload}",
        **{"references-0-citation": f"Citation {payload}", "references-0-label": "L<b>x</b>"},
    )
    assert response.status_code == 302
    html = instructor.get(SETTINGS).get_data(as_text=True)
    assert payload not in html and "<b>x</b>" not in html
    assert "Title &lt;" in html or "Title &#34;&gt;" in html
    for page in ("/studio", "/studio/courses/sample-course"):
        assert payload not in instructor.get(page).get_data(as_text=True)
    # A refused save shows the typed text again, escaped too.
    html = save(instructor, title=payload, passing_score="0").get_data(as_text=True)
    assert payload not in html
