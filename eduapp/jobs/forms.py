"""The failed-jobs page's one form: a retry button (its CSRF token is the whole form)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class RetryForm(FlaskForm):
    pass
