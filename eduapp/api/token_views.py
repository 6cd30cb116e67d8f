"""Account → API tokens: clinic managers and admins make, list and revoke their personal
access tokens. A new token's secret is shown on the answer to the form, once; only its hash
is kept (``eduapp.api.tokens``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..ce.forms import choices
from ..clock import now
from ..extensions import db
from . import tokens
from .forms import TokenForm

bp = Blueprint("api_tokens", __name__)


def _holder() -> None:
    if not tokens.may_hold_tokens(current_user):
        abort(403, "API tokens are for clinic managers and admins.")


def _form(**kwargs: object) -> TokenForm:
    """The form, offering the scopes this person may give."""
    form = TokenForm(**kwargs)
    form.scopes.choices = choices(list(tokens.scopes_for(current_user).items()))
    return form


def _page(form: TokenForm, secret: str | None = None) -> str:
    return render_template(
        "api/tokens.html",
        form=form,
        secret=secret,
        rows=tokens.user_tokens(current_user),
        now=now(),
        action=FlaskForm(),
    )


@bp.route("/account/api-tokens", methods=["GET", "POST"])
@login_required
def index() -> str:
    """The person's tokens, and the form for a new one."""
    _holder()
    form = _form()
    if form.validate_on_submit():
        try:
            made = tokens.create(
                current_user, form.name.data, form.scopes.data, int(form.days.data)
            )
        except tokens.TokenError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            return _page(_form(formdata=None), secret=made.secret)
    return _page(form)


@bp.get("/account/api-tokens/<int:token_id>")
@login_required
def detail(token_id: int) -> str:
    """One token and its last requests: when, what, and the answer."""
    _holder()
    row = tokens.token_of(current_user, token_id)
    if row is None:
        abort(404)
    return render_template(
        "api/token.html", row=row, uses=tokens.recent_uses(row), now=now(), action=FlaskForm()
    )


@bp.post("/account/api-tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> str | Response:
    """The token stops working at once (asks first)."""
    _holder()
    row = tokens.token_of(current_user, token_id)
    if row is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not confirm.confirmed():
        return confirm.ask(
            title=f"Revoke the token “{row.name}”?",
            consequence="Every system using it gets 401 from its next request on. A revoked "
            "token cannot be restored; make a new one if needed.",
            button="Revoke the token",
            cancel_url=url_for("api_tokens.index"),
        )
    tokens.revoke(row)
    db.session.commit()
    flash(f"The token “{row.name}” is revoked.", "success")
    return redirect(url_for("api_tokens.index"))
