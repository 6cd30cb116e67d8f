"""The roster file CE Broker's "full credit" Excel upload takes (docs/cebroker.md): columns
A-H, no header row, one completion a row. Pure: no app, no database."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

PROVIDER_PREFIX, COURSE_PREFIX = "50-", "20-"
TRACKING = re.compile(r"\d{1,12}")
DATE_FORMAT = "m/d/yyyy"  # CE Broker's example: 12/3/2008


class RosterError(ValueError):
    """A tracking number the roster cannot carry."""


def tracking_number(value: str, prefix: str) -> str:
    """The number CE Broker's columns want: the digits after its ``50-`` or ``20-``."""
    number = value.strip().removeprefix(prefix)
    if not TRACKING.fullmatch(number):
        raise RosterError(f"{value.strip() or '(empty)'} is not a {prefix}number")
    return number


@dataclass(frozen=True)
class RosterLine:
    licence_number: str
    completed_on: date
    course_tracking: str


def roster_rows(
    provider: str, profession: str, lines: Iterable[RosterLine]
) -> list[list[str | date]]:
    """Columns A-H of each line: provider, course, own course id (unused), publishing number
    (unused), licence number, completion date, state, profession."""
    provider_number = tracking_number(provider, PROVIDER_PREFIX)
    profession_cell = f"Profession={profession.strip()}" if profession.strip() else ""
    return [
        [
            provider_number,
            tracking_number(line.course_tracking, COURSE_PREFIX),
            "",
            "",
            line.licence_number,
            line.completed_on,
            "State=FL",
            profession_cell,
        ]
        for line in lines
    ]


def roster_xlsx(rows: list[list[str | date]]) -> bytes:
    """The rows as a workbook. Text cells are typed as text, so a licence number that starts
    with ``=`` stays text instead of becoming a formula (openpyxl reads ``=...`` as one)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Roster")
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value if value != "" else None)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif value:
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
