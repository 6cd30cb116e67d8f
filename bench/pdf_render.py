"""Time to draw one certificate and one CE transcript PDF, cold (first in the process) and warm.

Not a test: figures depend on the machine. Run: ``.venv/bin/python bench/pdf_render.py``.
The transcript is drawn from fixed rows (no database), so only the PDF work is timed.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

sys.path.insert(0, os.environ.get("EDUAPP_SRC") or str(Path(__file__).resolve().parent.parent))

from eduapp.ce import transcript
from eduapp.certificates.pdf import render

NAMES = ("Nguyễn Thị Minh Khai", "林美", "فاطمة الزهراء", "अनन्या शर्मा", "김민지")
FACTS = {
    "certificate_id": "Zx9K2m4QpR7sT1vW3yA5bC",
    "licence": {"number": "MA12345", "state": "FL"},
    "course_title": "Massage in Pain Management and Rehabilitation",
    "course_version": "1.2",
    "course_type_label": "Home study",
    "completed_on": "2026-11-23",
    "issued_on": "2026-11-24",
    "ce_hours": "0.5",
    "ce_categories": ["general"],
    "approvals": [{"body": "NCBTMB", "number": "451234-26", "title": "Pain", "ce_hours": "1"}],
    "provider": {"name": "Harbour School", "contact": "12 Quay St, Portland, ME"},
    "signatures": [{"name": "Dana Reyes, LMT", "title": "Education Director"}],
    "verify_url": "https://ce.example.org/verify/Zx9K2m4QpR7sT1vW3yA5bC",
    "sample": False,
}
ROW = [
    "NCBTMB", "BC-1", "2025-06-01", "2027-05-31", "2026-10-02", "Ethics", "eduapp", "2", "2",
    "ethics", "home-study", "NCBTMB",
]  # fmt: skip


def timed(draw, name: str, runs: int = 3) -> tuple[float, float]:
    """Milliseconds for the first drawing with this name, then the median of ``runs`` more."""
    start = time.perf_counter()
    draw(name)
    first = time.perf_counter() - start
    again = []
    for _ in range(runs):
        start = time.perf_counter()
        draw(name)
        again.append(time.perf_counter() - start)
    return first * 1000, statistics.median(again) * 1000


def certificate(name: str) -> bytes:
    return render({**FACTS, "participant": name})


def transcript_pdf(name: str) -> bytes:
    with (
        mock.patch.object(transcript, "rows", side_effect=lambda user: iter([ROW] * 20)),
        mock.patch.object(transcript.services, "today_for", return_value=date(2026, 11, 24)),
    ):
        return transcript.as_pdf(SimpleNamespace(name=name))


if __name__ == "__main__":
    for label, draw in (("certificate", certificate), ("transcript", transcript_pdf)):
        for name in NAMES:
            first, again = timed(draw, name)
            print(f"{label:12} {name:24} first {first:5.0f} ms, then {again:5.0f} ms")
