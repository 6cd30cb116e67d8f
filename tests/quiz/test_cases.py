"""A case and its questions are drawn as one block that is visibly closed off."""

from __future__ import annotations

from flask.testing import FlaskClient

from eduapp.quiz.cases import case_marks
from tests.conftest import csrf_token
from tests.quiz.test_question_types import learner, start  # noqa: F401  (the fixture)


def q(key: str, kind: str = "single") -> dict[str, str]:
    return {"key": key, "type": kind}


def test_each_case_owns_the_questions_up_to_the_next_case() -> None:
    marks = case_marks(
        [q("alone"), q("c1", "description"), q("a"), q("b"), q("c2", "description"), q("c")]
    )
    assert marks("alone") == ""
    assert marks("c1") == "case" and marks.size["c1"] == 2
    assert marks("a") == "in-case"
    assert marks("b") == "in-case case-end"
    assert marks("c2") == "case" and marks.size["c2"] == 1
    assert marks("c") == "in-case case-end"


def test_a_case_with_no_questions_after_it_closes_nothing() -> None:
    marks = case_marks([q("a"), q("c1", "description")])
    assert marks.size == {"c1": 0}
    assert "case-end" not in " ".join(marks.role.values())


def test_attempt_and_review_pages_frame_the_case(learner: FlaskClient) -> None:  # noqa: F811
    path = start(learner)
    html = learner.get(path).get_data(as_text=True)
    assert '<li class="question description case">' in html
    assert "Case: read this, then answer the 5 questions that follow." in html
    assert html.count('class="question in-case') == 5
    assert html.count("End of the case") == 1
    assert html.index("End of the case") > html.rindex('class="question in-case')
    result = learner.post(
        path + "/submit",
        data={"confirmed": "yes", "csrf_token": csrf_token(learner, path)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Case, for the 5 questions after it" in result
    assert result.count("End of the case") == 1
