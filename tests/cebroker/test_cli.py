"""``flask cebroker roster``: the page's roster, written to a file; bad input named."""
# ruff: noqa: F401, F811 (the world and packs fixtures are imported, then requested by name)

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import load_workbook

from tests.cebroker.test_rosters import mark, world
from tests.clinics.test_clinics import packs


def test_the_command_writes_the_unreported_roster(
    world, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    client, course, _, certificates, _ = world
    mark(client, course, str(certificates["flo"].id))
    out = tmp_path / "roster.xlsx"
    args = ["cebroker", "roster", course.slug, "--from", "2026-10-01", "--to", "2026-11-24"]
    result = runner.invoke(args=[*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 completions to report (1 not reportable, 1 already reported)" in result.output
    sheet = load_workbook(io.BytesIO(out.read_bytes())).active
    assert [[c.value for c in row][:5] for row in sheet.iter_rows()] == [
        ["4242", "777001", None, None, "MA1001"]
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["sample-course", "--from", "2026-11-02", "--to", "2026-11-01"],
            "must not be before --from",
        ),
        (["sample-course", "--from", "2026-02-30", "--to", "2026-11-01"], "--from"),
        (
            ["no-such-course", "--from", "2026-11-01", "--to", "2026-11-02"],
            "no-such-course: no such course",
        ),
    ],
)
def test_bad_input_is_named(
    world, runner: FlaskCliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(args=["cebroker", "roster", *args, "-o", str(out)])
    assert result.exit_code != 0 and message in result.output
    assert not out.exists()


def test_without_a_provider_number_nothing_is_written(
    world,
    app: Flask,
    runner: FlaskCliRunner,
    tmp_path: Path,
    monkeypatch,
) -> None:
    monkeypatch.setitem(app.config, "CEBROKER_PROVIDER", "")
    out = tmp_path / "r.xlsx"
    args = ["cebroker", "roster", "sample-course", "--from", "2026-10-01", "--to", "2026-11-24"]
    result = runner.invoke(args=[*args, "-o", str(out)])
    assert result.exit_code != 0 and "EDUAPP_CEBROKER_PROVIDER is not set" in result.output
    assert not out.exists()
