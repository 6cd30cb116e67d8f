"""My CE: licences and their compliance, CE recorded from elsewhere, and the transcript."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..clinics import services as clinic_services
from ..extensions import db
from ..models import ExternalCredit, Licence, RulePack
from ..security import allow_upload
from ..templating import ce
from . import services, transcript, uploads
from .compliance import fixed_renewal_on_or_after, is_renewal_day, version_for
from .forms import OTHER_BODY, ExternalCreditForm, LicenceForm, choices
from .packs import current_versions

bp = Blueprint("ce", __name__)
# The certificate file and the form's other fields.
allow_upload("ce.add_external", uploads.MAX_BYTES + 64 * 1024)


@bp.get("/my-ce")
@login_required
def my_ce() -> str:
    statuses, certificates, external = services.my_ce(current_user)
    return render_template(
        "ce/my_ce.html",
        memberships=clinic_services.memberships(current_user),
        managed=clinic_services.managed_clinics(current_user),
        removals=clinic_services.removals(current_user),
        edits=clinic_services.licence_edits(current_user),
        statuses=statuses,
        certificates=certificates,
        external=external,
        today=services.today_for(current_user),
        form=FlaskForm(),
    )


def _packs() -> list[RulePack]:
    return list(db.session.execute(db.select(RulePack).order_by(RulePack.name)).scalars())


def _own_licence(licence_id: int) -> Licence:
    licence = db.session.get(Licence, licence_id)
    if licence is None or licence.user_id != current_user.id:
        abort(404)
    return licence


def _licence_form(licence: Licence | None) -> str | Response:
    packs = {str(p.id): p for p in _packs()}
    form = LicenceForm(obj=licence, data={"pack": str(licence.pack_id)} if licence else None)
    form.pack.choices = choices([(key, pack.name) for key, pack in packs.items()])
    if form.validate_on_submit():
        pack = packs[form.pack.data]
        today = services.today_for(current_user)
        cycle = version_for(current_versions([pack.id])[pack.id], today).cycle
        renewal = form.renewal_date.data
        if renewal is None and cycle.anchor == "fixed":
            renewal = fixed_renewal_on_or_after(cycle, today)
        if renewal is None:
            form.renewal_date.errors.append("Give the date this licence next renews.")
        elif not is_renewal_day(cycle, renewal):
            expected = fixed_renewal_on_or_after(cycle, renewal)
            form.renewal_date.errors.append(
                f"{pack.name} licences renew on fixed dates; the next after this one is "
                f"{expected:%-d %B %Y}."
            )
        else:
            if licence is None:
                licence = Licence(user_id=current_user.id)
                db.session.add(licence)
            licence.pack_id = pack.id
            licence.state = pack.jurisdiction
            licence.number = form.number.data.strip()
            licence.renewal_date = renewal
            licence.updated_at = datetime.now(UTC)
            db.session.commit()
            flash("The licence is saved.", "success")
            return redirect(url_for("ce.my_ce"))
    return render_template("ce/licence_form.html", form=form, licence=licence)


@bp.route("/my-ce/licences/new", methods=["GET", "POST"])
@login_required
def add_licence() -> str | Response:
    return _licence_form(None)


@bp.route("/my-ce/licences/<int:licence_id>/edit", methods=["GET", "POST"])
@login_required
def edit_licence(licence_id: int) -> str | Response:
    return _licence_form(_own_licence(licence_id))


@bp.post("/my-ce/licences/<int:licence_id>/delete")
@login_required
def delete_licence(licence_id: int) -> str | Response:
    licence = _own_licence(licence_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not confirm.confirmed():
        return confirm.ask(
            title=f"Remove licence {licence.number}?",
            consequence="Its renewal date and CE tracking are deleted and cannot be brought "
            "back; your certificates and CE records are kept.",
            button="Remove the licence",
            cancel_url=url_for("ce.my_ce"),
        )
    db.session.delete(licence)
    db.session.commit()
    flash("The licence is removed; your certificates and records are kept.", "success")
    return redirect(url_for("ce.my_ce"))


def _bodies() -> list[str]:
    names = sorted({body for pack in _packs() for body in pack.approving_bodies})
    return [*names, OTHER_BODY]


@bp.route("/my-ce/external/new", methods=["GET", "POST"])
@login_required
def add_external() -> str | Response:
    try:
        return _add_external()
    finally:
        for upload in request.files.values():  # large uploads are spooled to a temporary file
            upload.close()


def _add_external() -> str | Response:
    form = ExternalCreditForm()
    form.approved_by.choices = choices([(b, b) for b in _bodies()])
    if form.validate_on_submit():
        if form.completed_on.data > services.today_for(current_user):
            form.completed_on.errors.append("The date cannot be in the future.")
        else:
            try:
                key, mimetype, size = uploads.store(form.file.data.stream)
            except uploads.UploadError as error:
                form.file.errors.append(str(error))
            else:
                db.session.add(
                    ExternalCredit(
                        user_id=current_user.id,
                        title=form.title.data.strip(),
                        provider=form.provider.data.strip(),
                        completed_on=form.completed_on.data,
                        hours=form.hours.data,
                        topic=form.topic.data,
                        delivery=form.delivery.data,
                        approved_by=[b for b in form.approved_by.data if b != OTHER_BODY],
                        file_name=(form.file.data.filename or "certificate")[:200],
                        file_key=key,
                        file_type=mimetype,
                        file_size=size,
                        note=(form.note.data or "").strip(),
                    )
                )
                db.session.commit()
                flash("The CE is recorded.", "success")
                return redirect(url_for("ce.my_ce"))
    return render_template("ce/external_form.html", form=form)


def _own_external(credit_id: int) -> ExternalCredit:
    row = db.session.get(ExternalCredit, credit_id)
    if row is None or (row.user_id != current_user.id and not current_user.is_admin):
        abort(404)
    return row


@bp.get("/my-ce/external/<int:credit_id>/file")
@login_required
def external_file(credit_id: int) -> Response:
    row = _own_external(credit_id)
    if not row.file_key:
        abort(404)
    try:
        path = uploads.path_of(row.file_key)
    except FileNotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    suffix = {"application/pdf": ".pdf", "image/png": ".png"}.get(row.file_type or "", ".jpg")
    return send_file(
        path,
        mimetype=row.file_type,
        as_attachment=True,
        download_name=f"ce-{row.completed_on.isoformat()}-{row.id}{suffix}",
    )


@bp.post("/my-ce/external/<int:credit_id>/delete")
@login_required
def delete_external(credit_id: int) -> str | Response:
    row = _own_external(credit_id)
    if row.user_id != current_user.id or not FlaskForm().validate_on_submit():
        abort(400)
    if not confirm.confirmed():
        return confirm.ask(
            title=f"Remove “{row.title}”?",
            consequence=f"The record of {ce(row.hours)} CE hours"
            + (" and its uploaded file are" if row.file_key else " is")
            + " deleted and cannot be brought back; it stops counting toward your licences.",
            button="Remove the record",
            cancel_url=url_for("ce.my_ce"),
        )
    key = row.file_key
    db.session.delete(row)
    db.session.commit()
    uploads.remove(key)
    current_app.logger.info("external credit %d removed by user %d", credit_id, current_user.id)
    flash("The record and its file are removed.", "success")
    return redirect(url_for("ce.my_ce"))


@bp.get("/my-ce/transcript.csv")
@login_required
def transcript_csv() -> Response:
    return Response(
        transcript.as_csv(current_user),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="ce-transcript.csv"'},
    )


@bp.get("/my-ce/transcript.pdf")
@login_required
def transcript_pdf() -> Response:
    return Response(
        transcript.as_pdf(current_user),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="ce-transcript.pdf"'},
    )


# An admin's rule editing lives beside these pages, on the same blueprint.
from . import admin_views  # noqa: E402, F401
