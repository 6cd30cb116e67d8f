"""The learner's CE transcript: every credit, grouped by renewal cycle for each licence.

CSV for spreadsheets (cells that could run as formulas are neutralised) and a PDF drawn with
the certificates' font. CE that no licence counts is listed once more at the end.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..certificates.pdf import FONTS, ce_label
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
    return csv_text([COLUMNS, *rows(user)])


def as_pdf(user: User) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="letter")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title("CE transcript")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, f"CE transcript: {user.name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(0, 6, f"As of {services.today_for(user).isoformat()}", new_x="LMARGIN", new_y="NEXT")
    current = None
    for row in rows(user):
        heading = f"{row[0]} {row[1]}".strip()
        cycle = f"Cycle {row[2]} to {row[3]}" if row[2] else "Not counted by any licence"
        if (heading, cycle) != current:
            current = (heading, cycle)
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 11)
            pdf.multi_cell(0, 6, f"{heading}: {cycle}", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(
            0,
            5,
            f"{row[4]}  {row[5]} ({row[6]}), {ce_label(row[7])}"
            + (f", {ce_label(row[8])} counted" if row[2] else "")
            + f". {row[9]}; {row[10]}; approved by {row[11] or 'none recorded'}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if current is None:
        pdf.ln(3)
        pdf.multi_cell(0, 6, "No CE recorded yet.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
