"""The roster file alone: CE Broker's full-credit Excel columns A-H, text kept as text."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from eduapp.cebroker.roster import (
    RosterError,
    RosterLine,
    roster_rows,
    roster_xlsx,
    tracking_number,
)


def roster_row(licence: str, completed: date) -> list[object]:
    """One line as CE Broker reads it, for provider 50-4242, course 20-777001, profession LMT:
    columns A-H, C and D (hours for partial credit) empty."""
    day = datetime(completed.year, completed.month, completed.day)
    return ["4242", "777001", None, None, licence, day, "State=FL", "Profession=LMT"]


def read(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_columns_are_cebrokers_full_credit_layout() -> None:
    rows = roster_rows(
        "50-4242",
        "LMT",
        [
            RosterLine("MA1001", date(2026, 11, 1), "20-777001"),
            RosterLine("MA1002", date(2026, 10, 20), "777001"),
        ],
    )
    assert read(roster_xlsx(rows)) == [
        roster_row("MA1001", date(2026, 11, 1)),
        roster_row("MA1002", date(2026, 10, 20)),
    ]
    sheet = load_workbook(io.BytesIO(roster_xlsx(rows))).active
    assert sheet["F1"].number_format == "m/d/yyyy"  # an Excel date, as CE Broker asks


def test_no_profession_code_leaves_column_h_empty_and_no_lines_make_an_empty_sheet() -> None:
    rows = roster_rows("4242", " ", [RosterLine("MA1", date(2026, 1, 2), "9")])
    assert read(roster_xlsx(rows))[0][6:] in (["State=FL"], ["State=FL", None])
    assert read(roster_xlsx(roster_rows("4242", "", []))) in ([], [[None]])


def test_a_licence_number_that_looks_like_a_formula_stays_text() -> None:
    data = roster_xlsx(
        roster_rows("4242", "", [RosterLine("=HYPERLINK(1)", date(2026, 1, 2), "9")])
    )
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "=HYPERLINK(1)" in sheet
    assert read(data)[0][4] == "=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("value", "prefix"),
    [("", "50-"), ("50-", "50-"), ("20-12", "50-"), ("12a", "20-"), ("1" * 13, "20-")],
)
def test_a_tracking_number_that_is_not_one_is_refused(value: str, prefix: str) -> None:
    with pytest.raises(RosterError):
        tracking_number(value, prefix)
