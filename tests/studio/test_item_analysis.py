"""The item analysis page and its CSV, on the fixture catalogue with simulated attempts."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Course, Question, Quiz
from tests.conftest import FIXTURES, AuthActions
from tests.learn.test_course_pages import count_queries
from tests.studio.attempts import graded_attempt, learners
from tests.studio.conftest import grant

PAGE = "/studio/courses/sample-course/quizzes/first-steps/analysis"
RIGHT = {"q-single": ["a"], "q-multi": ["a", "b"], "q-tf": ["false"]}
WRONG = {"q-single": ["b"], "q-multi": ["c"], "q-tf": ["true"]}


def quiz(key: str = "first-steps") -> Quiz:
    return db.session.execute(db.select(Quiz).filter_by(key=key)).scalar_one()


@pytest.fixture
def four_attempts(app: Flask, imported: None) -> None:
    """Four first attempts and one second attempt (all wrong) by the first learner.

    Marks (single, multi, tf) and totals: A 1, 1, 1 = 3; B 1, .5, 1 = 2.5; C 0, 1, 0 = 1;
    D 0, 0, 1 = 1 (the wrong choice's -0.5 is floored at 0). See the test for the figures.
    """
    a, b, c, d = learners(4)
    target = quiz()
    graded_attempt(target, a, RIGHT)
    graded_attempt(target, b, {**RIGHT, "q-multi": ["a"]})
    graded_attempt(target, c, {"q-single": ["b"], "q-multi": ["a", "b"], "q-tf": ["true"]})
    graded_attempt(target, d, {"q-single": ["b"], "q-multi": ["c"], "q-tf": ["false"]})
    graded_attempt(target, a, WRONG, number=2)
    db.session.commit()


def row(html: str, number: int) -> list[str]:
    match = re.search(rf"<tr[^>]*>\s*<td>Q{number}</td>(.*?)</tr>", html, re.S)
    assert match, f"no row for Q{number}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    ]


def test_figures_match_the_hand_computed_ones(instructor: FlaskClient, four_attempts: None) -> None:
    """First attempts only (the default). Rest-of-test scores are total minus the item's mark.

    q-single: x = 1 1 0 0, other = 2 1.5 1 1. Facility 50%, SD sqrt(1/3) = 57.7%.
      dx = .5 .5 -.5 -.5, do = .625 .125 -.375 -.375: sum dx.do = .75, sum dx^2 = 1,
      sum do^2 = .6875: index = .75 / sqrt(.6875) = 0.9045 -> 90.5.
    q-multi: x = 1 .5 1 0, other = 2 2 0 1. Facility 62.5%. dx = .375 -.125 .375 -.625,
      do = .75 .75 -1.25 -.25: sum dx.do = -.125, sum dx^2 = .6875 (SD sqrt(.6875/3) = 47.9%),
      sum do^2 = 2.75: index = -.125 / 1.375 = -0.0909 -> -9.1, negative.
    q-tf: x = 1 1 0 1, other = 2 1.5 1 0. Facility 75%, SD sqrt(.75/3) = 50%.
      dx = .25 .25 -.75 .25, do = .875 .375 -.125 -1.125: sum dx.do = .125,
      sum do^2 = 2.1875: index = .125 / sqrt(.75 * 2.1875) = 0.0976 -> 9.8, below 25.
    """
    response = instructor.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert row(html, 1)[1:] == ["One answer", "4", "50", "57.7", "90.5", "none"]
    assert row(html, 2)[1:] == [
        "Several answers",
        "4",
        "62.5",
        "47.9",
        "-9.1",
        "discriminates negatively",
    ]
    assert row(html, 3)[1:] == ["True/false", "4", "75", "50", "9.8", "does not discriminate"]
    assert "q-single</code></a> Which is true?" in html
    # Summary: scores 100, 83.33, 33.33, 33.33.
    assert "<dt>Attempts counted</dt><dd>4</dd>" in html
    assert "<dt>Mean score</dt><dd>62.5%</dd>" in html
    assert "<dt>Flagged</dt><dd>2</dd>" in html
    # Choice frequencies: a multiple answer counts for each choice it picked.
    multi = html.split('id="q-2"')[1].split('id="q-3"')[0]
    cells = [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", multi, re.S)
    ]
    assert cells == [
        "a Right A", "50%", "3", "75%",
        "b Right B", "50%", "2", "50%",
        "c Wrong C", "-50%", "1", "25%",
    ]  # fmt: skip
    assert 'value="0.7500"' in multi
    # The chart: a bar per figure, each with a title, in an accessible SVG.
    assert 'role="img"' in html and "<title>Q2 discrimination: -9.1</title>" in html
    assert html.count('class="bar-facility"') == 3
    # Never a learner's identity.
    assert "learner0" not in html and "@example.org" not in html


def test_all_attempts(instructor: FlaskClient, four_attempts: None) -> None:
    html = instructor.get(PAGE + "?attempts=all").get_data(as_text=True)
    assert "<dt>Attempts counted</dt><dd>5</dd>" in html
    assert row(html, 1)[2:4] == ["5", "40"]  # two right of five
    assert 'value="all" checked' in html
    assert "attempts=all" in html  # the CSV link keeps the choice


@pytest.mark.parametrize("value", ["last", "", "FIRST", "first'--"])
def test_a_tampered_attempt_set_is_a_400(instructor: FlaskClient, value: str) -> None:
    response = instructor.get(PAGE, query_string={"attempts": value})
    assert response.status_code == 400
    assert "attempts=first or attempts=all" in response.get_data(as_text=True)


def test_unknown_course_or_quiz_is_a_404(instructor: FlaskClient) -> None:
    assert instructor.get("/studio/courses/nope/quizzes/first-steps/analysis").status_code == 404
    assert (
        instructor.get("/studio/courses/sample-course/quizzes/nope/analysis.csv").status_code == 404
    )


def test_without_attempts(instructor: FlaskClient) -> None:
    html = instructor.get(PAGE).get_data(as_text=True)
    assert "No graded attempts yet" in html
    assert row(html, 1)[2:6] == ["0", "—", "—", "—"]
    assert "<dt>Mean score</dt><dd>—</dd>" in html


def test_csv(instructor: FlaskClient, four_attempts: None) -> None:
    response = instructor.get(PAGE + ".csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        'filename="sample-course-first-steps-item-analysis-first.csv"'
        in response.headers["Content-Disposition"]
    )
    assert response.data.startswith("\ufeff".encode())  # UTF-8 BOM for spreadsheets
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:9] == [
        "Position", "Question", "Type", "Prompt", "Responses", "Facility %", "SD %",
        "Discrimination x100", "Flags",
    ]  # fmt: skip
    assert rows[1][:9] == [
        "1",
        "q-single",
        "single",
        "Which is true?",
        "4",
        "50.00",
        "57.74",
        "90.45",
        "",
    ]
    assert rows[2][5:9] == ["62.50", "47.87", "-9.09", "discriminates negatively"]  # a number
    assert rows[2][9] == "a Right A: 3; b Right B: 2; c Wrong C: 1"
    assert len(rows) == 4


def test_csv_neutralises_formulas(instructor: FlaskClient, four_attempts: None) -> None:
    question = db.session.execute(db.select(Question).filter_by(key="q-single")).scalar_one()
    question.prompt_html = "<p>=HYPERLINK(&quot;http://evil&quot;)</p>"
    db.session.commit()
    rows = list(csv.reader(io.StringIO(instructor.get(PAGE + ".csv").data.decode("utf-8-sig"))))
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'


def test_retired_questions_and_descriptions_are_left_out(
    app: Flask, client: FlaskClient, make_user
) -> None:
    import_courses(load_catalogue(FIXTURES / "types"))
    db.session.commit()
    target = quiz("types")
    for i, learner in enumerate(learners(6)):
        graded_attempt(
            target,
            learner,
            {
                "weighted": ["a", "b"] if i % 2 else ["c"],
                "short": ["Goniometer" if i < 3 else "protractor"],
                "number": [str(15 + i)],
                "match": ["eff:o1"],
            },
        )
    retired = db.session.execute(db.select(Question).filter_by(key="order")).scalar_one()
    retired.retired = True
    db.session.commit()
    make_user("ada@example.org", "Ada", role="admin")
    AuthActions(client).login("ada@example.org")
    html = client.get("/studio/courses/types-course/quizzes/types/analysis").get_data(as_text=True)
    assert "<dt>Questions</dt><dd>4</dd>" in html  # no description, no retired question
    assert "Case." not in html and "Put Sam" not in html
    assert row(html, 1)[0:4] == [
        "weighted For Sam, which are reasonable? Select all that apply.",
        "Several answers",
        "6",
        "50",
    ]
    # Typed answers: the most frequent, as given.
    short = html.split('id="q-2"')[1].split('id="q-3"')[0]
    assert re.findall(r"<td>([^<]+)</td><td class=\"num\">(\d+)</td>", short) == [
        ("Goniometer", "3"),
        ("protractor", "3"),
    ]
    number = html.split('id="q-3"')[1].split('id="q-4"')[0]
    assert number.count("<tr><td>") == 5  # six different numbers: the top five
    assert "set of pairings" in html.split('id="q-4"')[1]


def test_a_draft_course_is_analysed_too(instructor: FlaskClient) -> None:
    course = db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()
    course.status = "draft"
    db.session.commit()
    html = instructor.get(PAGE).get_data(as_text=True)
    assert "This course is a draft." in html


def test_learners_cannot_see_it_and_anonymous_users_sign_in(
    client: FlaskClient, make_user, imported: None
) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    make_user()
    AuthActions(client).login()
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE + ".csv").status_code == 403
    overview = client.get("/courses/sample-course/quizzes/first-steps").get_data(as_text=True)
    assert "Item analysis" not in overview


def test_the_quiz_overview_links_to_it_for_instructors(instructor: FlaskClient) -> None:
    html = instructor.get("/courses/sample-course/quizzes/first-steps").get_data(as_text=True)
    assert f'href="{PAGE}"' in html
    html = instructor.get("/courses/sample-course/quizzes/first-steps/accommodations").get_data(
        as_text=True
    )
    assert f'href="{PAGE}"' in html


def test_query_count_does_not_grow_with_attempts(instructor: FlaskClient) -> None:
    target = quiz()
    counts = []
    made = 0
    for total in (5, 50):
        for i, learner in enumerate(learners(total - made, prefix=f"l{total}-")):
            graded_attempt(target, learner, RIGHT if i % 3 else WRONG)
        made = total
        db.session.commit()
        for path in (PAGE, PAGE + "?attempts=all", PAGE + ".csv"):
            with count_queries() as statements:
                assert instructor.get(path).status_code == 200
            counts.append(len(statements))
    assert counts[:3] == counts[3:], counts
    # user, course, quiz, questions, choices, mark sums, responses, summary (+ BEGIN on SQLite)
    assert counts[0] <= 9, counts


def test_query_count_does_not_grow_with_questions(app: Flask, instructor: FlaskClient) -> None:
    """The fixture quiz has 3 questions; the types quiz 5 that are analysed (plus a description)."""
    import_courses(load_catalogue(FIXTURES / "types"))
    db.session.commit()
    grant("ivy@example.org", "types-course")
    counts = []
    for key, course in (("first-steps", "sample-course"), ("types", "types-course")):
        graded_attempt(quiz(key), learners(1, prefix=key)[0], {})
        db.session.commit()
        with count_queries() as statements:
            assert (
                instructor.get(f"/studio/courses/{course}/quizzes/{key}/analysis").status_code
                == 200
            )
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_service_refuses_an_unknown_attempt_set(app: Flask, imported: None) -> None:
    from eduapp.quiz.analysis import analyse_quiz

    with pytest.raises(ValueError, match="attempts must be one of"):
        analyse_quiz(quiz(), "best")
