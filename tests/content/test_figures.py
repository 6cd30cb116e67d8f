"""``courses check`` on figures: each rule, its message and its line; and how they render."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eduapp.content import markdown
from eduapp.content.loader import load_course
from eduapp.figures import inspect
from tests.content.figurekit import FIRST_BODY_LINE, problems, write_course, write_module
from tests.figures.imagekit import SVG, png_claiming, raster, svg

ALT = "Both palms gliding up the back"
GOOD = f'![{ALT}](figures/effleurage.svg "Effleurage: long gliding strokes toward the heart")'
SYNTAX = '![what the figure shows](figures/file.svg "Caption")'
ALONE = f"a figure stands alone on its line, with a blank line before and after it: {SYNTAX}"
NO_ALT = f"every figure needs alt text that says what it shows: {SYNTAX}"
NO_CAPTION = f"every figure needs a caption, in quotes after the path: {SYNTAX}"
SHOW = "say what the figure shows"
EXTERNAL = "put the file in the course's figures/ folder and write figures/NAME"
FOLDER = "the course's figures/ folder"
BOMB = (
    "claims an enormous size in its header (a decompression bomb: a small file that would "
    "take gigabytes of memory to open); it is refused"
)
LINE = FIRST_BODY_LINE + 2  # every body below is "Intro.", "", then the line under test


def body(line: str) -> str:
    return f"Intro.\n\n{line}\n\nMore text."


def test_a_figure_renders_with_size_lazy_loading_alt_and_caption(tmp_path: Path) -> None:
    folder = write_course(tmp_path, body(GOOD), {"figures/effleurage.svg": SVG.encode()})
    course = load_course(folder)
    info = inspect(SVG.encode(), filename="figures/effleurage.svg")
    assert list(course.figures) == ["figures/effleurage.svg"]
    assert course.figures["figures/effleurage.svg"].info == info
    assert course.modules[1].figures == ["figures/effleurage.svg"]
    html = course.modules[1].body_html
    assert (
        f'<figure class="figure"><img src="/figures/{info.sha256}.svg" alt="{ALT}" '
        'width="640" height="400" loading="lazy" decoding="async">'
        "<figcaption>Effleurage: long gliding strokes toward the heart</figcaption></figure>"
    ) in html
    assert "<p><figure" not in html and "<p></p>" not in html
    # The caption is read; the alt text is not counted twice.
    assert course.modules[1].word_count == 1 + 7 + 2


def test_a_figure_shared_by_two_modules_is_one_file(tmp_path: Path) -> None:
    folder = write_course(tmp_path, body(GOOD), {"figures/effleurage.svg": SVG.encode()})
    write_module(folder, body(GOOD), "02-again.md")
    course = load_course(folder)
    assert list(course.figures) == ["figures/effleurage.svg"]
    assert all("<figure" in m.body_html for m in course.modules[1:])


def test_an_image_in_a_code_block_is_text(tmp_path: Path) -> None:
    folder = write_course(tmp_path, "Write it like this:\n\n```\n![](http://x/y.png)\n```\n")
    assert problems(folder) == []


def test_figure_files_may_sit_in_subfolders_of_figures(tmp_path: Path) -> None:
    line = f'![{ALT}](figures/back/effleurage.png "Effleurage")'
    folder = write_course(tmp_path, body(line), {"figures/back/effleurage.png": raster()})
    assert problems(folder) == []


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('![](figures/effleurage.svg "Caption")', NO_ALT),
        ('![   ](figures/effleurage.svg "Caption")', NO_ALT),
        (
            '![Two hands](figures/effleurage.svg "Caption")',
            "alt text 'Two hands' is too short (9 characters): " + SHOW + " in at least 10",
        ),
        (
            '![effleurage.svg](figures/effleurage.svg "Caption")',
            "alt text 'effleurage.svg' repeats the file name; " + SHOW,
        ),
        (
            '![Effleurage](figures/effleurage.svg "Caption")',
            "alt text 'Effleurage' repeats the file name; " + SHOW,
        ),
        (
            '![image](figures/effleurage.svg "Caption")',
            "alt text 'image' is a generic word; " + SHOW,
        ),
        (
            '![Screenshot](figures/effleurage.svg "Caption")',
            "alt text 'Screenshot' is a generic word; " + SHOW,
        ),
        (
            '![An illustration](figures/effleurage.svg "Caption")',
            "alt text 'An illustration' is a generic word; " + SHOW,
        ),
        (
            '![Diagram 2](figures/effleurage.svg "Caption")',
            "alt text 'Diagram 2' is a generic word; " + SHOW,
        ),
        (f"![{ALT}](figures/effleurage.svg)", NO_CAPTION),
        (f'![{ALT}](figures/effleurage.svg " ")', NO_CAPTION),
        (
            f'![{ALT}](figures/missing.svg "Caption")',
            "no such file: figures/missing.svg (in fig-course/)",
        ),
        (
            f'![{ALT}](https://example.org/x.png "Caption")',
            "external images are refused (https://example.org/x.png): " + EXTERNAL,
        ),
        (
            f'![{ALT}](//example.org/x.png "Caption")',
            "external images are refused (//example.org/x.png): " + EXTERNAL,
        ),
        (
            f'![{ALT}](data:image/png;base64,AAAA "Caption")',
            "external images are refused (data:image/png;base64,AAAA): " + EXTERNAL,
        ),
        (
            f'![{ALT}](/etc/x.png "Caption")',
            "/etc/x.png is an absolute path: write it from the course folder, figures/NAME",
        ),
        (
            f'![{ALT}](figures/../course.yml "Caption")',
            "figures/../course.yml leaves the course folder: figures are in " + FOLDER,
        ),
        (
            f'![{ALT}](images/x.png "Caption")',
            "images/x.png is outside figures/: figure files go in " + FOLDER,
        ),
        (
            f'![{ALT}](figures/a%20b.png "Caption")',
            "figures/a%20b.png: name figure files with letters, digits, hyphens, underscores and "
            "dots (no spaces or other characters)",
        ),
        (f"See {GOOD}", ALONE),
        (f"{GOOD} {GOOD}", ALONE),
        (f"- {GOOD}", ALONE),
        (
            f"![{ALT}](figures/effleurage.svg 'Caption')",
            f"write the caption in double quotes: {SYNTAX}",
        ),
        (
            f"![{ALT}](figures/effleurage.svg (Caption))",
            f"write the caption in double quotes: {SYNTAX}",
        ),
    ],
)
def test_each_rule_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    folder = write_course(tmp_path, body(line), {"figures/effleurage.svg": SVG.encode()})
    assert problems(folder) == [f"{folder}/01-strokes.md:{LINE}: {message}"]


def test_a_figure_inside_a_paragraph_is_refused(tmp_path: Path) -> None:
    folder = write_course(
        tmp_path, f"Intro.\nStill the intro:\n{GOOD}\n", {"figures/effleurage.svg": SVG.encode()}
    )
    assert problems(folder) == [f"{folder}/01-strokes.md:{FIRST_BODY_LINE + 2}: {ALONE}"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "effleurage.svg",
            raster("PNG"),
            "figures/effleurage.svg is a PNG file by its content, but its name says 'svg'; "
            "name it .png",
        ),
        (
            "effleurage.svg",
            b"GIF89a" + b"\0" * 20,
            "figures/effleurage.svg is not a PNG, JPEG, WebP or SVG file by its content "
            "(only those four types are accepted)",
        ),
        (
            "effleurage.svg",
            svg("<script>alert(1)</script>"),
            "figures/effleurage.svg: an SVG figure may not contain <script>",
        ),
        (
            "effleurage.png",
            raster("PNG", (4100, 8)),
            "figures/effleurage.png is 4100x8 pixels; a figure may be at most 4096x4096 pixels",
        ),
        ("effleurage.png", png_claiming(12_000, 12_000), "figures/effleurage.png " + BOMB),
    ],
)
def test_bad_files_name_the_line_that_uses_them(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    line = f'![{ALT}](figures/{name} "Caption")'
    folder = write_course(tmp_path, body(line), {f"figures/{name}": data})
    assert problems(folder) == [f"{folder}/01-strokes.md:{LINE}: {message}"]


def test_a_file_over_one_megabyte_is_refused_before_it_is_read(tmp_path: Path) -> None:
    line = f'![{ALT}](figures/big.png "Caption")'
    folder = write_course(tmp_path, body(line), {"figures/big.png": b"\x89PNG" + b"0" * 2**20})
    assert problems(folder) == [
        f"{folder}/01-strokes.md:{LINE}: figures/big.png is 1,048,580 bytes; "
        "a figure may be at most 1 MB (1,048,576 bytes)"
    ]


def test_a_symlink_out_of_figures_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_bytes(SVG.encode())
    line = f'![{ALT}](figures/link.svg "Caption")'
    folder = write_course(tmp_path, body(line))
    os.symlink(secret, folder / "figures" / "link.svg")
    assert problems(folder) == [
        f"{folder}/01-strokes.md:{LINE}: figures/link.svg links outside the course's figures/ "
        "folder"
    ]


def test_quiz_files_show_no_figures(tmp_path: Path) -> None:
    folder = write_course(tmp_path, "Text.")
    (folder / "01-strokes.quiz.yml").write_text(
        "title: Q\nquestions:\n  - id: q1\n    type: true_false\n"
        f"    prompt: 'Look: {GOOD}'\n    answer: true\n"
    )
    assert f"{folder}/01-strokes.quiz.yml:5: figures go in module text, not in quiz files" in (
        problems(folder)
    )


def test_the_figures_folder_is_not_an_unexpected_file(tmp_path: Path) -> None:
    folder = write_course(tmp_path, "Text.", {"figures/unused.png": raster()})
    assert problems(folder) == []


def test_sanitiser_keeps_only_stored_figure_sources() -> None:
    figure = "/figures/" + "a" * 64 + ".png"
    kept = markdown.sanitize(
        f'<img src="{figure}" alt="Hands" width="10" height="20" loading="lazy" '
        'decoding="async" title="t" onerror="x" class="c" style="s">'
    )
    assert kept == (
        f'<img src="{figure}" alt="Hands" width="10" height="20" loading="lazy" decoding="async">'
    )
    for src in (
        "https://example.org/a.png",
        "//example.org/a.png",
        "data:image/png;base64,AAAA",
        "/static/app.css",
        "/figures/" + "a" * 63 + ".png",
        "/figures/" + "A" * 64 + ".png",
        figure + "?x=1",
        "/figures/" + "a" * 64 + ".gif",
        "javascript:alert(1)",
    ):
        assert markdown.sanitize(f'<img src="{src}" alt="x">') == '<img alt="x">', src
    assert markdown.sanitize('<img src="/x" width="-1" loading="eager">') == "<img>"


def test_markdown_images_without_a_stored_figure_render_as_their_alt_text() -> None:
    rendered = markdown.render("![A chart of pain scores](https://example.org/chart.png)")
    assert rendered.html == "<p>A chart of pain scores</p>\n"


def test_a_caption_is_markdown_and_may_cite_its_source(tmp_path: Path) -> None:
    line = f'![{ALT}](figures/effleurage.svg "Effleurage, *both* palms [@furlan2015]")'
    folder = write_course(tmp_path, body(line), {"figures/effleurage.svg": SVG.encode()})
    module = load_course(folder).modules[1]
    assert (
        '<figcaption>Effleurage, <em>both</em> palms <span class="citation">(<a class="cite" '
        'href="#ref-furlan2015" rel="noopener noreferrer">Furlan 2015</a>)</span></figcaption>'
    ) in module.body_html
    assert module.cited == ["furlan2015"]
    unknown = line.replace("furlan2015", "nobody2020")
    write_module(folder, body(unknown))
    assert problems(folder) == [
        f"{folder}/01-strokes.md:{LINE}: unknown reference id 'nobody2020' "
        "(add it to course.yml references)"
    ]


def test_a_figure_may_follow_a_heading_and_close_a_block(tmp_path: Path) -> None:
    text = (
        f"## Effleurage\n{GOOD}\n## Petrissage\n\nText.\n\n"
        f"::: checked 2026-11-20 [@furlan2015]\nRules.\n\n{GOOD}\n:::"
    )
    folder = write_course(tmp_path, text, {"figures/effleurage.svg": SVG.encode()})
    assert problems(folder) == []
    assert load_course(folder).modules[1].body_html.count('<figure class="figure">') == 2


def test_an_indented_figure_is_code_and_refused(tmp_path: Path) -> None:
    folder = write_course(tmp_path, body(f"    {GOOD}"), {"figures/effleurage.svg": SVG.encode()})
    assert problems(folder) == [f"{folder}/01-strokes.md:{LINE}: {ALONE}"]
