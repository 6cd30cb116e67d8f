"""What issue 12 promised learners, read from the shipped catalogue as it is.

A therapist practises from the Techniques course's figures and the worked cases; the
catalogue offers enough honest CE hours for a licence cycle. These hold for the files in
courses/, so removing a figure or a case, or declaring hours the text does not earn, fails.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from eduapp.content.data import CourseData
from tests.conftest import catalogue as shipped

COURSES = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture(scope="module")
def catalogue() -> dict[str, CourseData]:
    return {course.meta.slug: course for course in shipped(COURSES)}


def test_the_published_catalogue_offers_at_least_six_honest_ce_hours(
    catalogue: dict[str, CourseData],
) -> None:
    published = [c for c in catalogue.values() if c.meta.status == "published"]
    assert sum(c.meta.ce_hours for c in published) >= Decimal(6)
    for course in published:
        assert course.meta.ce_hours <= course.supported_ce_hours, course.meta.slug


def test_every_techniques_module_shows_how_with_a_figure(catalogue: dict[str, CourseData]) -> None:
    for module in catalogue["massage-techniques"].modules:
        assert "<figure" in module.body_html, module.slug
        assert "<figcaption>" in module.body_html, module.slug


@pytest.mark.parametrize(
    "slug",
    [
        "ethics-scope",
        "massage-pain-rehab",
        "massage-safety",
        "massage-techniques",
        "special-populations",
        "body-mechanics-documentation",
    ],
)
def test_every_course_has_a_worked_case_with_a_figure_and_a_case_set(
    catalogue: dict[str, CourseData], slug: str
) -> None:
    course = catalogue[slug]
    cases = [m for m in course.modules if m.slug.startswith("worked-case")]
    assert cases, f"{slug} has no worked-case module"
    for module in cases:
        assert "<figure" in module.body_html, module.slug
        text = module.body_html
        for part in ("SOAP", "referr"):
            assert part.lower() in text.lower(), (module.slug, part)
        quiz = next(q for q in course.quizzes if q.key == module.slug)
        types = [q.type for q in quiz.questions]
        assert "description" in types, module.slug
        assert types.index("description") < len(types) - 1, module.slug


@pytest.mark.parametrize("slug", ["special-populations", "body-mechanics-documentation"])
def test_new_courses_have_a_final_pool_of_at_least_thirty(
    catalogue: dict[str, CourseData], slug: str
) -> None:
    final = next(q for q in catalogue[slug].quizzes if q.key == "final")
    assert len([q for q in final.questions if q.type != "description"]) >= 30
