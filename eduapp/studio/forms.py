"""The studio's forms: each names the field a refusal belongs to, so errors sit beside it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length


def _strip(value: str | None) -> str | None:
    """Addresses pasted from an email often carry spaces around them."""
    return value.strip() if isinstance(value, str) else value


class CoAuthorForm(FlaskForm):
    email = EmailField(
        "Email of the co-author (an instructor account)",
        validators=[DataRequired(), Email(), Length(max=254)],
        filters=[_strip],
    )


class OwnerForm(FlaskForm):
    owner_email = EmailField(
        "Email of the new owner (an instructor account)",
        validators=[DataRequired(), Email(), Length(max=254)],
        filters=[_strip],
    )


class PreviewForm(FlaskForm):
    """A module's Markdown body, previewed; the length bound is the view's (413, unrendered)."""

    body = TextAreaField(
        "Module text (Markdown)",
        description="Headings, lists, tables, evidence callouts, [@id] citations and figures "
        "render as learners will see them.",
        render_kw={"rows": 24, "spellcheck": "true"},
    )


class ModuleForm(FlaskForm):
    """A module in the author's draft. The text field is ``body``, as the preview's, so the
    Preview button can post the same form to the preview route."""

    title = StringField(
        "Module title",
        validators=[
            DataRequired("Give the module a title."),
            Length(max=200, message="A module title may be at most 200 characters."),
        ],
    )
    body = TextAreaField(
        "Module text (Markdown)",
        description="Headings start with ##, lists with - or 1., citations are [@id]. "
        "The preview beside the text shows what learners will read.",
        render_kw={"rows": 28, "spellcheck": "true"},
    )
    # text_hash() of the title and text the editor loaded: a save over a newer save is refused.
    based_on = HiddenField()


class NewModuleForm(FlaskForm):
    new_title = StringField(
        "Title of the new module",
        validators=[
            DataRequired("Give the new module a title."),
            Length(max=200, message="A module title may be at most 200 characters."),
        ],
    )


class MoveForm(FlaskForm):
    direction = HiddenField()


class FigureForm(FlaskForm):
    """A figure for the draft: checked by its content through the figure service."""

    figure = FileField(
        "Image file (PNG, JPEG, WebP or SVG, at most 1 MB)",
        validators=[FileRequired("Choose an image file to upload.")],
    )
    figure_name = StringField(
        "File name in the course (optional)",
        description="For example effleurage.png: letters, digits and hyphens, then the "
        "extension. Left empty, the uploaded file's own name is used.",
        validators=[Length(max=100)],
    )
    # The module the author was editing, to go back to (a slug in their draft, or nothing).
    module = HiddenField()


class QuestionBankForm(FlaskForm):
    """A GIFT or Aiken file for one quiz of the draft (read by ``quizupload``)."""

    bank = FileField(
        "Question bank file (GIFT or Aiken, as Moodle exports it; at most 1 MB)",
        validators=[FileRequired("Choose the file with the questions.")],
    )
    kind = RadioField(
        "Its format",
        choices=[SelectChoice("gift", "GIFT"), SelectChoice("aiken", "Aiken")],
        default="gift",
        validators=[DataRequired(message="Choose the file's format.")],
    )
    mode = RadioField(
        "Its questions",
        choices=[
            SelectChoice("add", "Add them to the quiz's questions"),
            SelectChoice("replace", "Replace the quiz's questions"),
        ],
        default="add",
        validators=[DataRequired(message="Choose whether to add or replace.")],
    )


class CourseZipForm(FlaskForm):
    """A course folder as a ZIP, read into the uploader's draft (checked by ``coursezip``)."""

    archive = FileField(
        "Course ZIP (a course folder: course.yml, modules, quizzes, figures; at most 20 MB)",
        validators=[FileRequired("Choose a ZIP file to upload.")],
        render_kw={"accept": ".zip,application/zip"},
    )


class PublishForm(FlaskForm):
    """The version number and change note a publish records (checked by the service)."""

    label = StringField(
        "Version number",
        validators=[DataRequired(message="Give the new version a number, like 1.2.0.")],
        filters=[_strip],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    note = TextAreaField(
        "What changed (learners who are offered the new version read this)",
        validators=[
            DataRequired(message="Say what changed, for learners and the record."),
            Length(max=2000),
        ],
        render_kw={"rows": 4},
    )
    listed = BooleanField(
        "Show the course in the catalogue, so learners can find and start it",
        default=True,
    )


class ApproveForm(FlaskForm):
    # Which state of the draft the reviewer read (``approval.state_of``): an approval covers
    # what they saw, never a save the author made while they were reading.
    seen = HiddenField()
    note = TextAreaField(
        "What you checked",
        validators=[
            DataRequired(message="Say what you checked, so the record shows why."),
            Length(max=2000),
        ],
        render_kw={"rows": 3},
    )


class ApprovalSettingForm(FlaskForm):
    requires_approval = BooleanField("Publishing needs another instructor's approval of the draft")


class ListingForm(FlaskForm):
    listed = BooleanField("Show the course in the catalogue")


class RegradeForm(FlaskForm):
    """Why the quiz is regraded (kept in every audit row) and which retired questions to
    withdraw (their keys, read from the raw form and checked by ``regrade.withdrawable``)."""

    reason = StringField(
        "Why (kept with every changed attempt)",
        validators=[
            DataRequired(message="Say why the quiz is regraded, for the record."),
            Length(max=500),
        ],
    )
