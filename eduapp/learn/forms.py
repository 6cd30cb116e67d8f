"""The learner's one-button forms: each is a POST with a CSRF token."""

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """Start a course, mark a module as read: no fields beyond the CSRF token."""
