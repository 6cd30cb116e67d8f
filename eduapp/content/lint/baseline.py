"""The committed list of lint findings accepted while the pools are rewritten.

``flask courses check`` fails only on error findings missing from it, so CI stays green
while each rewrite removes its entries; entries that are no longer found are reported so
that they are removed too. Findings are keyed by course, quiz, question id and rule, never by
line, so editing a file around a finding does not unsettle it.

The file reads, one finding per line so that a rewrite's diff shows what it fixed::

    massage-safety:
      final:
        key-longest-rate:
        - '*'
        key-length:
        - final-rp-new-therapist-vignette
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import Finding

FILE_NAME = "lint-baseline.yml"
HEADER = """\
# Item-writing lint findings accepted on the day the lint landed (issue 11), so that CI stays
# green while the quiz pools are rewritten. Each rewrite removes the entries it fixes; the
# issue is done when this file is empty and deleted. `flask courses check` reports entries
# that are no longer found. Regenerate only by hand: flask courses check --write-baseline
"""

Key = tuple[str, str, str, str]


def default_path(path: Path) -> Path:
    """Beside the course folders: in the catalogue folder, or above a single course folder."""
    folder = path.parent if (path / "course.yml").is_file() else path
    return folder / FILE_NAME


class BaselineError(ValueError):
    """The baseline file is not what ``write`` produces."""


def read(path: Path) -> set[Key]:
    """The accepted finding keys; a missing file accepts nothing."""
    if not path.is_file():
        return set()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    keys: set[Key] = set()
    try:
        for course, quizzes in data.items():
            for quiz, rules in quizzes.items():
                for rule, questions in rules.items():
                    keys.update((str(course), str(quiz), str(q), str(rule)) for q in questions)
    except (AttributeError, TypeError):
        raise BaselineError(
            f"{path}: expected course: quiz: rule: [question ids]; "
            "regenerate it with flask courses check --write-baseline"
        ) from None
    return keys


def render(keys: Iterable[Key]) -> str:
    tree: dict[str, dict[str, dict[str, list[str]]]] = {}
    for course, quiz, question, rule in sorted(set(keys)):
        tree.setdefault(course, {}).setdefault(quiz, {}).setdefault(rule, []).append(question)
    if not tree:
        return HEADER
    return HEADER + yaml.safe_dump(tree, sort_keys=True, default_flow_style=False, width=100)


def write(path: Path, findings: Iterable[Finding]) -> None:
    path.write_text(render(f.key for f in findings), encoding="utf-8")


@dataclass
class Comparison:
    new: list[Finding]  # not in the baseline: printed in full
    known: list[Finding]  # in the baseline: counted
    stale: list[Key]  # in the baseline but no longer found: to be removed

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.new if f.severity == "error"]


def compare(findings: list[Finding], accepted: set[Key], courses: set[str]) -> Comparison:
    """Split findings by the baseline. Only entries for the courses checked can be stale, so
    checking one course folder does not call the rest of the baseline stale."""
    found = {f.key for f in findings}
    return Comparison(
        new=[f for f in findings if f.key not in accepted],
        known=[f for f in findings if f.key in accepted],
        stale=sorted(k for k in accepted - found if k[0] in courses),
    )
