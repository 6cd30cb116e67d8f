"""Checks of the figures a module shows: each problem names its file and line.

A figure is written alone in its paragraph, ``![alt text](figures/file.svg "Caption")``, its
file in the course folder's ``figures/``. The alt text must say what the figure shows (a
screen-reader user gets nothing else), every figure has a caption, and the file must be a
figure by its content (``eduapp.figures.inspect``). External images are refused: a course
must work offline and must not tell another site who is reading it.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from ..figures.inspect import MAX_BYTES, FigureError, inspect
from .data import FigureFile
from .yamlfile import Problem

FIGURES_DIR = "figures"
# Any image, anywhere on a line: ![alt](target ...
IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^\s)>]*)")
# An image that is a whole line: ![alt](path "Caption"); the caption is optional here so that
# its absence gets its own message.
FIGURE_LINE = re.compile(r'!\[(?P<alt>[^\]]*)\]\((?P<path>[^\s)]+)(?:\s+"(?P<title>[^"]*)")?\)')
SAFE_PATH = re.compile(r"figures/(?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# Lines that end a paragraph before or after a figure: blank, an ATX heading, a ::: marker.
BREAK = re.compile(r"^\s*$|^\s{0,3}(?:#{1,6}(?:\s|$)|:::)")
MIN_ALT = 10
GENERIC = {
    "image",
    "images",
    "img",
    "picture",
    "pic",
    "photo",
    "photograph",
    "figure",
    "fig",
    "diagram",
    "graphic",
    "graphics",
    "screenshot",
    "illustration",
    "drawing",
    "chart",
    "graph",
    "icon",
    "placeholder",
    "alt",
    "alt text",
}
FILLER = {"a", "an", "the", "this", "of", "see", "here", "below", "above", "shown"}
SYNTAX = '![what the figure shows](figures/file.svg "Caption")'


def check_module(
    body: str,
    file: str,
    first_line: int,
    folder: Path | None,
    figures: dict[str, FigureFile | Problem],
) -> tuple[list[Problem], dict[str, FigureFile]]:
    """Check every image in a module's body; return the problems and the module's figures.

    ``figures`` is the course's cache by path, so a figure two modules share is read once
    (its file problem, if any, is reported once per line that uses it). Without a ``folder``
    (the studio's preview: the course's figures are stored, not files) a path the cache does
    not hold is a missing figure.
    """
    problems: list[Problem] = []
    used: dict[str, FigureFile] = {}
    lines = body.splitlines()
    in_fence = False
    for offset, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        lineno = first_line + offset
        match = IMAGE.search(line)
        if match is None:
            continue
        whole = FIGURE_LINE.fullmatch(line.strip())
        alone = (
            whole is not None
            and not line.startswith(("    ", "\t"))  # indented: a code block, not a figure
            and (offset == 0 or BREAK.match(lines[offset - 1]) is not None)
            and (offset + 1 == len(lines) or BREAK.match(lines[offset + 1]) is not None)
        )
        stripped = line.strip()
        one_image = stripped.startswith("![") and len(IMAGE.findall(stripped)) == 1
        if whole is None and one_image and stripped.endswith(")"):
            problems.append(Problem(file, lineno, f"write the caption in double quotes: {SYNTAX}"))
            continue
        if not alone or whole is None:
            problems.append(
                Problem(
                    file,
                    lineno,
                    "a figure stands alone on its line, with a blank line before and after "
                    f"it: {SYNTAX}",
                )
            )
            continue
        path = whole.group("path")
        found = _line_problems(whole.group("alt"), path, whole.group("title"), file, lineno)
        if found:
            problems += found
            continue
        if path in figures:
            result = figures[path]
        elif folder is None:
            result = Problem(
                file, lineno, f"no such figure: {path} (upload it to the course's figures first)"
            )
        else:
            result = figures[path] = _read(folder, path, file, lineno)
        if isinstance(result, Problem):
            problems.append(Problem(file, lineno, result.message))
        else:
            used[path] = result
    return problems, used


def _line_problems(alt: str, path: str, title: str | None, file: str, lineno: int) -> list[Problem]:
    problems = [Problem(file, lineno, m) for m in (_path_problem(path), _alt_problem(alt, path))]
    if title is None or not title.strip():
        problems.append(
            Problem(
                file,
                lineno,
                f"every figure needs a caption, in quotes after the path: {SYNTAX}",
            )
        )
    return [p for p in problems if p.message]


def _path_problem(path: str) -> str:
    lowered = path.lower()
    if "://" in path or path.startswith("//") or lowered.startswith(("data:", "mailto:")):
        return (
            f"external images are refused ({path[:60]}): put the file in the course's "
            "figures/ folder and write figures/NAME"
        )
    if path.startswith("/"):
        return f"{path} is an absolute path: write it from the course folder, figures/NAME"
    if ".." in PurePosixPath(path).parts:
        return f"{path} leaves the course folder: figures are in the course's figures/ folder"
    if not path.startswith(f"{FIGURES_DIR}/"):
        return f"{path} is outside figures/: figure files go in the course's figures/ folder"
    if not SAFE_PATH.fullmatch(path):
        return (
            f"{path}: name figure files with letters, digits, hyphens, underscores and dots "
            "(no spaces or other characters)"
        )
    return ""


def _alt_problem(alt: str, path: str) -> str:
    text = alt.strip()
    if not text:
        return f"every figure needs alt text that says what it shows: {SYNTAX}"
    name = PurePosixPath(path).name.lower()
    stem = PurePosixPath(path).stem.lower()
    if text.lower() in (name, stem, stem.replace("-", " ").replace("_", " ")):
        return f"alt text {text!r} repeats the file name; say what the figure shows"
    words = [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]
    if not words or all(w in GENERIC or w in FILLER or w.isdigit() for w in words):
        return f"alt text {text!r} is a generic word; say what the figure shows"
    if len(text) < MIN_ALT:
        return (
            f"alt text {text!r} is too short ({len(text)} characters): say what the figure "
            f"shows in at least {MIN_ALT}"
        )
    return ""


def _read(folder: Path, path: str, file: str, lineno: int) -> FigureFile | Problem:
    """Read and inspect one figure file, refusing a symlink that leads out of figures/."""
    target = folder / path
    base = (folder / FIGURES_DIR).resolve()
    if not target.is_file():
        return Problem(file, lineno, f"no such file: {path} (in {folder.name}/)")
    if not target.resolve().is_relative_to(base):
        return Problem(file, lineno, f"{path} links outside the course's figures/ folder")
    size = target.stat().st_size
    if size > MAX_BYTES:
        return Problem(
            file,
            lineno,
            f"{path} is {size:,} bytes; a figure may be at most 1 MB ({MAX_BYTES:,} bytes)",
        )
    data = target.read_bytes()
    try:
        info = inspect(data, filename=path)
    except FigureError as error:
        return Problem(file, lineno, str(error))
    return FigureFile(path=path, data=data, info=info)


def refuse_images(text: str, file: str, first_line: int) -> list[Problem]:
    """Quiz text shows no figures (a figure belongs to the module that teaches it)."""
    return [
        Problem(file, first_line + offset, "figures go in module text, not in quiz files")
        for offset, line in enumerate(text.splitlines())
        if IMAGE.search(line)
    ]
