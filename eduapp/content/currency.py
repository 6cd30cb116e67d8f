"""Which time-bound facts are due for another look: ``flask courses check --stale``.

A board's rule or a law changes without telling us, so every such fact is written in a
``::: checked DATE [@source]`` block. Age is a report for authors, never a failed check: a
course does not break at midnight because a date passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .data import CourseData
from .markdown import CHECKED_INFO, CITATION_ID

MONTHS_FRESH = 12


@dataclass(frozen=True)
class CheckedFact:
    """One ``checked`` block: where it is written, when it was checked, against what."""

    course: str
    file: str
    line: int
    checked: date
    sources: tuple[str, ...]
    text: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: checked {self.checked} against "
            f"{', '.join(self.sources)}: {self.text}"
        )


def checked_facts(courses: list[CourseData]) -> list[CheckedFact]:
    """Every checked block of the courses' modules, in file order."""
    facts = []
    for course in courses:
        for module in course.modules:
            lines = Path(module.file).read_text(encoding="utf-8").splitlines()
            for index, line in enumerate(lines):
                match = CHECKED_INFO.match(line.strip().lstrip(":").strip())
                if not line.strip().startswith(":::") or not match:
                    continue
                facts.append(
                    CheckedFact(
                        course=course.meta.slug,
                        file=module.file,
                        line=index + 1,
                        checked=date.fromisoformat(match.group(1)),
                        sources=tuple(CITATION_ID.findall(match.group(2) or "")),
                        text=_first_words(lines[index + 1 :]),
                    )
                )
    return facts


def stale_before(as_of: date) -> date:
    """Facts checked before this day are more than twelve months old on ``as_of``."""
    try:
        return as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - 1, day=28)


def stale(courses: list[CourseData], as_of: date) -> list[CheckedFact]:
    """The facts checked more than twelve months before ``as_of``, oldest first."""
    limit = stale_before(as_of)
    return sorted(
        (f for f in checked_facts(courses) if f.checked < limit),
        key=lambda f: (f.checked, f.file, f.line),
    )


def _first_words(lines: list[str], words: int = 12) -> str:
    text = []
    for line in lines:
        if line.strip().startswith(":::"):
            break
        text.extend(line.replace("|", " ").split())
        if len(text) >= words:
            break
    return " ".join(text[:words]) + (" ..." if len(text) > words else "")
