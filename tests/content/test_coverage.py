"""Course 1 teaches every topic of the founding article (its coverage map names them all)."""

from __future__ import annotations

from tests.content.test_catalogue import CATALOGUE

FOUNDING_ARTICLE_TOPICS = {
    "healing-touch",
    "pain",
    "circulation",
    "stress",
    "injury-recovery",
    "range-of-motion",
    "posture",
    "complementary",
    "individualised",
    "safety",
}


def test_course_one_covers_every_topic_of_the_founding_article() -> None:
    course = next(c for c in CATALOGUE if c.meta.slug == "massage-pain-rehab")
    assert set(course.meta.coverage) == FOUNDING_ARTICLE_TOPICS
