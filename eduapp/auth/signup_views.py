"""Sign-up pages: the form, "check your email", the confirmation link and a new link.

A sign-up on its way somewhere (``next``, a local path) keeps going there: straight away when
it follows a live invitation sent to the address it signs up with, otherwise after the
confirmation link, when that is opened in the same browser.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from . import services
from . import signup as signup_service
from .destinations import invitation_for, invitation_note, safe_next
from .forms import ConfirmForm, SignupForm
from .views import (
    TOKEN_SHAPE,
    UNCONFIRMED,
    _client_ip,
    _field_error,
    _start_session,
    _timezone_choices,
    bp,
)

AFTER_CONFIRM = "after_confirm"  # session key: where a sign-up was going, for its link
CONFIRM_LINK_DEAD = "This link is invalid, used or expired. Sign in to get a new one."


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> str | Response:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("learn.catalogue"))
    form = SignupForm()
    form.timezone.choices = _timezone_choices()
    if request.method == "GET":
        form.timezone.data = current_app.config["TIMEZONE"]
        form.next.data = safe_next(request.args.get("next")) or ""
    next_path = safe_next(form.next.data)
    invite = invitation_for(next_path)
    if request.method == "GET" and invite is not None:
        form.email.data = invite.email
    if form.validate_on_submit():
        try:
            user = signup_service.request_signup(
                form.name.data,
                form.email.data,
                form.password.data,
                form.timezone.data,
                _client_ip(),
                invited_as=services.normalise_email(invite.email) if invite else None,
            )
        except services.AccountError as error:
            _field_error(form, error)
        except services.TooManyAttempts:
            abort(429)
        else:
            db.session.commit()
            if user is not None and next_path is not None:
                # Through the invitation sent to this address: straight on to accept it.
                current_app.logger.info("signup through invitation user=%d", user.id)
                _start_session(user)
                flash(
                    f"Welcome, {user.name}. Your account is made: accepting the invitation "
                    "confirms your email address.",
                    "success",
                )
                return redirect(next_path)
            if next_path:
                session[AFTER_CONFIRM] = next_path  # for the link, if opened in this browser
            # The same answer whether or not the address has an account.
            return redirect(url_for("auth.signup_sent", next=next_path))
    return render_template("auth/signup.html", form=form, invitation=invitation_note(invite))


@bp.get("/signup/sent")
def signup_sent() -> str:
    return render_template("auth/signup_sent.html", next=safe_next(request.args.get("next")))


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
            destination = safe_next(session.get(AFTER_CONFIRM))
            _start_session(user)
            flash(f"Welcome, {user.name}. Your account is ready.", "success")
            return redirect(destination or url_for("learn.catalogue"))
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
