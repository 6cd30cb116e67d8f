"""Every name prints: certificates and transcripts in any script the bundled fonts cover, a
long name that never reaches the signatures, names the fonts cannot draw refused, and
certificates the old font misprinted reissued."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.certificates import glyphs, pdf
from eduapp.extensions import db
from eduapp.models import Certificate, Course, User
from eduapp.templating import bdi
from tests.conftest import AuthActions, csrf_token

SCREENSHOTS = Path("test-artifacts/screenshots")
# The font that must draw each script's name (bold, as printed).
FONT_OF = {
    "arabic": "notosansarabicB",
    "hebrew": "notosanshebrewB",
    "devanagari": "notosansdevanagariB",
    "thai": "notosansthaiB",
    "chinese": "notosanscjkB",
    "japanese": "notosanscjkB",
    "korean": "notosanscjkB",
    "mixed": "notosansarabicB",
}
SCRIPTS = {
    "latin": "Łucja Ångström-Øberg",
    "vietnamese": "Nguyễn Thị Minh Khai",
    "greek": "Ελένη Παπαδοπούλου",
    "cyrillic": "Анна Каренина",
    "arabic": "فاطمة الزهراء",
    "hebrew": "יעל כהן",
    "devanagari": "अनन्या शर्मा",
    "thai": "สมชาย ใจดี",
    "chinese": "林美",
    "japanese": "山田 花子",
    "korean": "김민지",
    "mixed": "Maria فاطمة Cohen יעל",
}
ETHIOPIC = "አበበ ቢቂላ"  # no bundled font has Ethiopic
FACTS: dict[str, Any] = {
    "certificate_id": "Zx9K2m4QpR7sT1vW3yA5bC",
    "participant": "",
    "licence": {"number": "MA12345", "state": "FL"},
    "course_slug": "sample-course",
    "course_title": "Massage in Pain Management and Rehabilitation",
    "course_version": "1.2",
    "course_type_label": "Home study",
    "completed_on": "2026-11-23",
    "issued_on": "2026-11-24",
    "ce_hours": "0.5",
    "ce_categories": ["general"],
    "approvals": [{"body": "NCBTMB", "number": "451234-26", "title": "Pain", "ce_hours": "1"}],
    "provider": {"name": "Harbour School", "contact": "12 Quay St, Portland, ME"},
    "signatures": [
        {"name": "Dana Reyes, LMT", "title": "Education Director"},
        {"name": "Sam Okafor", "title": "Provider Representative"},
    ],
    "verify_url": "https://ce.example.org/verify/Zx9K2m4QpR7sT1vW3yA5bC",
    "sample": False,
}


def glyphs_used(facts: dict[str, Any]) -> dict[str, set[int]]:
    """The glyphs each font of the certificate draws (what the PDF embeds), by font; also
    checks that fpdf2 met no character its font lacks (it would leave it out)."""
    document, _ = pdf._draw(facts, 1.0)
    used = {}
    for font in document.fonts.values():
        assert font.missing_glyphs == [], font.fontkey
        used[font.fontkey] = {
            glyph.glyph_id for glyph, _ in font.subset.items() if glyph and any(glyph.unicode)
        }
    return used


def page_text(data: bytes, png: str | None = None) -> str:
    document = pdfium.PdfDocument(data)
    try:
        text = document[0].get_textpage().get_text_range()
        if png:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            document[0].render(scale=1.5).to_pil().save(SCREENSHOTS / png)
    finally:
        document.close()
    return "".join(c for c in text if c.isprintable() or c.isspace())


def test_the_fonts_draw_every_script_and_say_which_character_they_cannot() -> None:
    for name in SCRIPTS.values():
        assert glyphs.undrawable(name) == []
    assert glyphs.undrawable(f"Ann {ETHIOPIC}") == ["አ", "በ", "ቢ", "ቂ", "ላ"]
    assert glyphs.describe("አ") == "“አ” (U+12A0 ETHIOPIC SYLLABLE GLOTTAL A)"
    assert glyphs.undrawable("Ann\u200dB\u200f C") == []  # joiners and marks need no glyph
    assert glyphs.families_needed(["Nguyễn Thị", "Ελένη", "Анна"]) == []  # Noto Sans alone
    assert glyphs.families_needed(["林美", "فاطمة"]) == ["NotoSansArabic", "NotoSansCJK"]
    assert glyphs.needs_shaping("فاطمة") and glyphs.needs_shaping("अनन्या")
    assert not glyphs.needs_shaping("Nguyễn Thị 林美 Анна")


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_certificate_prints_the_name_in_any_script(script: str) -> None:
    name = SCRIPTS[script]
    facts = {**FACTS, "participant": name}
    used = glyphs_used(facts)
    font = FONT_OF.get(script, "notosansB")
    assert 0 not in used[font] and len(used[font]) >= 2  # real glyphs, never .notdef
    text = page_text(pdf.render(facts), f"certificate-{script}.png")
    for word in name.split():  # every character came through (RTL words in visual order)
        assert word in text
    assert glyphs.REPLACEMENT not in text


def test_a_character_no_font_has_shows_as_a_replacement_never_a_gap(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = page_text(pdf.render({**FACTS, "participant": f"Ann {ETHIOPIC} Lee"}))
    assert "Ann ��� ��� Lee" in text.replace("\ufffd", "�")
    assert "U+12A0 ETHIOPIC SYLLABLE GLOTTAL A" in caplog.text


@pytest.mark.parametrize(
    "name",
    [
        ("Nguyễn Thị Minh Khai Łucja Παπαδοπούλου Анна Каренина " * 3)[:120],
        "林美" * 60,
        ("Wolfeschlegelsteinhausenbergerdorff" * 4)[:120],
    ],
    ids=["words", "cjk", "one-word"],
)
def test_a_long_name_shrinks_or_wraps_above_the_signatures(name: str) -> None:
    assert len(name) == 120
    data = pdf.render({**FACTS, "participant": name})
    document = pdfium.PdfDocument(data)
    try:
        page = document[0]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        signature = text.index("Dana Reyes")
        body_bottom = min(
            textpage.get_charbox(i)[1] for i in range(signature) if not text[i].isspace()
        )
        signature_top = max(textpage.get_charbox(i)[3] for i in range(signature, signature + 10))
        page.render(scale=1.5).to_pil().save(SCREENSHOTS / f"certificate-long-{len(name)}.png")
    finally:
        document.close()
    line = 58 / 25.4 * 72  # the signature lines, in points from the bottom of the page
    assert body_bottom > line > signature_top
    assert "".join(name.split()) in "".join(text.split())  # every character, in order


def test_the_transcript_prints_any_name_and_wraps_a_long_one(
    client: FlaskClient, auth: AuthActions
) -> None:
    name = "林美 " + "Nguyễn Thị Minh Khai فاطمة الزهراء " * 3
    auth.signup(name=name.strip())
    data = client.get("/my-ce/transcript.pdf").data
    assert b"NotoSansCJK" in data and b"NotoSansArabic" in data
    text = page_text(data, "transcript-long-name.png")
    for word in name.split():
        assert word in text


def test_a_name_the_fonts_cannot_draw_is_refused_everywhere_it_is_set(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user, runner
) -> None:
    response = auth.signup(name=f"Abebe {ETHIOPIC}", confirm=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "U+12A0 ETHIOPIC SYLLABLE GLOTTAL A" in page and "cannot print" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0

    make_user(name="林美")  # every script the fonts cover is welcome
    auth.login()
    data = {"name": "Abebe አ", "timezone": "UTC", "csrf_token": csrf_token(client, "/account")}
    page = client.post("/account", data=data).get_data(as_text=True)
    assert "U+12A0 ETHIOPIC SYLLABLE GLOTTAL A" in page
    db.session.rollback()  # a fresh snapshot: see what the command committed
    assert db.session.execute(db.select(User.name)).scalar_one() == "林美"

    result = runner.invoke(
        args=["users", "create", "ab@example.org", "--name", "አበበ"],
        env={"EDUAPP_NEW_PASSWORD": "a long pass phrase"},
    )
    assert result.exit_code != 0 and "U+12A0" in result.output


def test_names_in_pages_are_isolated_with_bdi(
    app: Flask, imported: None, make_user, client: FlaskClient, auth: AuthActions
) -> None:
    assert str(bdi("<b>Ann</b>")) == "<bdi>&lt;b&gt;Ann&lt;/b&gt;</bdi>"  # still escaped
    course = db.session.execute(db.select(Course).limit(1)).scalar_one()
    fatima = make_user("fatima@example.org", "فاطمة الزهراء")
    facts = {**FACTS, "participant": fatima.name}
    db.session.add(
        Certificate(
            code="Fat0000000000000000002",
            user_id=fatima.id,
            course_id=course.id,
            facts=facts,
            pdf=b"%PDF",
            sha256="0" * 64,
        )
    )
    db.session.commit()
    page = client.get("/verify/Fat0000000000000000002").get_data(as_text=True)
    assert "<dd><bdi>فاطمة الزهراء</bdi></dd>" in page
    make_user("ada@example.org", "Ada", role="admin")
    auth.login("ada@example.org")
    admin = client.get("/admin/certificates").get_data(as_text=True)
    assert "<td><bdi>فاطمة الزهراء</bdi></td>" in admin
