"""Every shipped course grades evidence through evidence.yml.

Review 2026-12 found the same study badged three ways (S2), callouts whose badge graded the
refutation rather than the claim (S1), and "as of November 2026" asserted without a check
(S3). These tests read the shipped files as they are, so a callout that loses its claim, a
study graded under a second claim, or an undated currency phrase fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from eduapp.content import claims
from eduapp.content.fields import EVIDENCE_LEVELS
from eduapp.content.markdown import EVIDENCE_INFO

COURSES = Path(__file__).resolve().parents[2] / "courses"
CONVERTED = sorted(p.parent.name for p in COURSES.glob("*/course.yml"))
MENTION = re.compile(r"founding article|the article (this series|that inspired)", re.I)
# The courses that speak of the founding article at all (the first three do).
MENTIONING = [
    course
    for course in CONVERTED
    if any(MENTION.search(p.read_text(encoding="utf-8")) for p in (COURSES / course).glob("*.md"))
]
ARTICLE_TITLE = "The Function of Massage in Pain Management and Rehabilitation"
# One study, one verdict (S2): the claims each of these studies may be graded under.
ONE_VERDICT = {
    "cherkin2011": {"structural-beats-relaxation-massage", "deeper-pressure-works-better"},
    "cambron2007": {"massage-minor-side-effects-common"},
}


def _modules(course: str) -> list[Path]:
    return sorted((COURSES / course).glob("[0-9][0-9]-*.md"))


def _callouts(course: str) -> list[tuple[Path, int, str, list[str]]]:
    """Every evidence callout: (file, line, claim id, cited ids)."""
    found = []
    for path in _modules(course):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if not stripped.startswith("::: evidence"):
                continue
            match = EVIDENCE_INFO.match(stripped[3:].strip())
            assert match, f"{path.name}:{number}: unreadable evidence callout {stripped!r}"
            cited = re.findall(r"@([\w-]+)", match.group(2) or "")
            found.append((path, number, match.group(1), cited))
    return found


@pytest.fixture(scope="module")
def registry() -> claims.Registry:
    return claims.load(COURSES)


@pytest.mark.parametrize("course", CONVERTED)
def test_every_callout_names_a_registered_claim(course: str, registry: claims.Registry) -> None:
    callouts = _callouts(course)
    assert callouts, f"{course} has no evidence callouts"
    for path, number, claim_id, _ in callouts:
        where = f"{course}/{path.name}:{number}"
        assert claim_id not in EVIDENCE_LEVELS, f"{where}: names a bare level, not a claim"
        assert claim_id in registry.claims, f"{where}: claim {claim_id!r} not in evidence.yml"


@pytest.mark.parametrize("course", CONVERTED)
def test_a_study_is_graded_under_one_claim_only(course: str) -> None:
    for path, number, claim_id, cited in _callouts(course):
        for study, allowed in ONE_VERDICT.items():
            if study in cited:
                assert claim_id in allowed, (
                    f"{course}/{path.name}:{number}: {study} graded under {claim_id!r}"
                )


def test_dense_fascia_model_is_never_graded_contradicted(registry: claims.Registry) -> None:
    """Review E-m3: one mathematical model is indirect evidence, not a refutation."""
    for course in CONVERTED:
        for path, number, claim_id, cited in _callouts(course):
            if cited == ["chaudhry2008"]:
                verdict = registry.claims[claim_id].verdict
                assert verdict != "contradicted", f"{course}/{path.name}:{number}"


@pytest.mark.parametrize("course", CONVERTED)
def test_no_module_or_quiz_asserts_an_unchecked_date(course: str) -> None:
    for path in sorted((COURSES / course).glob("*")):
        if path.suffix in {".md", ".yml"}:
            text = path.read_text(encoding="utf-8").lower()
            assert "as of november 2026" not in text, f"{course}/{path.name}"


def test_the_courses_that_started_from_the_article_say_so() -> None:
    assert {"ethics-scope", "massage-pain-rehab", "massage-safety"} <= set(MENTIONING)


@pytest.mark.parametrize("course", MENTIONING)
def test_the_founding_article_is_introduced_where_it_first_appears(course: str) -> None:
    """A learner who meets "the founding article" is told what it is, in that module."""
    first = next(p for p in _modules(course) if MENTION.search(p.read_text(encoding="utf-8")))
    text = first.read_text(encoding="utf-8")
    assert ARTICLE_TITLE in text, f"{course}/{first.name} names the article but not what it is"
    assert "pain-free life" in text, f"{course}/{first.name} does not say what the article claimed"


def test_pain_rehab_final_has_feedback_for_every_choice() -> None:
    data = yaml.safe_load((COURSES / "massage-pain-rehab" / "final.quiz.yml").read_text("utf-8"))
    for question in data["questions"]:
        if question["type"] in {"single", "multiple"}:
            for choice in question["choices"]:
                assert choice.get("feedback"), f"{question['id']} choice {choice['id']}"
        elif question["type"] == "true_false":
            assert question.get("feedback_true"), question["id"]
            assert question.get("feedback_false"), question["id"]
