"""A clinic's webhook endpoints through the webhooks area's own services, so the API keeps
every rule the page keeps (https on 443 or 8443, no private address, at most ten) with the
scope webhooks:manage. A new endpoint's signing secret is answered once, in the 201."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView

from ..extensions import db
from ..models import Clinic, WebhookEndpoint
from ..webhooks import services
from . import guard
from .clinic_views import for_clinic
from .guard import api_blueprint
from .problems import fail
from .schemas import WebhookChange, WebhookCreate, WebhookMade, WebhookSchema
from .tokens import WEBHOOKS

blp = api_blueprint("api_webhooks", __name__, tag="Webhooks")
SHOWN = tuple(WebhookSchema().fields)  # an endpoint's attributes the answers carry


def _endpoint_or_404(clinic: Clinic, endpoint_id: int) -> WebhookEndpoint:
    endpoint = services.endpoint_of(clinic, endpoint_id)
    if endpoint is None:
        fail(404, "No webhook endpoint with this id in this clinic.")
    return endpoint


@blp.route("/clinics/<int:clinic_id>/webhooks")
class Webhooks(MethodView):  # type: ignore[misc]
    @for_clinic(WEBHOOKS)
    @blp.response(200, WebhookSchema(many=True))
    def get(self, clinic: Clinic) -> list[WebhookEndpoint]:
        """The clinic's endpoints, oldest first, paused ones included."""
        return services.endpoints(clinic)

    @for_clinic(WEBHOOKS)
    @blp.arguments(WebhookCreate)
    @blp.response(201, WebhookMade)
    def post(self, body: dict[str, Any], clinic: Clinic) -> dict[str, Any]:
        """Register an endpoint for these events; the answer carries its signing secret,
        which is never shown again (rotate it on the clinic's webhooks page)."""
        try:
            made = services.register(clinic, body["url"], body["events"], guard.user())
        except services.WebhookError as error:
            fail(422, str(error), errors={error.field: [str(error)]})
        db.session.commit()
        endpoint = made.endpoint
        return {**{name: getattr(endpoint, name) for name in SHOWN}, "secret": made.secret}


@blp.route("/clinics/<int:clinic_id>/webhooks/<int:endpoint_id>")
class WebhookItem(MethodView):  # type: ignore[misc]
    @for_clinic(WEBHOOKS)
    @blp.arguments(WebhookChange)
    @blp.response(200, WebhookSchema)
    def patch(self, body: dict[str, Any], clinic: Clinic, endpoint_id: int) -> WebhookEndpoint:
        """Pause (``active: false``: nothing more is sent, unsent deliveries are cancelled) or
        resume (``active: true``: events from now on; nothing missed is replayed)."""
        endpoint = _endpoint_or_404(clinic, endpoint_id)
        services.set_active(endpoint, body["active"])
        db.session.commit()
        return endpoint

    @for_clinic(WEBHOOKS)
    @blp.response(204)
    def delete(self, clinic: Clinic, endpoint_id: int) -> Response:
        """The endpoint and its deliveries log go; nothing more is sent to it."""
        endpoint = _endpoint_or_404(clinic, endpoint_id)
        services.delete(endpoint)
        db.session.commit()
        return Response(status=204)
