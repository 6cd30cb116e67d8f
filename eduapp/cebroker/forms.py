"""The roster page's one form: mark the completions of the roster just downloaded as
reported. It carries their certificate ids, so a completion that arrived after the download
is not marked with them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length, Regexp

MAX_IDS_TEXT = 60_000  # a few thousand ids


class ReportForm(FlaskForm):
    certificates = HiddenField(
        "Completions",
        validators=[
            DataRequired(message="Completions: the roster carried none."),
            Length(max=MAX_IDS_TEXT, message="Completions: too many for one roster."),
            Regexp(r"^\d{1,12}(,\d{1,12})*$", message="Completions: not a list of ids."),
        ],
    )

    def certificate_ids(self) -> set[int]:
        return {int(part) for part in self.certificates.data.split(",")}
