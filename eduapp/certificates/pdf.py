"""The certificate PDF, drawn once at issue from the certificate's facts. Pure: no app, no DB.

fpdf2 with the bundled Noto fonts, shaped by HarfBuzz so that names in any script print
(right to left and joined for Arabic and Hebrew; see :mod:`.typeset` and :mod:`.glyphs`), and a
QR code from segno drawn as vector squares; nothing is fetched from the network.

A long name (or course title) is drawn smaller, then wrapped, so the text never runs into the
signatures: the page is laid out again at a smaller scale until it fits above them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import segno
from fpdf import FPDF

from . import glyphs, typeset

FONT = glyphs.PRIMARY
INK = (33, 37, 41)
MUTED = (90, 98, 106)
ACCENT = (31, 94, 122)


def long_date(iso: str) -> str:
    """2026-11-23 -> November 23, 2026, as printed on the certificate."""
    day = date.fromisoformat(iso)
    return f"{day:%B} {day.day}, {day.year}"


def ce_label(hours: str) -> str:
    """NCBTMB writes hours as CEs: "1 CE", "0.5 CEs", "2.25 CEs"."""
    return f"{hours} CE" if hours == "1" else f"{hours} CEs"


# Scales tried for the name and the course title, largest first, until the text fits.
SCALES = (1.0, 0.85, 0.7, 0.6, 0.5)
SIGNATURE_GAP = 4.0  # mm kept free above the signature lines


class _Certificate(FPDF):
    def __init__(self, facts: Mapping[str, Any]) -> None:
        super().__init__(orientation="landscape", unit="mm", format="letter")
        typeset.prepare(self, (text for text, _ in glyphs.printed_texts(facts)))
        self.set_auto_page_break(False)
        self.set_margins(22, 18, 22)

    def line_of(self, text: str, size: float, style: str = "", color: tuple = INK) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        text = typeset.shape_for(self, text)
        self.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")


def render(facts: Mapping[str, Any]) -> bytes:
    """The PDF bytes for one certificate's facts (see ``issue.certificate_facts``)."""
    for scale in SCALES:
        pdf, bottom = _draw(facts, scale)
        if bottom <= _text_limit(pdf, facts):
            break
    return bytes(pdf.output())


def _text_limit(pdf: FPDF, facts: Mapping[str, Any]) -> float:
    """How far down the body may run: above the signature lines, or the certificate ID."""
    return pdf.h - (58 if facts.get("signatures") else 36) - SIGNATURE_GAP


def _draw(facts: Mapping[str, Any], scale: float) -> tuple[_Certificate, float]:
    """The certificate with the name and title at ``scale``, and where its body ends."""
    pdf = _Certificate(facts)
    pdf.set_title(f"Certificate of Achievement: {facts['course_title']}")
    pdf.set_author(facts["provider"]["name"])
    pdf.set_creator("eduapp")
    pdf.add_page()
    width, height = pdf.w, pdf.h
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, width - 16, height - 16)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, width - 22, height - 22)

    if facts.get("sample"):
        pdf.set_y(13)
        pdf.line_of(
            "SAMPLE: issued by a development installation. Not valid for CE credit.",
            10,
            "B",
            (176, 0, 32),
        )
    pdf.set_y(22)
    pdf.line_of("Certificate of Achievement", 30, "B", ACCENT)
    pdf.ln(1)
    pdf.line_of(f"{facts['course_type_label']} continuing education", 12, "", MUTED)
    pdf.ln(5)
    pdf.line_of("This certifies that", 12, "", MUTED)
    pdf.ln(2)
    pdf.line_of(facts["participant"], 24 * scale, "B")
    licence = facts.get("licence")
    if licence:
        pdf.line_of(f"Licence {licence['number']} ({licence['state']})", 11, "", MUTED)
    pdf.ln(3)
    pdf.line_of("has successfully completed", 12, "", MUTED)
    pdf.ln(1)
    pdf.line_of(facts["course_title"], 17 * max(scale, 0.7), "B")
    pdf.line_of(f"Course version {facts['course_version']}", 10, "", MUTED)
    pdf.ln(3)
    pdf.line_of(
        f"on {long_date(facts['completed_on'])}, earning {ce_label(facts['ce_hours'])}", 13, "B"
    )
    categories = ", ".join(facts.get("ce_categories") or [])
    if categories:
        pdf.line_of(f"Category: {categories}", 10, "", MUTED)
    pdf.ln(3)
    for approval in facts["approvals"]:
        number = approval["number"]
        pdf.line_of(
            f"Approved by {approval['body']}: approval no. {number}, "
            f'"{approval["title"]}", {ce_label(approval["ce_hours"])}',
            10,
        )
    if not facts["approvals"]:
        pdf.line_of("No board approval is recorded for this course.", 10, "", MUTED)
    provider = facts["provider"]
    pdf.line_of(f"Provider: {provider['name']}, {provider['contact']}", 10)
    bottom = pdf.get_y()

    _signatures(pdf, facts.get("signatures") or [])
    _verification(pdf, facts)
    return pdf, bottom


def _signatures(pdf: _Certificate, signatures: list[Mapping[str, str]]) -> None:
    if not signatures:
        return
    top = pdf.h - 58
    slot = (pdf.w - 120) / len(signatures)
    for index, signature in enumerate(signatures):
        left = 22 + index * slot
        pdf.set_draw_color(*INK)
        pdf.line(left, top, left + min(slot - 10, 75), top)
        pdf.set_xy(left, top + 1.5)
        pdf.set_font(FONT, "B", 10)
        pdf.set_text_color(*INK)
        pdf.cell(75, 5, typeset.shape_for(pdf, signature["name"]), new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(75, 4.5, typeset.shape_for(pdf, signature["title"]))


def _verification(pdf: _Certificate, facts: Mapping[str, Any]) -> None:
    size = 30.0
    left, top = pdf.w - 22 - size, pdf.h - 22 - size
    qr = segno.make(facts["verify_url"], error="m")
    rows = list(qr.matrix)
    cell = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                pdf.rect(left + x * cell, top + y * cell, cell, cell, style="F")
    pdf.set_xy(22, pdf.h - 36)
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.set_text_shaping(False)  # the code and the address are ASCII
    pdf.multi_cell(
        pdf.w - 44 - size - 6,
        4.5,
        f"Certificate ID {facts['certificate_id']}, issued {long_date(facts['issued_on'])}.\n"
        f"Verify at {facts['verify_url']}",
        align="R",
    )
