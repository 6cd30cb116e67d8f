"""How a save of answers is answered, on a quiz attempt and a practice exam alike: JSON for
the quiz page's script (it asks for JSON as each answer changes), a message and the way back to
the questions for the no-script Save button. Both pages share quiz.js, so they answer alike.
"""

from __future__ import annotations

from flask import flash, jsonify, redirect, request
from werkzeug.wrappers import Response


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def saved(questions: int, back: str) -> Response:
    """The answers are kept; ``questions`` is how many are saved in all."""
    if _wants_json():
        return jsonify(saved=True, questions=questions)
    flash("Your answers are saved. You can come back and finish later.", "success")
    return redirect(back)


def refused(message: str, back: str) -> Response | tuple[Response, int]:
    """Nothing was saved (time is up, already submitted): 409 for the script, which shows
    ``message``; the no-script button goes back to the questions with it."""
    if _wants_json():
        return jsonify(saved=False, message=message), 409
    flash(message, "error")
    return redirect(back)
