"""Managing a clinic: invitations and assignments, created, listed and revoked through the
clinics area's own services, so the API keeps every rule the pages keep (scope
staff:manage). Each write commits once; a refused one writes nothing."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView

from ..clinics import services as clinic_services
from ..clinics.scope import ClinicError
from ..extensions import db
from ..models import Clinic, ClinicInvite, Course
from . import guard, readers
from .clinic_views import for_clinic, paged
from .guard import api_blueprint
from .problems import fail
from .schemas import (
    AssignmentCreate,
    AssignmentSchema,
    InviteCreate,
    InvitePage,
    InviteReport,
    PageArgs,
)
from .tokens import MANAGE

blp = api_blueprint("api_manage", __name__, tag="Invitations")


@blp.route("/clinics/<int:clinic_id>/invites")
class Invites(MethodView):  # type: ignore[misc]
    @for_clinic(MANAGE)
    @blp.arguments(PageArgs, location="query", as_kwargs=True)
    @blp.response(200, InvitePage)
    def get(self, clinic: Clinic, limit: int, cursor: str | None = None) -> readers.Page:
        """The clinic's invitations, oldest first, with what became of each."""
        return paged(readers.invites, clinic.id, cursor, limit)

    @for_clinic(MANAGE)
    @blp.arguments(InviteCreate)
    @blp.response(201, InviteReport)
    def post(self, body: dict[str, Any], clinic: Clinic) -> Any:
        """Invite these addresses; every one not invited comes back with the reason
        (already staff, already invited, not an address). 200 when none was invited."""
        emails = body["emails"]
        try:
            report = clinic_services.invite_list(clinic, "\n".join(emails), guard.user())
        except ClinicError as error:
            fail(422, str(error), errors={"emails": [str(error)]})
        db.session.commit()
        return {
            "invited": report.invited,
            "not_invited": [
                {"email": emails[line - 1], "reason": reason}  # one entry per line
                for line, _written, reason in report.not_invited
            ],
        }, (201 if report.invited else 200)


@blp.route("/clinics/<int:clinic_id>/invites/<int:invite_id>")
class InviteItem(MethodView):  # type: ignore[misc]
    @for_clinic(MANAGE)
    @blp.response(204)
    def delete(self, clinic: Clinic, invite_id: int) -> Response:
        """The link in the invitation stops working at once."""
        row = db.session.get(ClinicInvite, invite_id)
        if row is None or row.clinic_id != clinic.id:
            fail(404, "No invitation with this id in this clinic.")
        try:
            clinic_services.revoke_invite(row)
        except ClinicError as error:
            fail(409, str(error))
        db.session.commit()
        return Response(status=204)


def _item(assignment: Any, title: str) -> dict[str, Any]:
    return {
        "id": assignment.id,
        "course_id": assignment.course_id,
        "course_title": title,
        "user_id": assignment.user_id,
        "due_on": assignment.due_on,
    }


@blp.route("/clinics/<int:clinic_id>/assignments", tags=["Assignments"])
class Assignments(MethodView):  # type: ignore[misc]
    @for_clinic(MANAGE)
    @blp.response(200, AssignmentSchema(many=True))
    def get(self, clinic: Clinic) -> list[dict[str, Any]]:
        """What the clinic asks of its staff, soonest due first."""
        return [_item(a, title) for a, title, _name in clinic_services.assignment_rows(clinic)]

    @for_clinic(MANAGE)
    @blp.arguments(AssignmentCreate)
    @blp.response(201, AssignmentSchema(many=True))
    def post(self, body: dict[str, Any], clinic: Clinic) -> list[dict[str, Any]]:
        """Assign a published course to all staff (no user_ids) or to chosen staff."""
        course = db.session.get(Course, body["course_id"])
        if course is None or course.status != "published":
            fail(
                422, "No published course with this id.", errors={"course_id": ["No such course."]}
            )
        try:
            rows = clinic_services.assign(
                clinic, course, body["due_on"], body.get("user_ids"), guard.user()
            )
        except ClinicError as error:
            fail(422, str(error), errors={"user_ids": [str(error)]})
        db.session.commit()
        return [_item(a, course.title) for a in rows]


@blp.route("/clinics/<int:clinic_id>/assignments/<int:assignment_id>", tags=["Assignments"])
class AssignmentItem(MethodView):  # type: ignore[misc]
    @for_clinic(MANAGE)
    @blp.response(204)
    def delete(self, clinic: Clinic, assignment_id: int) -> Response:
        """Staff are no longer asked to complete the course; completions stay theirs."""
        row = clinic_services.assignment_of(clinic, assignment_id)
        if row is None:
            fail(404, "No assignment with this id in this clinic.")
        clinic_services.delete_assignment(row)
        db.session.commit()
        return Response(status=204)
