"""The CE rule packs in ``ce-rules/``: they load, and key facts from the sources hold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from eduapp.ce.rulefile import RulePackFile, RuleVersion, load_packs

RULES = Path(__file__).resolve().parents[2] / "ce-rules"

TOPICS = {
    "ethics",
    "laws-and-rules",
    "medical-errors",
    "human-trafficking",
    "self-care",
    "domestic-violence",
    "health-equity",
    "hands-on",
    "cpr-first-aid",
}


@pytest.fixture(scope="module")
def packs() -> dict[str, RulePackFile]:
    return {pack.id: pack for pack in load_packs(RULES)}


def by_id(version: RuleVersion, requirement_id: str):
    return next(r for r in version.requirements if r.id == requirement_id)


def by_topic(version: RuleVersion) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    return {r.topic: (r.min, r.max) for r in version.requirements if r.topic}


def test_all_six_packs_load(packs):
    assert set(packs) == {"ncbtmb", "florida", "texas", "new-york", "illinois", "washington"}
    assert {p.jurisdiction for p in packs.values()} == {"US", "FL", "TX", "NY", "IL", "WA"}
    for pack in packs.values():
        assert pack.reviewed_on == date(2026, 11, 24)
        assert pack.sources


def test_topics_are_shared_slugs(packs):
    for pack in packs.values():
        for version in pack.versions:
            for requirement in version.requirements:
                if requirement.topic is not None:
                    assert requirement.topic in TOPICS, (pack.id, requirement.topic)


def test_only_ncbtmb_lists_ncbtmb(packs):
    # No state source says NCBTMB-approved courses count toward its licence.
    assert packs["ncbtmb"].approving_bodies == ["NCBTMB"]
    for pack_id, pack in packs.items():
        if pack_id != "ncbtmb":
            assert "NCBTMB" not in pack.approving_bodies


def test_ncbtmb(packs):
    (version,) = packs["ncbtmb"].versions
    assert version.cycle.months == 24 and version.cycle.anchor == "licence"
    assert version.total_hours == 24
    assert by_topic(version) == {"ethics": (3, None), "self-care": (None, 4)}
    assert "late" in version.not_modelled and "background check" in version.not_modelled


def test_florida(packs):
    (version,) = packs["florida"].versions
    cycle = version.cycle
    assert (cycle.anchor, cycle.month_day, cycle.years, cycle.months) == (
        "fixed",
        "08-31",
        "odd",
        24,
    )
    assert version.total_hours == 24
    assert by_topic(version) == {
        "medical-errors": (2, None),
        "laws-and-rules": (2, None),
        "ethics": (2, None),
        "human-trafficking": (1, None),
    }
    live = by_id(version, "live")
    assert live.delivery == ["live"] and live.min == 12 and live.max is None
    assert "first renewal" in version.not_modelled and "CE Broker" in version.not_modelled


def test_texas(packs):
    (version,) = packs["texas"].versions
    assert version.cycle.months == 24 and version.cycle.anchor == "licence"
    assert version.total_hours == 12
    # TDLR withdrew the 3-hour cap in April 2021 (review E-M6): the course has no maximum.
    assert by_topic(version) == {"human-trafficking": (1, None), "cpr-first-aid": (None, 6)}
    assert "HHSC" in version.not_modelled and "withdrew" in version.not_modelled


def test_new_york(packs):
    (version,) = packs["new-york"].versions
    assert version.cycle.months == 36 and version.cycle.anchor == "licence"
    assert version.total_hours == 36
    self_instruction = by_id(version, "self-instruction")
    assert self_instruction.delivery == ["home-study"] and self_instruction.max == 12
    assert "first triennial" in version.not_modelled


def test_illinois_has_two_versions(packs):
    old, new = packs["illinois"].versions
    assert new.effective_from == date(2024, 1, 1) and old.effective_from < new.effective_from
    for version in (old, new):
        cycle = version.cycle
        assert (cycle.anchor, cycle.month_day, cycle.years, cycle.months) == (
            "fixed",
            "12-31",
            "even",
            24,
        )
    assert old.total_hours == 24 and by_topic(old) == {"ethics": (2, None)}
    assert new.total_hours == 25
    assert by_topic(new) == {"ethics": (2, None), "domestic-violence": (1, None)}


def test_washington_health_equity_from_2024(packs):
    old, new = packs["washington"].versions
    assert new.effective_from == date(2024, 1, 1) and old.effective_from < new.effective_from
    assert old.total_hours == new.total_hours == 24
    assert old.requirements == []
    assert by_topic(new) == {"health-equity": (2, None)}
    # The secondary-source sub-requirements are reported, not encoded.
    for version in (old, new):
        assert "unverified" in version.not_modelled
        assert not {"hands-on", "cpr-first-aid"} & set(by_topic(version))
