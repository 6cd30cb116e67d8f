"""The course settings and new-course forms. They only carry text: the course-file rules
(``content.schema``, through ``course_settings``) judge it, so there is one set of rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..ce.forms import TOPICS, choices

BLANK_ROWS = 3  # blank rows offered to add references or approvals without JavaScript
DATE = {"type": "date", "placeholder": "YYYY-MM-DD"}


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ReferenceRowForm(Form):
    """One reference; ``original`` is the id the row had when the page was loaded."""

    original = HiddenField()
    ref_id = StringField("ID", description="Modules cite it as [@ID].")
    citation = TextAreaField("Citation", render_kw={"rows": 2})
    link = StringField("DOI or web address")
    label = StringField("Label in the text (optional)")
    remove = BooleanField("Remove this reference")


class ApprovalRowForm(Form):
    body = StringField("Board")
    number = StringField("Approval number")
    title = StringField("Approved title (if not the course title)")
    ce_hours = StringField(
        "CE hours approved (if not the course's)", render_kw={"inputmode": "decimal"}
    )
    valid_from = StringField("Valid from", render_kw=DATE)
    valid_to = StringField("Valid to", render_kw=DATE)
    cebroker = StringField("CE Broker course tracking number (Florida, if any)")
    remove = BooleanField("Remove this approval")


class SettingsForm(FlaskForm):
    # ``course_settings.state_of`` the settings this page showed: a save over a newer save of
    # them (another tab or device) is refused rather than undoing it.
    seen = HiddenField()
    title = StringField("Title")
    summary = TextAreaField("Summary", description="Shown in the catalogue.", render_kw={"rows": 3})
    objectives = TextAreaField(
        "Learning objectives",
        description="One per line: what a learner can do after the course.",
        render_kw={"rows": 5},
    )
    authors = TextAreaField(
        "Authors",
        description="One per line, with credentials, as printed on certificates.",
        render_kw={"rows": 3},
    )
    reviewed_on = StringField(
        "Evidence reviewed on",
        description="The date the authors last checked the evidence.",
        render_kw=DATE,
    )
    ce_hours = StringField("CE hours", render_kw={"inputmode": "decimal"})
    ce_categories = CheckboxesField("CE categories", choices=choices(TOPICS), validate_choice=False)
    passing_score = StringField(
        "Passing score (%)",
        description="The final's pass mark, from 1 to 100.",
        render_kw={"inputmode": "numeric"},
    )
    references = FieldList(FormField(ReferenceRowForm), max_entries=300)
    approvals = FieldList(FormField(ApprovalRowForm), max_entries=60)
    more_references = SubmitField("More reference rows")
    more_approvals = SubmitField("More approval rows")
    save = SubmitField("Save settings")


class NewCourseForm(FlaskForm):
    title = StringField("Title")
    slug = StringField(
        "Web address",
        description="Lowercase letters, digits and hyphens; left empty, it comes from the "
        "title. It cannot be changed later.",
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    summary = TextAreaField(
        "Summary", description="A sentence or two for the catalogue.", render_kw={"rows": 3}
    )
