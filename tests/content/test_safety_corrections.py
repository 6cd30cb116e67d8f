"""The six major safety errors of the December 2026 review (issue 11, E-M1 to E-M6) stay fixed
in the shipped catalogue: each check fails if the wrong teaching, or the retired key, returns."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

COURSES = Path(__file__).resolve().parents[2] / "courses"


def _text(relative: str) -> str:
    return (COURSES / relative).read_text(encoding="utf-8")


def _question_ids(relative: str) -> set[str]:
    return {q["id"] for q in yaml.safe_load(_text(relative))["questions"]}


def _references(course: str) -> set[str]:
    return {r["id"] for r in yaml.safe_load(_text(f"{course}/course.yml"))["references"]}


def test_back_red_flags_are_graded_by_urgency_not_refused_wholesale() -> None:
    """E-M1: no 'any flag means no back massage'; cauda equina signs are a same-day emergency."""
    for module in ("massage-pain-rehab/10-safety.md", "ethics-scope/01-scope-of-practice.md"):
        text = _text(module)
        assert "If a client describes any of these, do not treat the back" not in text
        assert "emergency department" in text and "[@girft-ces2023]" in text
        assert "corticosteroid" in text or "steroid" in text
        assert "[@downie2013" in text


def test_suspected_dvt_postpones_the_session_the_same_day() -> None:
    """E-M2: 'no massage of the limb' alone read as 'massage the rest'; the session waits."""
    for module in (
        "massage-pain-rehab/10-safety.md",
        "ethics-scope/01-scope-of-practice.md",
        "massage-safety/03-red-flags.md",
        "massage-safety/04-dvt-anticoagulants.md",
    ):
        text = _text(module)
        assert "suspected DVT means no massage of the limb and referral" not in text
        assert re.search(r"same day|today", text), module
    assert "offer to work elsewhere" not in _text("massage-safety/04-dvt-anticoagulants.quiz.yml")


def test_pregnancy_danger_signs_and_postpartum_risk_are_taught() -> None:
    """E-M3: the pregnancy module used to say it listed no complications."""
    for module in ("massage-safety/06-pregnancy.md", "massage-pain-rehab/10-safety.md"):
        text = _text(module)
        assert "does not list specific pregnancy complications" not in text
        assert "[@cdc-hearher]" in text and "vaginal bleeding" in text
        assert "6 weeks after" in text
    assert "preg-headache-vision-vignette" in _question_ids("massage-safety/06-pregnancy.quiz.yml")


def test_post_operative_cases_check_the_calves() -> None:
    """E-M4: both worked post-op cases skipped DVT screening; the risk list missed surgery."""
    assert "both calves" in _text("massage-safety/02-clinical-reasoning.md")
    risk = _text("massage-safety/04-dvt-anticoagulants.md")
    for factor in ("Recent surgery", "Long journeys", "Oestrogen", "after birth", "thrombophilia"):
        assert factor in risk, factor
    quiz = yaml.safe_load(_text("massage-pain-rehab/10-safety.quiz.yml"))["questions"]
    incision = next(q for q in quiz if q["id"] == "safe-healing-incision-vignette")
    key = next(c["text"] for c in incision["choices"] if c.get("correct"))
    assert "calves" in key


def test_mld_is_not_given_with_heart_failure_infection_or_kidney_failure() -> None:
    """E-M5: the MLD table said 'Heart problems | Modify'."""
    text = _text("massage-techniques/06-lymphatic-drainage.md")
    assert "| Heart problems | Modify" not in text
    for row in ("Heart failure that is not controlled", "cellulitis", "kidney failure"):
        assert row in text, row


def test_texas_trafficking_cap_is_gone_and_its_item_retired() -> None:
    """E-M6: TDLR withdrew the 3-hour cap in April 2021; the item keyed on it is retired."""
    assert "counts up to 3 hours" not in _text("ethics-scope/06-ethics-ce.md")
    ids = _question_ids("ethics-scope/final.quiz.yml")
    assert "final-ce-texas-trafficking-tf" not in ids
    assert "final-ce-texas-trafficking-verify-vignette" in ids
    assert {"tac-117-24", "abmp-texas-withdrawn"} <= _references("ethics-scope")
