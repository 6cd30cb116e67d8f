"""Sign-up, sign-in, sign-out, account, password change and reset."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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

from ..clinics import services as clinic_services
from ..extensions import db
from ..models import User
from . import cookies, services
from . import signup as signup_service
from .forms import (
    AccountForm,
    ChangePasswordForm,
    ConfirmForm,
    LoginForm,
    LogoutForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignupForm,
)

bp = Blueprint("auth", __name__)
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,100}")
INVITE_PATH = re.compile(r"/invites/([A-Za-z0-9_-]{20,100})")
UNCONFIRMED = "unconfirmed_user"  # session key: who may ask for a new confirmation link
CONFIRM_LINK_DEAD = "This link is invalid, used or expired. Sign in to get a new one."


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no ``//`` or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target


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


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("learn.catalogue"))
    form = SignupForm()
    form.timezone.choices = _timezone_choices()
    if request.method == "GET":
        form.timezone.data = current_app.config["TIMEZONE"]
    if form.validate_on_submit():
        try:
            signup_service.request_signup(
                form.name.data,
                form.email.data,
                form.password.data,
                form.timezone.data,
                _client_ip(),
            )
        except services.AccountError as error:
            _field_error(form, error)
        except services.TooManyAttempts:
            abort(429)
        else:
            db.session.commit()
            # The same answer whether or not the address has an account.
            return redirect(url_for("auth.signup_sent"))
    return render_template("auth/signup.html", form=form)


@bp.get("/signup/sent")
def signup_sent() -> str:
    return render_template("auth/signup_sent.html")


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> str | Response:
    """GET shows a button and POST confirms, so a mail scanner opening links confirms nothing.
    Every POST counts towards the client's limit, so links cannot be guessed at speed."""
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.throttle("confirm", None, _client_ip())
        except services.TooManyAttempts:
            abort(429)
        try:
            user = signup_service.confirm(token) if TOKEN_SHAPE.fullmatch(token) else None
        except services.AccountError:
            user = None
        db.session.commit()  # the count, and the confirmation if there is one
        if user is not None:
            current_app.logger.info("signup confirmed user=%d", user.id)
            _start_session(user)
            flash(f"Welcome, {user.name}. Your account is ready.", "success")
            return redirect(url_for("learn.catalogue"))
    elif TOKEN_SHAPE.fullmatch(token) and signup_service.live_confirmation(token) is not None:
        return render_template("auth/confirm.html", form=form)
    flash(CONFIRM_LINK_DEAD, "error")
    return redirect(url_for("auth.login"))


@bp.post("/signup/resend")
def resend_confirmation() -> Response:
    """Only for the browser that just signed in with the password of an unconfirmed account
    (or of a recent sign-up): the address comes from its session, not from the form."""
    form = ConfirmForm()
    email = session.get(UNCONFIRMED)
    if not form.validate_on_submit() or not isinstance(email, str):
        return redirect(url_for("auth.login"))
    try:
        signup_service.resend(email, _client_ip())
    except services.TooManyAttempts:
        abort(429)
    db.session.commit()
    flash(f"A new message is on its way to {email}. Its link works for 24 hours.", "info")
    return redirect(url_for("auth.login"))


def _proved_by_invitation(user: User | None, next_path: str | None) -> bool:
    """Signing in to an unconfirmed account on the way to a live clinic invitation sent to
    this very address: the invitation came through that mailbox, as the sign-up's link would
    have, and accepting it confirms the address."""
    match = INVITE_PATH.fullmatch(safe_next(next_path) or "")
    invite = clinic_services.live_invite(match.group(1)) if match and user else None
    return invite is not None and user is not None and invite.email == user.email


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
            user = pending.user if _proved_by_invitation(pending.user, form.next.data) else None
            if user is None:
                # Only someone who knows the password gets this far.
                session[UNCONFIRMED] = pending.email
                return render_template(
                    "auth/login.html",
                    form=form,
                    unconfirmed=pending.email,
                    resend_form=ConfirmForm(),
                )
        if user is not None:
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
    return render_template("auth/login.html", form=form)


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
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
