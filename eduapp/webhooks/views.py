"""A clinic's webhooks page: its managers register, rotate, pause, resume and delete endpoints
and see the recent deliveries. Other people, admins included, get 404 as on every clinic
page. A new or rotated secret is shown on the answer to the form that made it, once."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..clinics.views import clinic_for_manager
from ..extensions import db
from ..models import Clinic, WebhookEndpoint
from . import services
from .forms import EndpointForm

bp = Blueprint("webhooks", __name__)


def _page(clinic: Clinic, form: EndpointForm, secret: str | None = None, url: str = "") -> str:
    return render_template(
        "webhooks/index.html",
        clinic=clinic,
        form=form,
        secret=secret,
        secret_url=url,
        endpoints=services.endpoints(clinic),
        deliveries=services.recent_deliveries(clinic),
        events=services.EVENTS,
        action=FlaskForm(),
    )


def _endpoint(clinic: Clinic, endpoint_id: int) -> WebhookEndpoint:
    endpoint = services.endpoint_of(clinic, endpoint_id)
    if endpoint is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return endpoint


@bp.route("/clinics/<int:clinic_id>/webhooks", methods=["GET", "POST"])
@login_required
def index(clinic_id: int) -> str:
    clinic = clinic_for_manager(clinic_id)
    form = EndpointForm()
    if form.validate_on_submit():
        try:
            made = services.register(clinic, form.url.data, form.events.data, current_user)
        except services.WebhookError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            return _page(clinic, EndpointForm(formdata=None), made.secret, made.endpoint.url)
    return _page(clinic, form)


@bp.post("/clinics/<int:clinic_id>/webhooks/<int:endpoint_id>/rotate")
@login_required
def rotate(clinic_id: int, endpoint_id: int) -> str:
    """A new secret, shown once; the old one keeps signing for 24 hours."""
    clinic = clinic_for_manager(clinic_id)
    endpoint = _endpoint(clinic, endpoint_id)
    secret = services.rotate(endpoint)
    url = endpoint.url
    db.session.commit()
    return _page(clinic, EndpointForm(formdata=None), secret, url)


@bp.post("/clinics/<int:clinic_id>/webhooks/<int:endpoint_id>/pause")
@login_required
def pause(clinic_id: int, endpoint_id: int) -> Response:
    """No new deliveries, and unsent ones are cancelled, until it is resumed."""
    return _set_active(clinic_id, endpoint_id, False)


@bp.post("/clinics/<int:clinic_id>/webhooks/<int:endpoint_id>/resume")
@login_required
def resume(clinic_id: int, endpoint_id: int) -> Response:
    """Events from now on are sent; what happened while paused is not."""
    return _set_active(clinic_id, endpoint_id, True)


def _set_active(clinic_id: int, endpoint_id: int, active: bool) -> Response:
    clinic = clinic_for_manager(clinic_id)
    endpoint = _endpoint(clinic, endpoint_id)
    cancelled = services.set_active(endpoint, active)
    url = endpoint.url
    db.session.commit()
    if active:
        message = f"{url} is resumed: events from now on are sent to it."
    else:
        message = (
            f"{url} is paused: nothing is sent to it until you resume it, and events meanwhile "
            "are not kept."
        )
        if cancelled:
            message += f" Unsent deliveries cancelled: {cancelled}."
    flash(message, "success")
    return redirect(url_for("webhooks.index", clinic_id=clinic.id))


@bp.post("/clinics/<int:clinic_id>/webhooks/<int:endpoint_id>/delete")
@login_required
def delete(clinic_id: int, endpoint_id: int) -> str | Response:
    """The endpoint and its deliveries log go (asks first)."""
    clinic = clinic_for_manager(clinic_id)
    endpoint = _endpoint(clinic, endpoint_id)
    back = url_for("webhooks.index", clinic_id=clinic.id)
    if not confirm.confirmed():
        return confirm.ask(
            title=f"Delete the endpoint {endpoint.url}?",
            consequence="No more events are sent to it, and its deliveries log is deleted.",
            button="Delete the endpoint",
            cancel_url=back,
        )
    url = endpoint.url
    services.delete(endpoint)
    db.session.commit()
    flash(f"The endpoint {url} is deleted.", "success")
    return redirect(back)
