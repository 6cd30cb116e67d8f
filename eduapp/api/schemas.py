"""What the API reads and answers, as marshmallow schemas: flask-smorest validates requests
with them and writes the OpenAPI document from them. Unknown fields are refused (422, named),
so a typo never passes silently."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from ..bounds import DATE_MAX, DATE_MIN
from ..webhooks.services import EVENTS
from .paging import DEFAULT_LIMIT, MAX_LIMIT


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details; ``errors`` lists what is wrong with each field."""

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)
    errors = ma.fields.Dict(keys=ma.fields.String())


def _in_range(day: object) -> bool:
    return DATE_MIN <= day <= DATE_MAX  # type: ignore[operator]


DATE_RANGE = f"must be between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}"


class PageArgs(ma.Schema):
    cursor = ma.fields.String(
        validate=validate.Length(max=500),
        metadata={"description": "The next_cursor of the previous page; opaque."},
    )
    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )


class SinceArgs(PageArgs):
    since = ma.fields.Date(
        required=True,
        metadata={"description": "The first day (UTC) to include, as YYYY-MM-DD."},
    )

    @ma.validates("since")
    def _since_in_range(self, value: object, **_kwargs: object) -> None:
        if not _in_range(value):
            raise ma.ValidationError(DATE_RANGE)


class ClinicSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class LicenceSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.String()
    rules = ma.fields.String(metadata={"description": "The rule pack's slug (NCBTMB, a state)"})
    renewal_date = ma.fields.Date()
    cycle_start = ma.fields.Date()
    status = ma.fields.String()
    hours_required = ma.fields.Decimal(as_string=True)
    hours_counted = ma.fields.Decimal(as_string=True)
    hours_missing = ma.fields.Decimal(as_string=True)
    problem = ma.fields.String(metadata={"description": "Why it could not be assessed"})


class DueSchema(ma.Schema):
    course_id = ma.fields.Integer()
    due_on = ma.fields.Date()
    done = ma.fields.Boolean()


class StaffSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    email = ma.fields.String()
    status = ma.fields.String(metadata={"description": "The worst of the licences' statuses"})
    licences = ma.fields.List(ma.fields.Nested(LicenceSchema))
    assignments = ma.fields.List(ma.fields.Nested(DueSchema))


class StaffPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(StaffSchema))
    next_cursor = ma.fields.String(allow_none=True)


class CompletionSchema(ma.Schema):
    user_id = ma.fields.Integer()
    name = ma.fields.String()
    course_id = ma.fields.Integer()
    course_slug = ma.fields.String()
    completed_at = ma.fields.AwareDateTime()


class CompletionPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CompletionSchema))
    next_cursor = ma.fields.String(allow_none=True)


class CertificateSchema(ma.Schema):
    code = ma.fields.String(metadata={"description": "The public id, as on /verify"})
    user_id = ma.fields.Integer()
    name = ma.fields.String()
    course_id = ma.fields.Integer()
    course_title = ma.fields.String()
    ce_hours = ma.fields.String()
    completed_on = ma.fields.String()
    issued_at = ma.fields.AwareDateTime()
    revoked_at = ma.fields.AwareDateTime(allow_none=True)
    verify_url = ma.fields.String()


class CertificatePage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CertificateSchema))
    next_cursor = ma.fields.String(allow_none=True)


class InviteSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    created_at = ma.fields.AwareDateTime()
    expires_at = ma.fields.AwareDateTime()
    state = ma.fields.String(metadata={"description": "waiting, accepted, revoked or expired"})


class InvitePage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(InviteSchema))
    next_cursor = ma.fields.String(allow_none=True)


class InviteCreate(ma.Schema):
    emails = ma.fields.List(
        ma.fields.String(
            validate=[
                validate.Length(min=1, max=254),
                # One address per entry: a list is read line by line and comma by comma.
                validate.Regexp(r"\A[^,;\s]+\Z", error="Give one address per entry, no spaces."),
            ]
        ),
        required=True,
        validate=validate.Length(min=1, max=500),
    )


class InviteReport(ma.Schema):
    invited = ma.fields.List(ma.fields.String())
    not_invited = ma.fields.List(
        ma.fields.Dict(), metadata={"description": "email and reason, for each one not invited"}
    )


class AssignmentSchema(ma.Schema):
    id = ma.fields.Integer()
    course_id = ma.fields.Integer()
    course_title = ma.fields.String()
    user_id = ma.fields.Integer(allow_none=True, metadata={"description": "null: all staff"})
    due_on = ma.fields.Date()


class AssignmentCreate(ma.Schema):
    course_id = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    due_on = ma.fields.Date(required=True)
    user_ids = ma.fields.List(
        ma.fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)),
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Staff to assign to; leave out for all staff, now and later."},
    )

    @ma.validates("due_on")
    def _due_in_range(self, value: object, **_kwargs: object) -> None:
        if not _in_range(value):
            raise ma.ValidationError(DATE_RANGE)


class CourseSchema(ma.Schema):
    id = ma.fields.Integer()
    slug = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.String()
    version = ma.fields.String()
    ce_hours = ma.fields.Decimal(as_string=True)
    ce_type = ma.fields.String()


class WebhookSchema(ma.Schema):
    id = ma.fields.Integer()
    url = ma.fields.String()
    events = ma.fields.List(ma.fields.String())
    active = ma.fields.Boolean(metadata={"description": "false: paused, nothing is sent"})
    created_at = ma.fields.AwareDateTime()
    rotated_at = ma.fields.AwareDateTime(allow_none=True)


class WebhookMade(WebhookSchema):
    secret = ma.fields.String(
        metadata={"description": "The signing secret: answered here only, once; keep it."}
    )


class WebhookCreate(ma.Schema):
    url = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "https:// on port 443 or 8443, and not a private address."},
    )
    events = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(list(EVENTS))),
        required=True,
        validate=validate.Length(min=1, max=len(EVENTS)),
    )


class JsonBoolean(ma.fields.Boolean):
    """true or false only: marshmallow would also read "yes", "off" or 1, which a client that
    sends them most likely did not mean."""

    def _deserialize(self, value: object, attr: object, data: object, **kwargs: object) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class WebhookChange(ma.Schema):
    active = JsonBoolean(
        required=True,
        metadata={"description": "false pauses (unsent deliveries are cancelled); true resumes."},
    )
