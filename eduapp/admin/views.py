"""Admins' pages for accounts: find one, then change its role, deactivate or reactivate it,
mail it a reset link or clear its sign-in lockout. Every change is audited by the service;
the view checks access and the form, asks first where the change feels irreversible, and
commits once."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..extensions import db
from ..models import Role, User
from . import services
from .forms import LockoutForm, ResetLinkForm, RoleForm, StatusForm

bp = Blueprint("admin", __name__, url_prefix="/admin/users")
QUERY_MAX = 100


def _admin() -> User:
    """The signed-in admin; everyone else is refused (login_required sends strangers to
    sign in first)."""
    if not current_user.is_admin:
        abort(403)
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _page_number() -> int:
    value = request.args.get("page", "")
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()) or len(value) > 6:  # "²" is a digit too
        abort(400, "page must be a page number.")
    return int(value)


@bp.get("")
@login_required
def users() -> str:
    _admin()
    query = request.args.get("q", "")[:QUERY_MAX]
    found = services.search_users(query, _page_number())
    return render_template("admin/users.html", found=found, query=query)


def _account_page(account: User, status: int = 200, **forms: FlaskForm) -> tuple[str, int]:
    """The account's page, with any form that failed in place of a fresh one."""
    forms.setdefault("role_form", RoleForm(formdata=None, role=account.role))
    forms.setdefault("status_form", StatusForm(formdata=None))
    forms.setdefault("reset_form", ResetLinkForm(formdata=None))
    forms.setdefault("lockout_form", LockoutForm(formdata=None))
    return (
        render_template(
            "admin/user.html",
            account=account,
            lockout=services.lockout(account),
            history=services.history(account),
            actions=services.ACTIONS,
            **forms,
        ),
        status,
    )


@bp.get("/<int:account_id>")
@login_required
def user(account_id: int) -> tuple[str, int]:
    _admin()
    return _account_page(db.get_or_404(User, account_id))


def _back(account: User) -> Response:
    return redirect(url_for("admin.user", account_id=account.id))


@bp.post("/<int:account_id>/role")
@login_required
def change_role(account_id: int) -> str | Response | tuple[str, int]:
    admin = _admin()
    account = db.get_or_404(User, account_id)
    form = RoleForm()
    if not form.validate_on_submit():
        if form.role.errors:
            abort(400)  # the select offers only the roles: anything else was made up
        return _account_page(account, role_form=form)
    role = Role(form.role.data)
    try:
        services.check_role_change(account, admin, role)
    except services.Refused as refusal:
        flash(str(refusal), "error")
        return _back(account)
    if not confirm.confirmed():
        return confirm.ask(
            title=f"Make {account.name} {services.article(role.value)} {role.value}?",
            consequence=_role_consequence(account, role),
            button=f"Make {account.name} {services.article(role.value)} {role.value}",
            cancel_url=url_for("admin.user", account_id=account.id),
        )
    try:
        services.change_role(account.id, admin.id, role, form.reason.data or "")
    except services.Refused as refusal:  # another admin changed things since the question
        db.session.rollback()
        flash(str(refusal), "error")
        return _back(account)
    db.session.commit()
    flash(f"{account.name} is now {services.article(role.value)} {role.value}.", "success")
    return _back(account)


def _role_consequence(account: User, role: Role) -> str:
    if role == Role.ADMIN:
        return (
            f"{account.name} will be able to manage every account, certificate, clinic and "
            "course, including taking this role back from you."
        )
    if account.role == Role.ADMIN:
        return f"{account.name} will no longer be able to manage accounts or the site."
    if role == Role.INSTRUCTOR:
        return f"{account.name} will be able to start courses in the studio."
    return f"{account.name} will no longer be able to start or edit courses in the studio."


@bp.post("/<int:account_id>/deactivate")
@login_required
def deactivate(account_id: int) -> str | Response | tuple[str, int]:
    admin = _admin()
    account = db.get_or_404(User, account_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _account_page(account, status_form=form)
    try:
        services.check_deactivation(account, admin)
    except services.Refused as refusal:
        flash(str(refusal), "error")
        return _back(account)
    if not confirm.confirmed():
        return confirm.ask(
            title=f"Deactivate {account.name}'s account?",
            consequence=(
                f"{account.name} is signed out everywhere at their next click and cannot sign "
                "in until an admin reactivates the account. Their attempts, certificates, CE "
                "records and clinic memberships stay."
            ),
            button=f"Deactivate {account.name}",
            cancel_url=url_for("admin.user", account_id=account.id),
        )
    try:
        services.deactivate(account.id, admin.id, form.reason.data or "")
    except services.Refused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return _back(account)
    db.session.commit()
    flash(f"{account.name}'s account is deactivated and signed out everywhere.", "success")
    return _back(account)


def _simple_change(
    account_id: int,
    form: StatusForm | ResetLinkForm | LockoutForm,
    form_name: str,
    change: Callable[[User, User, str], None],
    done: str,
) -> Response | tuple[str, int]:
    """The changes that need no question first: check, change, commit, say so."""
    admin = _admin()
    account = db.get_or_404(User, account_id)
    if not form.validate_on_submit():
        return _account_page(account, **{form_name: form})
    try:
        change(account, admin, form.reason.data or "")
    except services.Refused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return _back(account)
    db.session.commit()
    flash(done.format(name=account.name, email=account.email), "success")
    return _back(account)


@bp.post("/<int:account_id>/reactivate")
@login_required
def reactivate(account_id: int) -> Response | tuple[str, int]:
    return _simple_change(
        account_id,
        StatusForm(),
        "status_form",
        services.reactivate,
        "{name}'s account is active again: they can sign in with their password.",
    )


@bp.post("/<int:account_id>/reset-link")
@login_required
def send_reset_link(account_id: int) -> Response | tuple[str, int]:
    return _simple_change(
        account_id,
        ResetLinkForm(),
        "reset_form",
        services.send_reset_link,
        "A password reset link is on its way to {email}. It works for one hour.",
    )


@bp.post("/<int:account_id>/lockout")
@login_required
def clear_lockout(account_id: int) -> Response | tuple[str, int]:
    return _simple_change(
        account_id,
        LockoutForm(),
        "lockout_form",
        services.clear_lockout,
        "{name}'s failed sign-ins are cleared: they can try again now.",
    )
