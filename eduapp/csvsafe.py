"""CSV that a spreadsheet opens as text, never as formulas (OWASP "CSV injection").

One writer for every export (clinic dashboards and completions, CE transcripts, item
analysis), so the rule is kept in one place:

- a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed is
  prefixed with a single quote;
- so is a cell that holds a separator or quote followed by one of those characters
  (``Smith;=HYPERLINK(...)``): a spreadsheet set to another separator would start a new cell
  there, with the formula at its beginning;
- every cell is quoted, so no reader splits a cell at a comma or semicolon inside it;
- a plain number (``-0.25``) is left as it is: it cannot run, and must stay a number.

Downloads start with a UTF-8 byte-order mark (:data:`BOM`): without it, spreadsheets (Excel
above all) read the file in the local code page and garble every name outside Latin-1.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
EMBEDDED_FORMULA = re.compile(r"""[,;|\t\r\n"']\s*[=+\-@]""")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
BOM = "\ufeff"


def safe_cell(value: object) -> str:
    """The cell as text no spreadsheet will run."""
    text = "" if value is None else str(value)
    if NUMBER.fullmatch(text):
        return text
    if text.startswith(FORMULA_START) or EMBEDDED_FORMULA.search(text):
        return "'" + text
    return text


def csv_lines(rows: Iterable[Iterable[object]], bom: bool = False) -> Iterator[str]:
    """Each row as one CSV line, safe cells, every cell quoted: for streamed downloads.

    With ``bom``, the first line starts with the UTF-8 byte-order mark, for spreadsheets.
    """
    if bom:
        yield BOM
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def csv_text(rows: Iterable[Iterable[object]], bom: bool = False) -> str:
    """The whole CSV as one string, for small exports (``bom``: see :func:`csv_lines`)."""
    return "".join(csv_lines(rows, bom))
