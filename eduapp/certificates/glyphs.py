"""Which characters the bundled fonts can draw: one answer for the name forms and the PDFs.

Pure (no app, no database). A font's character map (cmap) says which characters it has a
glyph for; a character none of the bundled fonts has would print as an empty box, so the name
forms refuse it and the PDF code picks, for each text, just the fallback fonts it needs.

The families are tried in order: Noto Sans (Latin with Vietnamese, Greek, Cyrillic), then the
Noto faces for Arabic, Hebrew, Devanagari and Thai, one Noto Sans CJK face (Chinese, Japanese
kana, Korean Hangul), and DejaVu Sans last (symbols; the only font before these).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont

FONTS = Path(__file__).parent / "fonts"
PRIMARY = "NotoSans"
# family -> {style: file}; fpdf2 styles: "" regular, "B" bold.
FAMILIES: dict[str, dict[str, str]] = {
    PRIMARY: {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"},
    "NotoSansArabic": {"": "NotoSansArabic-Regular.ttf", "B": "NotoSansArabic-Bold.ttf"},
    "NotoSansHebrew": {"": "NotoSansHebrew-Regular.ttf", "B": "NotoSansHebrew-Bold.ttf"},
    "NotoSansDevanagari": {
        "": "NotoSansDevanagari-Regular.ttf",
        "B": "NotoSansDevanagari-Bold.ttf",
    },
    "NotoSansThai": {"": "NotoSansThai-Regular.ttf", "B": "NotoSansThai-Bold.ttf"},
    # One CJK face (Simplified Chinese shapes), bold only: it also draws regular text.
    "NotoSansCJK": {"B": "NotoSansCJKsc-Bold.otf"},
    "DejaVuSans": {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"},
}
# Every certificate issued before the Noto fonts was drawn with these alone, unshaped.
OLD_FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


@cache
def codepoints(file: str) -> frozenset[int]:
    """The characters one bundled font file has a glyph for (read once per process)."""
    font = TTFont(FONTS / file, lazy=True, fontNumber=0)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def _invisible(char: str) -> bool:
    """Spaces and format characters (joiners, direction marks) need no glyph of their own."""
    return char.isspace() or unicodedata.category(char) == "Cf"


def family_for(char: str) -> str | None:
    """The first family that draws this character in some style, or None if none can."""
    for family, files in FAMILIES.items():
        if any(ord(char) in codepoints(file) for file in files.values()):
            return family
    return None


def undrawable(text: str) -> list[str]:
    """The distinct characters of ``text`` that no bundled font can draw, in order.

    The name forms refuse a name with any; the PDF code logs them. Empty means it prints.
    """
    missing: list[str] = []
    for char in dict.fromkeys(text):
        if not _invisible(char) and family_for(char) is None:
            missing.append(char)
    return missing


REPLACEMENT = "\ufffd"  # �, which DejaVu Sans draws


def printable(text: str) -> str:
    """``text`` with each character no font draws replaced by �, so that it shows.

    fpdf2 leaves such a character out without a trace; the name forms refuse them, but a
    name saved earlier, or a course title, may still hold one.
    """
    missing = set(undrawable(text))
    return "".join(REPLACEMENT if char in missing else char for char in text) if missing else text


def families_needed(texts: Iterable[str]) -> list[str]:
    """The fallback families these texts need besides the primary one, in fallback order.

    So a PDF loads (and embeds) only the fonts it uses: a Latin name never parses the 19 MB
    CJK face.
    """
    needed = set()
    primary = codepoints(FAMILIES[PRIMARY]["B"]) & codepoints(FAMILIES[PRIMARY][""])
    for char in set("".join(texts)):
        if ord(char) in primary or _invisible(char):
            continue
        family = family_for(char)
        if family is not None:
            needed.add(family)
    return [family for family in FAMILIES if family in needed and family != PRIMARY]


def describe(char: str) -> str:
    """A character as a person can find it: "林" (U+6797 CJK UNIFIED IDEOGRAPH-6797)."""
    name = unicodedata.name(char, "unnamed character")
    return f"“{char}” (U+{ord(char):04X} {name})"


# Certificate facts printed in bold; everything else printed is regular.
_BOLD_FACTS = ("participant", "course_title")


def printed_texts(facts: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every text a certificate prints from its facts, with its style ("" or "B")."""
    texts: list[tuple[str, str]] = []

    def walk(value: Any, style: str) -> None:
        if isinstance(value, str):
            texts.append((value, style))
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item, style)
        elif isinstance(value, list):
            for item in value:
                walk(item, style)

    for key, value in facts.items():
        walk(value, "B" if key in _BOLD_FACTS else "")
    for signature in facts.get("signatures") or []:
        texts.append((signature.get("name", ""), "B"))
    return texts


def _right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL", "AN")


def needs_shaping(text: str) -> bool:
    """Whether ``text`` prints wrongly without HarfBuzz: right to left (Arabic, Hebrew), or
    with combining marks (Devanagari, Thai vowels, decomposed Vietnamese accents).

    Shaping costs time in fpdf2's line breaking (it re-shapes as a line grows), so the PDFs
    shape only the texts that need it; Latin, Greek, Cyrillic and CJK print right unshaped.
    """
    return any(_right_to_left(c) or unicodedata.category(c).startswith("M") for c in text)


def old_font_faults(facts: Mapping[str, Any]) -> list[str]:
    """The characters a certificate drawn with the old fonts (DejaVu alone) misprinted.

    A character the old face of its style had no glyph for came out as an empty box or not at
    all; a right-to-left letter came out unjoined and reversed, since nothing shaped the text.
    """
    faults: dict[str, None] = {}
    for text, style in printed_texts(facts):
        old = codepoints(OLD_FONTS[style])
        for char in text:
            if _invisible(char):
                continue
            if ord(char) not in old or _right_to_left(char):
                faults[char] = None
    return list(faults)
