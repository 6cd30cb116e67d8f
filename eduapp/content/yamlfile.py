"""YAML with line numbers, so every error in a course file can say where it is."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml
from pydantic import ValidationError


class Problem:
    """One thing wrong with a course file, located by file and line."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file, self.line, self.message = file, line, message

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.message}"
            if self.line
            else f"{self.file}: {self.message}"
        )


class ContentError(Exception):
    """One or more problems; loading stops and nothing is written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class TextDateLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, for the schema to check and place by line.

    PyYAML's own date parsing raises a bare ``ValueError`` on 2026-02-30, with no line.
    """


TextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# The same loader over libyaml, about ten times faster: a catalogue's quizzes are thousands of
# lines, and every import, check and studio save parses them. PyYAML without libyaml falls
# back to the pure-Python loader.
FastTextDateLoader: type = TextDateLoader
if getattr(yaml, "CSafeLoader", None) is not None:

    class FastTextDateLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        yaml_implicit_resolvers = TextDateLoader.yaml_implicit_resolvers


# Where the two loaders are known to part ways, the pure-Python one alone decides, as it always
# has: tabs (refused by PyYAML, allowed by libyaml), a bare "!" tag, an explicit "? " key, and
# the line breaks and byte-order mark Unicode adds. Course files seldom hold any of them.
LOADERS_DIFFER = re.compile(r"[\t\x85\u2028\u2029\ufeff!]|[|>][-+0-9]*#|(?:^|[\s\[{,])\?(?:\s|$)")


def parse(text: str, file: str, first_line: int = 1) -> tuple[Any, yaml.Node | None]:
    """Parse YAML, returning the data and its node tree (for line lookups).

    ``first_line`` is the file line the text starts on (front matter starts on line 2).
    Text libyaml finds fault with is parsed again by the pure-Python loader, so that what is
    refused, and the message and line that say why, are the same with or without libyaml.
    """
    if FastTextDateLoader is not TextDateLoader and not LOADERS_DIFFER.search(text):
        try:
            node = yaml.compose(text, Loader=FastTextDateLoader)
            if not _has_empty_value(node):  # libyaml may place those a line further down
                _refuse_duplicate_keys(node, file, first_line)
                return yaml.load(text, Loader=FastTextDateLoader), node
        except (yaml.YAMLError, ContentError, ValueError, OverflowError):
            pass  # the loader below says what is wrong, as it always has
    try:
        node = yaml.compose(text, Loader=TextDateLoader)
        _refuse_duplicate_keys(node, file, first_line)
        data = yaml.load(text, Loader=TextDateLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        raise ContentError(
            [Problem(file, line, f"invalid YAML: {error.problem or error}")]
        ) from None
    except (ValueError, OverflowError) as error:  # an explicit !!timestamp or !!float tag
        raise ContentError([Problem(file, None, f"invalid YAML: {error}")]) from None
    return data, node


def _has_empty_value(node: yaml.Node | None) -> bool:
    stack = [node]
    while stack:
        item = stack.pop()
        if item is None:
            return True
        if isinstance(item, yaml.ScalarNode) and not item.style and not item.value:
            return True
        if isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)
        elif isinstance(item, yaml.MappingNode):
            stack.extend(part for pair in item.value for part in pair)
    return False


def _refuse_duplicate_keys(node: yaml.Node | None, file: str, first_line: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                line = key.start_mark.line + first_line
                raise ContentError([Problem(file, line, f"key {key.value!r} appears twice")])
            seen.add(key.value)
            _refuse_duplicate_keys(value, file, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_duplicate_keys(item, file, first_line)


def line_of(node: yaml.Node | None, loc: Sequence[str | int], first_line: int = 1) -> int:
    """The line of the deepest node along ``loc`` that exists.

    A missing key points at its parent, which is where it should be added.
    """
    line = (node.start_mark.line if node is not None else 0) + first_line
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
        line = node.start_mark.line + first_line
    return line


def problems_from(
    error: ValidationError, file: str, node: yaml.Node | None, first_line: int = 1
) -> list[Problem]:
    """Turn pydantic's errors into located, readable problems."""
    problems = []
    for item in error.errors():
        loc = [p for p in item["loc"] if isinstance(p, (str, int))]
        where = ".".join(str(p) for p in loc)
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key (check its spelling)"
        elif item["type"] == "missing":
            message = "is required"
        problems.append(
            Problem(
                file, line_of(node, loc, first_line), f"{where}: {message}" if where else message
            )
        )
    return problems
