"""The learner's side: catalogue, course and module pages, "my learning"."""

from __future__ import annotations

from flask import Blueprint, render_template

from . import services

bp = Blueprint("learn", __name__)


@bp.get("/")
def catalogue() -> str:
    return render_template("learn/catalogue.html", courses=services.published_courses())
