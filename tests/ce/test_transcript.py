"""The CE transcript: CSV (UTF-8 with a BOM, formulas neutralised) and PDF, by cycle."""

from __future__ import annotations

import csv
import io

import pypdfium2 as pdfium
import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.ce.packs import import_packs
from eduapp.ce.rulefile import load_packs
from eduapp.extensions import db
from eduapp.models import RulePack
from tests.ce.test_my_ce import RULES, add_licence, record
from tests.conftest import AuthActions


@pytest.fixture
def packs(app: Flask, imported: None) -> dict[str, RulePack]:
    import_packs(load_packs(RULES))
    db.session.commit()
    return {p.slug: p for p in db.session.execute(db.select(RulePack)).scalars()}


@pytest.mark.clock("2026-11-24 12:00:00")
def test_the_transcript_groups_by_cycle_and_neutralises_formulas(
    client: FlaskClient, auth: AuthActions, packs: dict[str, RulePack]
) -> None:
    auth.signup(name="Nguyễn Thị Łucja")
    add_licence(client, packs["ncbtmb"], "BC-1", "2027-05-31")
    record(client, title='=HYPERLINK("http://x")')
    record(client, title="Old course", completed_on="2024-03-01")  # the previous cycle
    record(client, title="Elsewhere", approved_by="Other or none")  # counted by no licence
    data = client.get("/my-ce/transcript.csv").data
    assert data.startswith("\ufeff".encode())  # UTF-8 BOM: spreadsheets read any name
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["licence", "licence number", "cycle start", "cycle end"]
    titles = {row[5]: row for row in rows[1:]}
    assert titles['\'=HYPERLINK("http://x")'][2:4] == ["2025-06-01", "2027-05-31"]
    assert titles["Old course"][2:4] == ["2023-06-01", "2025-05-31"]
    assert titles["Elsewhere"][0] == "(counted by no licence)"
    pdf = client.get("/my-ce/transcript.pdf")
    document = pdfium.PdfDocument(pdf.data)
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert "CE transcript: Nguyễn Thị Łucja" in text
    assert "Cycle 2025-06-01 to 2027-05-31" in text
