"""The learner's CE transcript: every credit, grouped by renewal cycle for each licence.

CSV for spreadsheets (UTF-8 with a byte-order mark, so that a spreadsheet reads names in any
script; cells that could run as formulas are neutralised) and a PDF drawn with the
certificates' fonts, shaped, in any script. CE that no licence counts is listed once more at
the end.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..certificates import typeset
from ..certificates.glyphs import PRIMARY as FONT
from ..certificates.pdf import ce_label
from ..csvsafe import csv_text
from ..models import User
from ..templating import ce
from . import services

COLUMNS = (
    "licence",
    "licence number",
    "cycle start",
    "cycle end",
    "completed on",
    "title",
    "source",
    "hours",
    "hours counted",
    "categories",
    "delivery",
    "approved by",
)


def rows(user: User) -> Iterator[list[str]]:
    counted_anywhere = set()
    for licence, pack, cycles in services.transcript(user):
        for cycle in cycles:
            for credit, hours in cycle.rows:
                counted_anywhere.add(credit)
                yield [
                    pack.name,
                    licence.number,
                    cycle.start.isoformat(),
                    cycle.end.isoformat(),
                    credit.completed_on.isoformat(),
                    credit.title,
                    credit.source,
                    ce(credit.hours),
                    ce(hours),
                    ", ".join(sorted(credit.topics)),
                    credit.delivery,
                    ", ".join(sorted(credit.bodies)),
                ]
    _, _, credits = services.credits_for(user)
    for credit in credits:
        if credit not in counted_anywhere:
            yield [
                "(counted by no licence)",
                "",
                "",
                "",
                credit.completed_on.isoformat(),
                credit.title,
                credit.source,
                ce(credit.hours),
                "0",
                ", ".join(sorted(credit.topics)),
                credit.delivery,
                ", ".join(sorted(credit.bodies)),
            ]


def as_csv(user: User) -> str:
    """The transcript as CSV text, starting with a byte-order mark (see :mod:`..csvsafe`)."""
    return csv_text([COLUMNS, *rows(user)], bom=True)


def as_pdf(user: User) -> bytes:
    """The transcript as a PDF; the name wraps rather than running off the page."""
    from fpdf import FPDF

    lines = list(rows(user))
    pdf = FPDF(orientation="portrait", unit="mm", format="letter")
    typeset.prepare(pdf, [user.name, *(cell for row in lines for cell in row)])

    def line(text: str, height: float, size: float, style: str = "") -> None:
        pdf.set_font(FONT, style, size)
        pdf.multi_cell(
            0, height, typeset.shape_for(pdf, text), align="L", new_x="LMARGIN", new_y="NEXT"
        )

    pdf.set_title("CE transcript")
    pdf.add_page()
    line(f"CE transcript: {user.name}", 8, 16, "B")
    line(f"As of {services.today_for(user).isoformat()}", 6, 9)
    current = None
    for row in lines:
        heading = f"{row[0]} {row[1]}".strip()
        cycle = f"Cycle {row[2]} to {row[3]}" if row[2] else "Not counted by any licence"
        if (heading, cycle) != current:
            current = (heading, cycle)
            pdf.ln(3)
            line(f"{heading}: {cycle}", 6, 11, "B")
        line(
            f"{row[4]}  {row[5]} ({row[6]}), {ce_label(row[7])}"
            + (f", {ce_label(row[8])} counted" if row[2] else "")
            + f". {row[9]}; {row[10]}; approved by {row[11] or 'none recorded'}",
            5,
            9,
        )
    if current is None:
        pdf.ln(3)
        line("No CE recorded yet.", 6, 9)
    return bytes(pdf.output())
