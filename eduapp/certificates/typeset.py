"""Fonts for the PDFs (certificates, CE transcripts): shaped text in any script, parsed once.

fpdf2 parses a font file every time a document adds it: about 0.1 s for Noto Sans, 0.3 s for
DejaVu and about a second for the CJK face. Each font is therefore parsed once per process
into a prototype, and its bytes are kept in memory; a document gets a copy that shares the
read-only tables (character map, widths) and has its own subset state and its own lazily
parsed font object to subset and embed (fpdf2 subsets that object in place).

This copies fpdf2's ``TTFFont`` by hand, so it is tied to the pinned fpdf2 version: the
tests draw every script and would fail if an upgrade changed those internals.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Iterable
from io import BytesIO

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from . import glyphs

log = logging.getLogger(__name__)
_lock = threading.Lock()
_prototypes: dict[str, TTFFont] = {}
_files: dict[str, bytes] = {}


def _prototype(file: str, style: str) -> TTFFont:
    with _lock:
        font = _prototypes.get(file)
        if font is None:
            scratch = FPDF()
            scratch.add_font("prototype", style, str(glyphs.FONTS / file))
            font = _prototypes[file] = next(iter(scratch.fonts.values()))  # type: ignore[assignment]
            font.ttfont.close()  # its tables are read; documents open their own copy
            _files[file] = (glyphs.FONTS / file).read_bytes()
        return font


def _add(pdf: FPDF, family: str, style: str, file: str) -> None:
    """``pdf.add_font(family, style, file)`` without parsing the file again."""
    font = copy.copy(_prototype(file, style))
    font.i = len(pdf.fonts) + 1
    font.fontkey = f"{family.lower()}{style}"
    # Embedding subsets the font in place, so each document reads the font for itself, from
    # memory and lazily (only the tables it embeds are parsed).
    font.ttfont = TTFont(BytesIO(_files[file]), recalcTimestamp=False, fontNumber=0, lazy=True)
    font._hbfont = None
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font
    if font.is_cff and font.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")


def prepare(pdf: FPDF, texts: Iterable[str]) -> None:
    """Give ``pdf`` the primary font, the fallbacks these texts need, and text shaping if
    any of them needs it (see :func:`shape_for` to switch it line by line).

    Pass every text the document will print (names, titles...): fallback fonts are added
    only when a text needs one. A character no bundled font draws is logged, and printed as
    � by :func:`shape_for` (the name forms refuse such names, see :mod:`.glyphs`).
    """
    texts = list(texts)
    missing = glyphs.undrawable("".join(texts))
    if missing:
        log.warning("no bundled font draws %s", ", ".join(map(glyphs.describe, missing)))
        texts.append(glyphs.REPLACEMENT)
    families = [glyphs.PRIMARY, *glyphs.families_needed(texts)]
    for family in families:
        for style, file in glyphs.FAMILIES[family].items():
            _add(pdf, family, style, file)
    pdf.set_fallback_fonts(families, exact_match=False)
    pdf.set_text_shaping(any(map(glyphs.needs_shaping, texts)))


def shape_for(pdf: FPDF, text: str) -> str:
    """Shape the next line only if it needs it (a long document of Latin lines stays fast),
    and return the text to draw: a character no font has becomes a visible �, never a gap.
    """
    pdf.set_text_shaping(glyphs.needs_shaping(text))
    return glyphs.printable(text)
