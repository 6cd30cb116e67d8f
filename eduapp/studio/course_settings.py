"""A draft's settings (title to approvals), checked by the course-file rules and saved whole.

The rules are the course format's own pydantic models (``content.schema``): the page builds
what a ``course.yml`` would hold and validates it, so a reference or approval the files would
refuse is refused here with the same rule. Two rules the files check over a whole course are
checked here too: CE hours the module text supports (``content.data.ce_hours_for``) and
references that a module or quiz question still cites. All or nothing: with any error
nothing is changed. No request, no current_user, no commit.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from ..content.data import WORDS_PER_CE_HOUR, ce_hours_for
from ..content.markdown import CITATION_ID
from ..content.schema import CourseFile
from ..extensions import db
from ..models import CourseVersion, Question, Quiz
from . import drafts
from .settings_errors import LABELS, FieldError, message_for
from .settings_input import ApprovalRow, ReferenceRow, SettingsInput

__all__ = ["LABELS", "ApprovalRow", "ReferenceRow", "SettingsInput", "SettingsRefused", "save"]
TITLE_MAX = 200  # the column's size; the file format sets none
DOI_LINK = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(10\..+)$", re.IGNORECASE)


# A stored reference's keys, by the form field that edits each.
_REFERENCE_FIELDS = {
    "id": "ref_id",
    "citation": "citation",
    "doi": "link",
    "url": "link",
    "label": "label",
}


class SettingsRefused(Exception):
    """Every problem with the submitted settings, each located by its form field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def state_of(version: CourseVersion) -> str:
    """The settings as they are now, hashed: the page carries it, and a save made from a page
    opened before another save of the settings (another tab or device) is refused instead of
    silently putting back the values that page showed."""
    values = {name: getattr(version, name) for name in LABELS}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def supported_ce_hours(version: CourseVersion) -> Decimal:
    """The CE hours the version's module text supports, by the rule ``courses check`` uses."""
    return ce_hours_for(sum(m.word_count for m in drafts.modules_of(version)))


def save(draft: CourseVersion, given: SettingsInput) -> list[str]:
    """Check the settings by the course-file rules and, when all pass, put them in the draft.

    Returns the names of the settings that changed (empty: nothing did, nothing touched).
    Raises ``SettingsRefused`` with every problem found, having changed nothing.
    """
    if not draft.is_draft:
        raise ValueError("only a draft's settings change")
    kept_refs = [(i, r) for i, r in enumerate(given.references) if not r.remove and not r.blank()]
    kept_approvals = [
        (i, a) for i, a in enumerate(given.approvals) if not a.remove and not a.blank()
    ]
    errors: list[FieldError] = []
    if len(given.title.strip()) > TITLE_MAX:
        errors.append(FieldError(("title",), f"Title: at most {TITLE_MAX} characters."))
    meta: CourseFile | None = None
    try:
        meta = CourseFile.model_validate(
            _file_data(draft, given, [r for _, r in kept_refs], [a for _, a in kept_approvals])
        )
    except ValidationError as error:
        for item in error.errors():
            errors.append(_located(item, kept_refs, kept_approvals))
    if meta is not None:
        errors += _ce_hours_errors(draft, meta.ce_hours)
    new_ids = (
        {r.id for r in meta.references}
        if meta is not None
        else {r.ref_id.strip() for _, r in kept_refs}
    )
    errors += _still_cited(draft, new_ids, given.references)
    if errors or meta is None:
        raise SettingsRefused(errors)
    return _apply(draft, meta)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _reference(row: ReferenceRow) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.ref_id.strip(), "citation": row.citation}
    link = row.link.strip()
    doi = DOI_LINK.match(link)
    if doi:
        data["doi"] = doi.group(1)
    elif link.startswith("10."):
        data["doi"] = link
    elif link:
        data["url"] = link
    if row.label.strip():
        data["label"] = row.label
    return data


def _approval(row: ApprovalRow) -> dict[str, Any]:
    data: dict[str, Any] = {"body": row.body, "number": row.number}
    if row.title.strip():
        data["title"] = row.title
    if row.ce_hours.strip():
        data["ce_hours"] = row.ce_hours.strip()
    for name in ("valid_from", "valid_to", "cebroker"):
        if getattr(row, name).strip():
            data[name] = getattr(row, name).strip()
    return data


def _file_data(
    draft: CourseVersion,
    given: SettingsInput,
    references: list[ReferenceRow],
    approvals: list[ApprovalRow],
) -> dict[str, Any]:
    """What ``course.yml`` would hold with these settings: the one schema judges it."""
    return {
        "slug": "course",  # the course's identity, not a setting: any valid slug will do
        "title": given.title,
        "summary": given.summary,
        "version": draft.label,
        "ce_hours": given.ce_hours.strip(),
        "ce_type": draft.ce_type,
        "ce_categories": list(dict.fromkeys(given.ce_categories)),
        "passing_score": given.passing_score.strip(),
        "objectives": _lines(given.objectives),
        "authors": _lines(given.authors),
        "reviewed_on": given.reviewed_on.strip() or None,
        "references": [_reference(r) for r in references],
        "approvals": [_approval(a) for a in approvals],
    }


def _located(
    item: Any,
    kept_refs: list[tuple[int, ReferenceRow]],
    kept_approvals: list[tuple[int, ApprovalRow]],
) -> FieldError:
    """A pydantic error, placed at the form field it is about and said in plain words."""
    loc = [p for p in item["loc"] if isinstance(p, (str, int))]
    if loc and loc[0] == "references" and len(loc) >= 2 and isinstance(loc[1], int):
        row, _ = kept_refs[loc[1]]
        name = _REFERENCE_FIELDS.get(str(loc[2]) if len(loc) > 2 else "id", "ref_id")
        where = ("references", row, name)
    elif loc and loc[0] == "approvals" and len(loc) >= 2 and isinstance(loc[1], int):
        row, _ = kept_approvals[loc[1]]
        where = ("approvals", row, str(loc[2]) if len(loc) > 2 else "valid_to")
    elif not loc:  # a rule over the whole file: today, a reference id listed twice
        where = ("references",)
    else:
        where = (str(loc[0]),)
    return FieldError(where, message_for(where, item))


def _ce_hours_errors(draft: CourseVersion, hours: Decimal) -> list[FieldError]:
    words = sum(m.word_count for m in drafts.modules_of(draft))
    supported = ce_hours_for(words)
    if hours <= supported:
        return []
    return [
        FieldError(
            ("ce_hours",),
            f"CE hours: {hours} is more than the modules' text supports. The draft has "
            f"{words:,} words, which give {supported} CE hours ({WORDS_PER_CE_HOUR:,} words "
            "per CE hour, rounded down to a quarter hour). Lower the hours or write more.",
        )
    ]


def _still_cited(
    draft: CourseVersion, new_ids: set[str], rows: list[ReferenceRow]
) -> list[FieldError]:
    """A reference removed or renamed while the draft still cites it: a module's text (by
    line, as the editor numbers them) or a quiz question's sources."""
    gone = {r["id"] for r in draft.references} - new_ids
    if not gone:
        return []
    lines: dict[str, dict[str, list[int]]] = {}
    for module in drafts.modules_of(draft):
        for number, line in enumerate((module.source or "").splitlines(), start=1):
            for ref_id in gone & set(CITATION_ID.findall(line)):
                lines.setdefault(ref_id, {}).setdefault(module.title, []).append(number)
    places: dict[str, list[str]] = {
        ref_id: [
            f"module “{title}”, line{'s' if len(numbers) > 1 else ''} "
            + ", ".join(str(n) for n in numbers)
            for title, numbers in modules.items()
        ]
        for ref_id, modules in lines.items()
    }
    questions = db.session.execute(
        db.select(Quiz.title, Question.key, Question.references)
        .join(Quiz, Quiz.id == Question.quiz_id)
        .where(Quiz.version_id == draft.id, Quiz.retired.is_(False), Question.retired.is_(False))
        .order_by(Quiz.id, Question.position)
    ).all()
    for quiz_title, key, cited in questions:
        for ref_id in sorted(gone & set(cited or [])):
            places.setdefault(ref_id, []).append(f"quiz “{quiz_title}”, question {key}")
    errors = []
    for ref_id in sorted(places):
        row = next((i for i, r in enumerate(rows) if r.original == ref_id), None)
        loc = ("references", row, "ref_id") if row is not None else ("references",)
        where = "; ".join(places[ref_id])
        errors.append(
            FieldError(
                loc,
                f"References: “{ref_id}” is still cited in {where}. Change or remove those "
                "citations first, or keep this reference and its ID.",
            )
        )
    return errors


def _apply(draft: CourseVersion, meta: CourseFile) -> list[str]:
    values: dict[str, Any] = {
        "title": meta.title,
        "summary": meta.summary,
        "objectives": list(meta.objectives),
        "authors": list(meta.authors),
        "reviewed_on": meta.reviewed_on,
        "ce_hours": meta.ce_hours,
        "ce_categories": list(meta.ce_categories),
        "passing_score": meta.passing_score,
        "references": [r.model_dump(mode="json", exclude_none=True) for r in meta.references],
        "approvals": [a.model_dump(mode="json", exclude_none=True) for a in meta.approvals],
    }
    changed = [
        LABELS[name] for name, value in values.items() if _differs(getattr(draft, name), value)
    ]
    if changed:
        for name, value in values.items():
            setattr(draft, name, value)
        drafts.touch(draft)
    return changed


def _differs(old: Any, new: Any) -> bool:
    if isinstance(new, Decimal):
        return old is None or Decimal(old) != new
    return old != new
