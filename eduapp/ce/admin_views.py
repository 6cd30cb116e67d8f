"""An admin's CE rules: the packs' current versions, and edits stored as new versions."""

from __future__ import annotations

from datetime import date

import yaml
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from pydantic import ValidationError
from werkzeug.wrappers import Response

from ..content.yamlfile import ContentError, parse
from ..extensions import db
from ..models import RulePack, RuleVersion
from .forms import RuleEditForm
from .packs import ADMIN, current_versions, edit_version
from .views import _packs, bp


@bp.get("/admin/rules")
@login_required
def admin_rules() -> str:
    if not current_user.is_admin:
        abort(403)
    packs = _packs()
    versions = current_versions([p.id for p in packs])
    history = db.session.execute(
        db.select(RuleVersion).where(RuleVersion.origin == ADMIN).order_by(RuleVersion.id.desc())
    ).scalars()
    return render_template(
        "ce/admin_rules.html", packs=packs, versions=versions, history=list(history)
    )


@bp.route("/admin/rules/<slug:pack_slug>/<effective_from>", methods=["GET", "POST"])
@login_required
def edit_rules(pack_slug: str, effective_from: str) -> str | Response:
    """An admin's change to a rule version: stored as a new version, never overwritten."""
    if not current_user.is_admin:
        abort(403)
    pack = db.session.execute(db.select(RulePack).filter_by(slug=pack_slug)).scalar_one_or_none()
    current = dict(current_versions([pack.id])[pack.id]) if pack else {}
    try:
        version = current[date.fromisoformat(effective_from)]
    except (ValueError, KeyError):
        abort(404)
    form = RuleEditForm()
    if request.method == "GET":
        form.definition.data = yaml.safe_dump(
            version.model_dump(mode="json"), sort_keys=False, allow_unicode=True
        )
    if form.validate_on_submit():
        try:
            data, _ = parse(form.definition.data, "version")
            edit_version(pack, data if isinstance(data, dict) else {}, current_user, form.note.data)
        except ContentError as error:
            form.definition.errors.extend(
                f"Not valid YAML{f' (line {p.line})' if p.line else ''}: "
                + p.message.removeprefix("invalid YAML: ")
                for p in error.problems
            )
        except ValidationError as error:
            form.definition.errors.extend(
                f"{'.'.join(str(p) for p in e['loc']) or 'version'}: {e['msg']}"
                for e in error.errors()
            )
        else:
            db.session.commit()
            flash(
                "Saved as a new version; re-importing the rule files will not change it.", "success"
            )
            return redirect(url_for("ce.admin_rules"))
    return render_template("ce/edit_rules.html", pack=pack, version=version, form=form)
