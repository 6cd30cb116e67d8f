"""A course as files in the browser: the canonical export as a ZIP download, and a course ZIP
uploaded into the uploader's draft (``coursezip`` holds the rules; views commit)."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from ..content.export import ExportError
from ..extensions import db
from ..models import CourseVersion
from ..security import allow_upload
from . import coursezip
from .access import managed_course_or_404
from .forms import CourseZipForm
from .views import bp

allow_upload("studio.upload_course", coursezip.MAX_UPLOAD + 64 * 1024)


@bp.get("/courses/<slug:slug>/export.zip")
@login_required
def download_course(slug: str) -> Response:
    """The newest published version as a course folder in a ZIP, as `flask courses export`."""
    course = managed_course_or_404(slug, current_user)
    if course.current_version_id is None:
        abort(404, "This course has no published version to download yet.")
    version = db.session.get_one(CourseVersion, course.current_version_id)
    try:
        data = coursezip.download(course, version)
    except ExportError as error:
        abort(409, str(error))
    name = f"{course.slug}-{version.label}.zip".replace('"', "")
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload_course() -> str | BaseResponse:
    """An instructor brings a course folder as a ZIP: it becomes their draft of that course
    (or a new course they own), to check and publish as any draft."""
    if not current_user.is_instructor:
        abort(403)
    form = CourseZipForm()
    if form.validate_on_submit():
        try:
            done = coursezip.upload(
                form.archive.data.stream, current_user, Path(current_app.config["COURSES_DIR"])
            )
        except coursezip.ZipRefused as refused:
            db.session.rollback()
            form.archive.errors = [*form.archive.errors, str(refused)]
        else:
            db.session.commit()
            current_app.logger.info(
                "course %d: ZIP uploaded into a draft by user %d", done.course.id, current_user.id
            )
            flash(
                (
                    f"“{done.course.title}” is created from the ZIP, as your draft. "
                    if done.created
                    else f"Your draft of “{done.course.title}” now holds the ZIP's content. "
                )
                + "Check it, then publish it.",
                "success",
            )
            return redirect(url_for("studio.publish", slug=done.course.slug))
    elif request.method == "POST" and not form.errors:
        abort(400)
    return render("studio/upload.html", form=form)
