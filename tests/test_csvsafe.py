"""CSV cells are text to a spreadsheet (OWASP CSV injection), whatever separator it uses."""

from __future__ import annotations

import csv
import io

import pytest

from eduapp.csvsafe import csv_text, safe_cell


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "+SUM(A1)",
        "-2+3",
        "@cmd",
        "\t=1",
        "\r=1",
        "\n=1",
        'Smith;=HYPERLINK("http://x")',  # a semicolon separator starts a new cell
        "Smith,=cmd|' /C calc'!A0",
        "Smith|@SUM(1)",
        "x\t-1+1",
        'say "=1+1"',
        "Lee; +1",
    ],
)
def test_formulas_anywhere_a_cell_could_start_are_neutralised(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-0.25", "12", "Smith, Ann", "O'Brien", "a-b", "x = y", ""])
def test_ordinary_text_and_numbers_are_left_alone(cell: str) -> None:
    assert safe_cell(cell) == cell


def test_every_cell_is_quoted_so_no_reader_splits_it() -> None:
    text = csv_text([["name", "hours"], ["Kim;=1+1", 3]])
    assert text == '"name","hours"\r\n"\'Kim;=1+1","3"\r\n'
    for delimiter in (",", ";"):
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_bom_only_when_asked_and_only_once() -> None:
    rows = [["name"], ["林美"], ["فاطمة"]]
    text = csv_text(rows, bom=True)
    assert text.startswith("\ufeff") and text.count("\ufeff") == 1
    assert list(csv.reader(io.StringIO(text.encode().decode("utf-8-sig")))) == rows
    assert not csv_text(rows).startswith("\ufeff")
