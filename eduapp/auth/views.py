"""Sign-in, sign-out, account, password change and reset (sign-up: signup_views.py)."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..extensions import db
from . import cookies, services
from .destinations import invitation_for, invitation_note, proved_by_invitation, safe_next
from .forms import (
    AccountForm,
    ChangePasswordForm,
    ConfirmForm,
    LoginForm,
    LogoutForm,
    ResetPasswordForm,
    ResetRequestForm,
)

bp = Blueprint("auth", __name__)
# The header's sign-in links keep a page's own ``next`` (an invitation), checked as anywhere.
bp.add_app_template_global(safe_next, "safe_next")
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,100}")
UNCONFIRMED = "unconfirmed_user"  # session key: who may ask for a new confirmation link
AFTER_RESET = "after_reset"  # session key: where a sign-in was going before a reset


def _timezone_choices() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in sorted(services.valid_timezones())]


def _field_error(form: object, error: services.AccountError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


def _client_ip() -> str:
    return request.remote_addr or "unknown"


def _start_session(user: object) -> None:
    """Sign this browser in. Staying signed in is the rotating cookie of :mod:`.cookies`,
    issued before the view commits; Flask-Login's own remember cookie is never used."""
    session.clear()  # nothing from before sign-in carries over
    login_user(user, remember=False)  # type: ignore[arg-type]


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, _client_ip())
        except services.TooManyAttempts:
            current_app.logger.warning("login throttled ip=%r", _client_ip())
            abort(429)
        except services.Unconfirmed as pending:
            user = pending.user if proved_by_invitation(pending.user, form.next.data) else None
            if user is None:
                # Only someone who knows the password gets this far.
                session[UNCONFIRMED] = pending.email
                return render_template(
                    "auth/login.html",
                    form=form,
                    unconfirmed=pending.email,
                    resend_form=ConfirmForm(),
                    invitation=invitation_note(invitation_for(form.next.data)),
                )
        if user is not None:
            services.record_sign_in(user)
            cookies.forget_browser(request)  # a series this browser had before ends here
            if form.remember.data:
                cookies.remember_browser(user)
        db.session.commit()
        if user is None:
            current_app.logger.info("login failed ip=%r", _client_ip())
            flash("That email and password do not match an account.", "error")
        else:
            current_app.logger.info("login user=%d", user.id)
            _start_session(user)
            return redirect(safe_next(form.next.data) or url_for("learn.catalogue"))
    return render_template(
        "auth/login.html", form=form, invitation=invitation_note(invitation_for(form.next.data))
    )


@bp.post("/logout")
@login_required
def logout() -> Response:
    form = LogoutForm()
    if not form.validate_on_submit():
        abort(400)
    services.end_other_sessions(current_user)
    cookies.forget_browser(request)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("learn.catalogue"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> str | Response:
    form = AccountForm(obj=current_user)
    form.timezone.choices = _timezone_choices()
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, form.name.data, form.timezone.data)
        except services.AccountError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            flash("Your details are saved.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, password_form=ChangePasswordForm())


@bp.post("/account/password")
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except services.AccountError as error:
            _field_error(form, error)
        else:
            cookies.forget_browser(request)  # every series ended with the old password
            db.session.commit()
            # The token rotated: sign this browser in again with the new one.
            _start_session(current_user._get_current_object())
            flash("Your password is changed. Other devices have been signed out.", "success")
            return redirect(url_for("auth.account"))
    account_form = AccountForm(obj=current_user)
    account_form.timezone.choices = _timezone_choices()
    return render_template("auth/account.html", form=account_form, password_form=form)


@bp.route("/reset", methods=["GET", "POST"])
def reset_request() -> str | Response:
    form = ResetRequestForm()
    if request.method == "GET" and safe_next(request.args.get("next")):
        # Back there after the reset, if the link is opened in this browser.
        session[AFTER_RESET] = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        try:
            services.request_reset(form.email.data, _client_ip())
        except services.TooManyAttempts:
            abort(429)
        db.session.commit()
        # The same answer either way, so the form does not reveal who has an account.
        flash(
            "If that email has an account, a reset link is on its way. It works for one hour.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    if not TOKEN_SHAPE.fullmatch(token) or not services.reset_token_is_valid(token):
        flash("This reset link is invalid, used or expired. Ask for a new one below.", "error")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except services.AccountError as error:  # pragma: no cover - token checked just above
            _field_error(form, error)
        else:
            db.session.commit()
            current_app.logger.info("password reset user=%d", user.id)
            flash("Your password is changed. Sign in with the new one.", "success")
            return redirect(url_for("auth.login", next=safe_next(session.pop(AFTER_RESET, None))))
    return render_template("auth/reset_password.html", form=form)


# Sign-up and its confirmation live beside these pages, on the same blueprint.
from . import signup_views  # noqa: E402, F401
