"""One verdict per claim (evidence.yml) and dated, sourced time-bound facts (checked blocks)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from eduapp.content import claims, markdown
from eduapp.content.importer import import_courses
from eduapp.content.loader import ContentError, load_catalogue
from eduapp.extensions import db
from tests.conftest import FIXTURES, AuthActions

SAMPLE = FIXTURES / "courses" / "sample-course"
ROOT = Path(__file__).resolve().parents[2]

REGISTRY = """\
claims:
  massage-lbp-short-term:
    claim: Massage eases chronic low back pain in the short term
    verdict: moderate
    certainty: low
  massage-muscle-blood-flow:
    claim: Massage increases blood flow to the muscles
    verdict: contradicted
"""

REFERENCES = """\
  - id: board
    label: "The Board"
    citation: "State Board of Massage. Renewal rules."
"""


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    folder = tmp_path / "courses"
    shutil.copytree(SAMPLE, folder / "sample-course")
    (folder / "evidence.yml").write_text(REGISTRY)
    course_yml = folder / "sample-course" / "course.yml"
    text = course_yml.read_text()
    assert text.rstrip().endswith('Psychol Bull 2004."')  # references: is the last key
    course_yml.write_text(text + REFERENCES)
    first = folder / "sample-course" / "01-first-steps.md"
    # With a registry, every callout names its claim.
    first.write_text(
        first.read_text().replace("evidence moderate [", "evidence massage-lbp-short-term [")
    )
    return folder


def write_module(catalogue: Path, body: str) -> Path:
    module = catalogue / "sample-course" / "02-second-module.md"
    module.write_text(f"---\ntitle: Second Module\nminutes: 7\n---\n{body}")
    return module


def problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_catalogue(path)
    return [str(p) for p in info.value.problems]


def second_module_html(catalogue: Path) -> str:
    (course,) = load_catalogue(catalogue)
    return next(m for m in course.modules if m.slug == "second-module").body_html


def test_a_callout_shows_the_claim_before_its_verdict_and_certainty(catalogue: Path) -> None:
    write_module(
        catalogue,
        "Text.\n\n::: evidence massage-lbp-short-term [@furlan2015]\n"
        "Trials found less pain for weeks.\n:::\n",
    )
    html = second_module_html(catalogue)
    claim = html.index("Claim: Massage eases chronic low back pain in the short term")
    badge = html.index("Evidence: moderate")
    assert claim < badge
    assert '<aside class="evidence evidence-moderate">' in html
    assert "GRADE certainty: low" in html
    assert '<a class="evidence-scale" href="#evidence-scale"' in html
    assert 'href="#ref-furlan2015"' in html


def test_the_verdict_comes_from_the_registry_not_the_module(catalogue: Path) -> None:
    write_module(
        catalogue,
        "::: evidence massage-muscle-blood-flow [@furlan2015]\nDoppler found no rise.\n:::\n",
    )
    html = second_module_html(catalogue)
    assert "Claim: Massage increases blood flow to the muscles" in html
    assert "Evidence: contradicted" in html
    registry = catalogue / "evidence.yml"
    registry.write_text(registry.read_text().replace("verdict: contradicted", "verdict: weak"))
    assert "Evidence: weak" in second_module_html(catalogue)


def test_an_unregistered_claim_names_the_file_line_and_registry(catalogue: Path) -> None:
    module = write_module(
        catalogue, "Text.\n\n::: evidence massage-cures-all [@furlan2015]\nNo.\n:::\n"
    )
    assert problems(catalogue) == [
        f"{module}:7: claim 'massage-cures-all' is not in {catalogue}/evidence.yml "
        "(add it there with its verdict)"
    ]


def test_a_catalogue_with_a_registry_refuses_a_bare_level(catalogue: Path) -> None:
    module = write_module(catalogue, "::: evidence weak [@furlan2015]\nSmall trials.\n:::\n")
    (found,) = [p for p in problems(catalogue) if p.startswith(str(module))]
    assert found.startswith(f"{module}:5: name the claim this callout grades, not its level 'weak'")


@pytest.mark.parametrize(
    ("registry", "expected"),
    [
        (
            "claims:\n  weak:\n    claim: Something people say about massage\n    verdict: weak\n",
            "evidence.yml:2: claims: 'weak' is an evidence level",
        ),
        (
            "claims:\n  a-claim:\n    claim: Something people say\n    verdict: likely\n",
            "evidence.yml:4: claims.a-claim.verdict: Input should be",
        ),
        (
            "claims:\n  a-claim:\n    claim: Massage helps sleep\n    verdict: weak\n"
            "  b-claim:\n    claim: massage helps  sleep.\n    verdict: moderate\n",
            "evidence.yml:6: claims.b-claim: the same claim as 'a-claim'; use that id",
        ),
    ],
)
def test_registry_mistakes_name_the_line(catalogue: Path, registry: str, expected: str) -> None:
    (catalogue / "evidence.yml").write_text(registry)
    (found,) = problems(catalogue)
    assert expected in found


def test_a_checked_block_shows_its_date_and_source_and_is_not_counted_as_reading(
    catalogue: Path,
) -> None:
    fact = "Therapists renew every two years with twelve hours of continuing education."
    write_module(catalogue, f"::: checked 2026-12-01 [@board]\n{fact}\n:::\n")
    (course,) = load_catalogue(catalogue)
    module = next(m for m in course.modules if m.slug == "second-module")
    assert (
        '<p class="checked-on">Checked on <time datetime="2026-12-01">1 December 2026</time>'
        in (module.body_html)
    )
    assert 'against <a class="cite" href="#ref-board"' in module.body_html
    assert "The Board" in module.body_html
    assert module.word_count == len(fact.split())


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("::: checked 2026-02-30 [@board]", "'2026-02-30' is not a real date (YYYY-MM-DD)"),
        ("::: checked 2026-12-01", "a checked block needs at least one source"),
        ("::: checked 2026-12-01 [@nobody]", "unknown reference id 'nobody'"),
        ("::: checked December 2026 [@board]", "a checked block must read"),
    ],
)
def test_checked_block_mistakes_name_the_line(catalogue: Path, header: str, message: str) -> None:
    module = write_module(catalogue, f"Intro.\n\n{header}\nA rule.\n:::\n")
    (found,) = [p for p in problems(catalogue) if p.startswith(str(module))]
    assert found.startswith(f"{module}:7: ") and message in found


def test_stale_lists_facts_older_than_twelve_months_and_exits_zero(
    runner: FlaskCliRunner, catalogue: Path
) -> None:
    module = write_module(
        catalogue,
        "::: checked 2025-06-01 [@board]\nLicences renew every two years.\n:::\n\n"
        "::: checked 2026-11-01 [@board]\nThe fee is set each year.\n:::\n",
    )
    result = runner.invoke(
        args=["courses", "check", str(catalogue), "--stale", "--as-of", "2026-12-03"]
    )
    assert result.exit_code == 0, result.output
    assert (
        f"stale: {module}:5: checked 2025-06-01 against board: Licences renew every two years."
        in result.output
    )
    assert "The fee" not in result.output
    assert "currency: 1 of 2 checked facts were last checked before 2025-12-03" in result.output
    later = runner.invoke(
        args=["courses", "check", str(catalogue), "--stale", "--as-of", "2027-11-02"]
    )
    assert later.exit_code == 0
    assert "currency: 2 of 2 checked facts" in later.output


def test_stale_is_a_report_not_a_check(runner: FlaskCliRunner, catalogue: Path) -> None:
    write_module(catalogue, "::: checked 2001-01-01 [@board]\nAn old rule.\n:::\n")
    plain = runner.invoke(args=["courses", "check", str(catalogue)])
    assert plain.exit_code == 0, plain.output
    assert "stale:" not in plain.output and "currency:" not in plain.output


def test_a_course_folder_finds_the_registry_of_its_catalogue(catalogue: Path) -> None:
    assert claims.registry_path(catalogue / "sample-course") == catalogue / "evidence.yml"
    assert claims.registry_path(catalogue) == catalogue / "evidence.yml"


def test_the_shipped_registry_loads_and_every_claim_grades_the_claim_itself() -> None:
    registry = claims.load(ROOT / "courses")
    assert len(registry.claims) >= 25
    for claim_id, claim in registry.claims.items():
        first = claim.claim.split()[0].lower()
        assert first not in {"no", "not", "nothing"}, claim_id
        assert " does not " not in claim.claim and " doesn't " not in claim.claim, claim_id


def test_rendering_outside_a_catalogue_keeps_the_bare_level() -> None:
    rendered = markdown.render("::: evidence weak [@a]\nSmall trials.\n:::\n")
    assert '<aside class="evidence evidence-weak">' in rendered.html
    assert "Claim:" not in rendered.html


def test_without_a_registry_a_bare_level_still_loads(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "courses" / "sample-course")
    (course,) = load_catalogue(tmp_path / "courses")
    assert '<aside class="evidence evidence-moderate">' in course.modules[0].body_html


def test_course_page_explains_the_scale_and_module_pages_fold_it_under_their_callouts(
    app: Flask, client: FlaskClient, auth: AuthActions, catalogue: Path
) -> None:
    write_module(
        catalogue,
        "::: evidence massage-lbp-short-term [@furlan2015]\nLess pain for weeks.\n:::\n",
    )
    import_courses(load_catalogue(catalogue))
    db.session.commit()
    auth.signup()
    course = client.get("/courses/sample-course").get_data(as_text=True)
    assert '<section class="evidence-scale" id="evidence-scale"' in course
    assert course.count("How to read the evidence badges") == 1
    for level in ("Strong", "Moderate", "Weak", "Contradicted", "No evidence found"):
        assert f">{level}</span></dt>" in course
    assert "GRADE certainty" in course
    module = client.get("/courses/sample-course/modules/second-module").get_data(as_text=True)
    assert '<details class="evidence-scale" id="evidence-scale">' in module
    assert 'href="#evidence-scale"' in module
    plain = client.get("/courses/sample-course/modules/first-steps")
    plain_html = plain.get_data(as_text=True)
    assert 'id="evidence-scale"' in plain_html


def test_check_warns_about_a_claim_no_module_grades(
    runner: FlaskCliRunner, catalogue: Path
) -> None:
    write_module(catalogue, "::: evidence massage-lbp-short-term [@furlan2015]\nLess pain.\n:::\n")
    result = runner.invoke(args=["courses", "check", str(catalogue)])
    assert result.exit_code == 0, result.output
    assert "claim 'massage-muscle-blood-flow' is graded in no module" in result.output
    assert "'massage-lbp-short-term' is graded in no module" not in result.output
