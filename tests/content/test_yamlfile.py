"""Course files parse the same with libyaml as with PyYAML's pure-Python loader: the same data,
the same lines for every node, the same refusals with the same messages. libyaml is there for
speed only; where the two loaders differ, the pure-Python one decides."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from eduapp.content import yamlfile
from eduapp.content.yamlfile import ContentError, parse

ROOT = Path(__file__).resolve().parents[2]
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---", re.S)


def shipped_texts() -> list[tuple[str, str]]:
    """Every YAML text the app parses from the repository: course, quiz, evidence and rule
    files, and the front matter of every module."""
    texts = []
    for folder in ("courses", "ce-rules", "tests/fixtures"):
        for path in sorted((ROOT / folder).rglob("*")):
            name = path.relative_to(ROOT).as_posix()
            if path.suffix == ".yml":
                texts.append((name, path.read_text(encoding="utf-8")))
            elif path.suffix == ".md" and (match := FRONT_MATTER.match(path.read_text("utf-8"))):
                texts.append((name, match.group(1)))
    return texts


def lines(node: yaml.Node | None) -> Any:
    if node is None:
        return None
    if isinstance(node, yaml.MappingNode):
        return [node.start_mark.line, [(lines(k), lines(v)) for k, v in node.value]]
    if isinstance(node, yaml.SequenceNode):
        return [node.start_mark.line, [lines(item) for item in node.value]]
    return node.start_mark.line


def outcome(text: str) -> tuple[Any, ...]:
    try:
        data, node = parse(text, "f.yml")
    except ContentError as error:
        return ("refused", str(error))
    except Exception as error:  # compared, not hidden: both loaders must agree on it
        return ("raised", type(error).__name__, str(error))
    return ("parsed", repr(data), lines(node))


def pure_outcome(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...]:
    with monkeypatch.context() as patch:
        patch.setattr(yamlfile, "FastTextDateLoader", yamlfile.TextDateLoader)
        return outcome(text)


def test_every_file_in_the_repository_parses_alike_and_quickly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = shipped_texts()
    assert len(texts) > 100
    for name, text in texts:
        assert outcome(text) == pure_outcome(text, monkeypatch), name
    # The speed is real: nearly every shipped file goes through libyaml.
    fast = [name for name, text in texts if not yamlfile.LOADERS_DIFFER.search(text)]
    assert len(fast) > 0.9 * len(texts)


PIECES = st.sampled_from(
    [
        *("a", "b", "é", "\U0001f600", "\u00a0", "1e3", "0x1F", "~", "yes", "2026-02-30"),
        *(":", " ", "  ", "\n", "\r\n", "- ", "-", "[", "]", "{", "}", ",", "#", " #c"),
        *("?", "? ", "!", "!!str ", "!x ", "'", '"', "|", ">", "&x ", "*x", "<<: *x", "\\"),
        *("%", "%YAML 1.1\n", "---", "...", "\t", "\x85", "\u2028", "\ufeff", "\x00", "@"),
        *("key: value\n", "  - item\n"),
    ]
)


@given(st.lists(PIECES, max_size=40).map("".join))
@example("a\t")  # a trailing tab: libyaml allows it, PyYAML refuses it
@example("? a")  # an explicit key: libyaml puts its empty value a line further down
@example("a: !")  # a bare tag: libyaml reads "", PyYAML None
@example("a: >#")  # a comment glued to a block scalar's header: libyaml allows it
@example("---")  # an empty document
def test_any_text_parses_alike_with_and_without_libyaml(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert outcome(text) == pure_outcome(text, monkeypatch)
