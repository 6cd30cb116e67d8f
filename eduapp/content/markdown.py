"""Markdown to safe HTML, once, at import or save time; never per request.

markdown-it-py's ``js-default`` preset (raw HTML off), our extensions (the evidence callout of
DESIGN §2, the dated ``checked`` block, the ``keypoint`` summary that spaced review offers,
``[@id]`` citations, and figures: an image alone in its paragraph becomes a ``<figure>`` when
the course stored it), then nh3 with an allow-list that adds only their classes (and a key
point's ``kpN`` id) to its defaults and lets an ``<img>`` through only with a stored figure's
address.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin

from ..figures.inspect import FigureInfo
from . import claims
from .keypoints import KEYPOINT_ID, render_keypoint, validate_keypoint
from .schema import EVIDENCE_LEVELS

CITATION_GROUP = re.compile(r"\[(@[a-z0-9-]+(?:\s*;\s*@[a-z0-9-]+)*)\]")
CITATION_ID = re.compile(r"@([a-z0-9-]+)")
EVIDENCE_INFO = re.compile(r"^evidence\s+(\S+)\s*(?:\[([^\]]*)\])?\s*$")
CHECKED_INFO = re.compile(r"^checked\s+(\d{4}-\d{2}-\d{2})\s*(?:\[([^\]]*)\])?\s*$")
CERTAINTY_LABELS = {"high": "high", "moderate": "moderate", "low": "low", "very-low": "very low"}
LEVEL_LABELS = {
    "strong": "strong",
    "moderate": "moderate",
    "weak": "weak",
    "contradicted": "contradicted",
    "none-found": "no evidence found",
}

ALLOWED_CLASSES = {
    "aside": {
        "evidence",
        "checked",
        "keypoint",
        *(f"evidence-{level}" for level in EVIDENCE_LEVELS),
    },
    "p": {"evidence-level", "checked-on", "keypoint-label"},
    "span": {"evidence-badge", "evidence-claim", "evidence-certainty", "citation"},
    "a": {"cite", "evidence-scale"},
    "figure": {"figure"},
}
# nh3's default attributes, plus the machine-readable date of a ``checked`` block; an <img>
# keeps only what a figure needs, and a src only of a stored figure (see FIGURE_SRC).
IMG_ATTRIBUTES = {"src", "alt", "width", "height", "loading", "decoding"}
ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "time": {"datetime"},
    "img": IMG_ATTRIBUTES,
    "aside": {"id"},  # a key point's anchor (kp1, kp2...), which "add to deck" returns to
}
FIGURE_SRC = re.compile(r"/figures/[0-9a-f]{64}\.(?:png|jpg|webp|svg)")
IMG_VALUES = {"loading": re.compile("lazy"), "decoding": re.compile("async")}
DIMENSION = re.compile(r"[1-9][0-9]{0,4}")
# Links lead to sources (web pages, DOIs) or an address to write to. nh3's defaults also let
# through tel:, sms:, ssh:, irc:, ftp: and more, each of which hands the click to another
# application (a premium-rate call, a shell); course text has no need of them.
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class Rendered:
    html: str
    cited: list[str] = field(default_factory=list)


# Labels a course gives its references (``label:`` in course.yml), set while it is rendered.
LABELS: ContextVar[Mapping[str, str]] = ContextVar("citation_labels", default=MappingProxyType({}))
# The course's figures by the path modules write (``figures/effleurage.svg``), set while its
# modules are rendered: what an image's src is stored as, and its size.
FIGURES: ContextVar[Mapping[str, FigureInfo]] = ContextVar(
    "course_figures", default=MappingProxyType({})
)


def citation_label(ref_id: str) -> str:
    """``furlan2015`` -> ``Furlan 2015``; ``moyer2004a`` -> ``Moyer 2004a``; ``walton`` ->
    ``Walton``. A course can set its own label (``NCCIH``) on the reference."""
    custom = LABELS.get().get(ref_id)
    if custom:
        return custom
    match = re.fullmatch(r"([a-z-]+?)-?(\d{4}[a-z]?)", ref_id)
    if not match:
        return ref_id.replace("-", " ").title()
    return f"{match.group(1).replace('-', ' ').title()} {match.group(2)}"


def _cite_links(ids: Sequence[str], env: EnvType) -> str:
    cited: list[str] = env.setdefault("cited", [])
    for ref_id in ids:
        if ref_id not in cited:
            cited.append(ref_id)
    return ", ".join(
        f'<a class="cite" href="#ref-{html.escape(i)}">{html.escape(citation_label(i))}</a>'
        for i in ids
    )


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[" or not state.src.startswith("[@", state.pos):
        return False
    match = CITATION_GROUP.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"ids": CITATION_ID.findall(match.group(1))}
    state.pos = match.end()
    return True


def _render_citation(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f'<span class="citation">({_cite_links(tokens[idx].meta["ids"], env)})</span>'


def _evidence_validate(params: str, *args: Any) -> bool:
    match = EVIDENCE_INFO.match(params.strip())
    if not match:
        return False
    name = match.group(1)
    return name in EVIDENCE_LEVELS or name in claims.CURRENT.get().claims


def _render_evidence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A callout grades a named claim: the claim first, then its verdict, then the sources.

    The claim and verdict come from the catalogue's ``evidence.yml``; the badge links to the
    scale the course page explains. (A bare level, ``::: evidence weak``, is the older form.)
    """
    token = tokens[idx]
    if token.nesting != 1:
        return "</aside>\n"
    match = EVIDENCE_INFO.match(token.info.strip())
    assert match  # the validator only lets well-formed callouts through
    name = match.group(1)
    claim = claims.CURRENT.get().claims.get(name)
    level = claim.verdict if claim else name
    ids = CITATION_ID.findall(match.group(2) or "")
    sources = f" {_cite_links(ids, env)}" if ids else ""
    stated = ""
    certainty = ""
    if claim:
        stated = f'<span class="evidence-claim">Claim: {html.escape(claim.claim)}</span> '
        if claim.certainty:
            certainty = (
                f' <span class="evidence-certainty">GRADE certainty: '
                f"{CERTAINTY_LABELS[claim.certainty]}</span>"
            )
    return (
        f'<aside class="evidence evidence-{level}">\n'
        f'<p class="evidence-level">{stated}'
        f'<a class="evidence-scale" href="#evidence-scale">'
        f'<span class="evidence-badge">Evidence: {LEVEL_LABELS[level]}</span></a>'
        f"{certainty}{sources}</p>\n"
    )


def _checked_validate(params: str, *args: Any) -> bool:
    match = CHECKED_INFO.match(params.strip())
    return bool(match and _date(match.group(1)))


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _render_checked(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A time-bound fact says when it was last checked and against which primary source."""
    token = tokens[idx]
    if token.nesting != 1:
        return "</aside>\n"
    match = CHECKED_INFO.match(token.info.strip())
    assert match
    when = _date(match.group(1))
    assert when
    ids = CITATION_ID.findall(match.group(2) or "")
    sources = f" against {_cite_links(ids, env)}" if ids else ""
    return (
        '<aside class="checked">\n'
        f'<p class="checked-on">Checked on <time datetime="{when.isoformat()}">'
        f"{when.day} {when:%B %Y}</time>{sources}. Rules change: confirm with the source "
        "before you rely on this.</p>\n"
    )


def _figure_rule(state: StateCore) -> None:
    """Mark an image that is its paragraph's only content and a stored figure: it renders as
    a block ``<figure>``, so its paragraph's ``<p>`` is dropped. Any other image renders as
    its alt text (``courses check`` refuses those anyway)."""
    figures = FIGURES.get()
    tokens = state.tokens
    for i in range(1, len(tokens) - 1):
        inline = tokens[i]
        if inline.type != "inline" or tokens[i - 1].type != "paragraph_open":
            continue
        children = [c for c in inline.children or [] if c.type != "text" or c.content.strip()]
        if len(children) != 1 or children[0].type != "image":
            continue
        if children[0].attrGet("src") in figures:
            children[0].meta["figure"] = True
            tokens[i - 1].hidden = tokens[i + 1].hidden = True


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    info = FIGURES.get().get(str(token.attrGet("src")))
    if info is None or not token.meta.get("figure"):
        return html.escape(alt)
    # The caption is Markdown too, so it can cite its source: "After Smith 2020 [@smith2020]".
    caption = _parser().renderInline(str(token.attrGet("title") or ""), env)
    figcaption = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return (
        f'<figure class="figure"><img src="{info.url}" alt="{html.escape(alt)}" '
        f'width="{info.width}" height="{info.height}" loading="lazy" decoding="async">'
        f"{figcaption}</figure>"
    )


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("js-default")
    container_plugin(md, "evidence", validate=_evidence_validate, render=_render_evidence)
    container_plugin(md, "checked", validate=_checked_validate, render=_render_checked)
    container_plugin(md, "keypoint", validate=validate_keypoint, render=render_keypoint)
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.add_render_rule("citation", _render_citation)
    md.core.ruler.push("figure", _figure_rule)
    md.add_render_rule("image", _render_image)
    return md


def _img_attribute(element: str, attribute: str, value: str) -> str | None:
    """An ``<img>`` may only show a stored figure: any other src (another site, a data: URL,
    a path of ours that is not a figure) is dropped, and so is any attribute we never write."""
    if element == "aside" and attribute == "id":
        return value if KEYPOINT_ID.fullmatch(value) else None
    if element != "img":
        return value
    if attribute == "src":
        return value if FIGURE_SRC.fullmatch(value) else None
    if attribute in ("width", "height"):
        return value if DIMENSION.fullmatch(value) else None
    if attribute in IMG_VALUES:
        return value if IMG_VALUES[attribute].fullmatch(value) else None
    return value if attribute == "alt" else None


def sanitize(dirty: str) -> str:
    return nh3.clean(
        dirty,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_img_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render(
    source: str, *, inline: bool = False, figures: Mapping[str, FigureInfo] | None = None
) -> Rendered:
    """Render trusted-format, untrusted-content Markdown to sanitised HTML.

    ``figures`` are the stored figures a module may show, by the path it writes."""
    env: dict[str, Any] = {}
    md = _parser()
    token = FIGURES.set(figures) if figures is not None else None
    try:
        raw = md.renderInline(source, env) if inline else md.render(source, env)
    finally:
        if token is not None:
            FIGURES.reset(token)
    return Rendered(html=sanitize(raw), cited=env.get("cited", []))


def count_words(rendered_html: str) -> int:
    """Words a learner reads: the text of the rendered HTML, without tags or callout labels."""
    text = re.sub(
        r'<p class="(?:evidence-level|checked-on|keypoint-label)">.*?</p>',
        " ",
        rendered_html,
        flags=re.S,
    )
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return len(text.split())
