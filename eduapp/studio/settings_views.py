"""The studio's course settings page and the page that creates a course.

Settings are edited in the author's draft: GET shows the draft's settings (or, before the
author has a draft, the published version's, without starting one: GET changes nothing);
a save opens the draft if needed and writes every field or none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..ce.forms import TOPICS, choices
from ..extensions import db
from ..models import Course, CourseVersion, User
from . import course_settings, drafts, newcourse
from .access import managed_course_or_404
from .course_settings import ApprovalRow, ReferenceRow, SettingsInput
from .settings_forms import BLANK_ROWS, NewCourseForm, SettingsForm
from .views import bp


@bp.route("/courses/new", methods=["GET", "POST"])
@login_required
def new_course() -> str | Response:
    """An instructor starts a course: it is theirs, a draft nobody else sees until published."""
    if not current_user.is_instructor:
        abort(403)
    form = NewCourseForm()
    if form.validate_on_submit():
        try:
            course = newcourse.create_course(
                title=form.title.data or "",
                slug=form.slug.data or "",
                summary=form.summary.data or "",
                creator=current_user,
                catalogue=Path(current_app.config["COURSES_DIR"]),
            )
        except newcourse.CourseRefused as refused:
            db.session.rollback()
            getattr(form, refused.field).errors.append(str(refused))
        else:
            db.session.commit()
            flash(
                f"“{course.title}” is created, with a first module, “Introduction”. "
                "Learners will see it once you publish it.",
                "success",
            )
            return redirect(url_for("studio.course", slug=course.slug))
    return render("studio/new_course.html", form=form)


@bp.get("/courses/<slug:slug>/draft/settings")
@login_required
def settings(slug: str) -> str | Response:
    course = managed_course_or_404(slug, current_user)
    version = _shown(course, current_user)
    if version is None:
        return _nothing_to_start_from(course)
    form = SettingsForm(data=_form_data(version))
    _add_rows(form)
    return _page(course, version, form)


@bp.post("/courses/<slug:slug>/draft/settings")
@login_required
def save_settings(slug: str) -> str | Response:
    """Save the settings into the author's draft; any wrong field refuses the whole save."""
    course = managed_course_or_404(slug, current_user)
    form = SettingsForm()
    if not form.validate_on_submit():
        abort(400)  # only a tampered form fails here: the fields themselves take any text
    if _shown(course, current_user) is None:
        return _nothing_to_start_from(course)
    if form.more_references.data or form.more_approvals.data:  # adding rows saves nothing
        _add_rows(form, references=bool(form.more_references.data))
        return _page(course, _shown(course, current_user), form)
    shown = _shown(course, current_user)
    assert shown is not None  # checked above
    if form.seen.data != course_settings.state_of(shown):
        form.seen.data = course_settings.state_of(shown)
        newer = course_settings.SettingsRefused(
            [
                course_settings.FieldError(
                    ("settings",),
                    "The settings were saved somewhere else (another tab or device) after you "
                    "opened this page. Your values are below: compare them with the saved "
                    "settings, then save again to keep yours.",
                )
            ]
        )
        return _page(course, shown, form, newer)
    draft = drafts.open_draft(course, current_user)
    try:
        changed = course_settings.save(draft, _input(form))
    except course_settings.SettingsRefused as refused:
        db.session.rollback()
        tables = _place(form, refused.errors)
        return _page(course, _shown(course, current_user), form, refused, tables)
    if not changed:
        db.session.rollback()
        flash("Nothing changed: the settings are as they were.", "info")
        return redirect(url_for("studio.settings", slug=course.slug))
    db.session.commit()
    flash(f"Saved in your draft: {', '.join(changed)}.", "success")
    return redirect(url_for("studio.settings", slug=course.slug))


def _shown(course: Course, user: User) -> CourseVersion | None:
    """The author's draft, or the published version a draft would start from."""
    draft = drafts.draft_of(course, user)
    if draft is not None:
        return draft
    if course.current_version_id is None:
        return None
    return db.session.get_one(CourseVersion, course.current_version_id)


def _nothing_to_start_from(course: Course) -> Response:
    flash(
        "This course has no published version yet, so there is nothing to start your own "
        "draft from. The person who created it edits it until it is first published.",
        "error",
    )
    return redirect(url_for("studio.course", slug=course.slug))


def _form_data(version: CourseVersion) -> dict[str, Any]:
    return {
        "seen": course_settings.state_of(version),
        "title": version.title,
        "summary": version.summary,
        "objectives": "\n".join(version.objectives or []),
        "authors": "\n".join(version.authors or []),
        "reviewed_on": version.reviewed_on.isoformat() if version.reviewed_on else "",
        "ce_hours": f"{version.ce_hours.normalize():f}" if version.ce_hours else "0",
        "ce_categories": list(version.ce_categories or []),
        "passing_score": str(version.passing_score),
        "references": [
            {
                "original": r["id"],
                "ref_id": r["id"],
                "citation": r.get("citation", ""),
                "link": r.get("doi") or r.get("url") or "",
                "label": r.get("label") or "",
            }
            for r in version.references or []
        ],
        "approvals": [
            {
                "body": a.get("body", ""),
                "number": a.get("number", ""),
                "title": a.get("title") or "",
                "ce_hours": str(a.get("ce_hours") or ""),
                "valid_from": a.get("valid_from", ""),
                "valid_to": a.get("valid_to", ""),
                "cebroker": a.get("cebroker") or "",
            }
            for a in version.approvals or []
        ],
    }


def _add_rows(form: SettingsForm, references: bool | None = None) -> None:
    """Blank rows to type new references and approvals into, three at a time."""
    for rows, wanted in ((form.references, True), (form.approvals, False)):
        if references is None or references == wanted:
            for _ in range(BLANK_ROWS):
                if rows.max_entries is None or len(rows.entries) < rows.max_entries:
                    rows.append_entry()


def _input(form: SettingsForm) -> SettingsInput:
    def text(value: Any) -> str:
        return value if isinstance(value, str) else ""

    return SettingsInput(
        title=text(form.title.data),
        summary=text(form.summary.data),
        objectives=text(form.objectives.data),
        authors=text(form.authors.data),
        reviewed_on=text(form.reviewed_on.data),
        ce_hours=text(form.ce_hours.data),
        ce_categories=[c for c in form.ce_categories.data or [] if isinstance(c, str)],
        passing_score=text(form.passing_score.data),
        references=[
            ReferenceRow(
                ref_id=text(row.ref_id.data),
                citation=text(row.citation.data),
                link=text(row.link.data),
                label=text(row.label.data),
                original=text(row.original.data),
                remove=bool(row.remove.data),
            )
            for row in (entry.form for entry in form.references.entries)
        ],
        approvals=[
            ApprovalRow(
                **{
                    name: text(getattr(row, name).data)
                    for name in (
                        "body",
                        "number",
                        "title",
                        "ce_hours",
                        "valid_from",
                        "valid_to",
                        "cebroker",
                    )
                },
                remove=bool(row.remove.data),
            )
            for row in (entry.form for entry in form.approvals.entries)
        ],
    )


def _place(form: SettingsForm, errors: list[course_settings.FieldError]) -> dict[str, list[str]]:
    """Put each refusal beside its field (a row's field for table rows); refusals about a
    whole table (a reference id listed twice) are returned by table, for its heading."""
    tables: dict[str, list[str]] = {}
    for error in errors:
        name, *rest = error.loc
        if name in ("references", "approvals") and (not rest or rest[0] is None):
            tables.setdefault(name, []).append(error.message)
            continue
        target: Any = getattr(form, name)
        if rest:
            target = target.entries[rest[0]].form[rest[1]]
        target.errors = [*target.errors, error.message]
    return tables


def _page(
    course: Course,
    version: CourseVersion | None,
    form: SettingsForm,
    refused: course_settings.SettingsRefused | None = None,
    tables: dict[str, list[str]] | None = None,
) -> str:
    known = {value for value, _ in TOPICS}
    extra = [(c, c) for c in (version.ce_categories if version else []) if c not in known]
    form.ce_categories.choices = choices([*TOPICS, *extra])
    return render(
        "studio/settings.html",
        course=course,
        version=version,
        form=form,
        refused=refused,
        tables=tables or {},
        is_draft=version is not None and version.is_draft,
        supported=course_settings.supported_ce_hours(version) if version else None,
        words=sum(m.word_count for m in drafts.modules_of(version)) if version else 0,
        words_per_hour=course_settings.WORDS_PER_CE_HOUR,
    )
