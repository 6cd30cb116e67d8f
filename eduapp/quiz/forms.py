"""Quiz forms. The answers are dynamic (``q-<question key>`` fields) and are validated
against the attempt's snapshot by the grader; the form itself carries the CSRF token."""

from flask_wtf import FlaskForm


class StartForm(FlaskForm):
    pass


class AttemptForm(FlaskForm):
    pass
