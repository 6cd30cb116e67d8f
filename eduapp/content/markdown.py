"""Markdown to safe HTML, once, at import or save time; never per request.

markdown-it-py's ``js-default`` preset (raw HTML off), our extensions (the evidence callout of
DESIGN §2, the dated ``checked`` block and ``[@id]`` citations), then nh3 with an allow-list
that adds only their classes to its defaults.
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
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin

from . import claims
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
    "aside": {"evidence", "checked", *(f"evidence-{level}" for level in EVIDENCE_LEVELS)},
    "p": {"evidence-level", "checked-on"},
    "span": {"evidence-badge", "evidence-claim", "evidence-certainty", "citation"},
    "a": {"cite", "evidence-scale"},
}


@dataclass
class Rendered:
    html: str
    cited: list[str] = field(default_factory=list)


# Labels a course gives its references (``label:`` in course.yml), set while it is rendered.
LABELS: ContextVar[Mapping[str, str]] = ContextVar("citation_labels", default=MappingProxyType({}))


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


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("js-default")
    container_plugin(md, "evidence", validate=_evidence_validate, render=_render_evidence)
    container_plugin(md, "checked", validate=_checked_validate, render=_render_checked)
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.add_render_rule("citation", _render_citation)
    return md


# nh3's default attributes, plus the machine-readable date of a ``checked`` block.
ALLOWED_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "time": {"datetime"}}


def sanitize(dirty: str) -> str:
    return nh3.clean(
        dirty,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener noreferrer",
    )


def render(source: str, *, inline: bool = False) -> Rendered:
    """Render trusted-format, untrusted-content Markdown to sanitised HTML."""
    env: dict[str, Any] = {}
    md = _parser()
    raw = md.renderInline(source, env) if inline else md.render(source, env)
    return Rendered(html=sanitize(raw), cited=env.get("cited", []))


def count_words(rendered_html: str) -> int:
    """Words a learner reads: the text of the rendered HTML, without tags or callout labels."""
    text = re.sub(
        r'<p class="(?:evidence-level|checked-on)">.*?</p>', " ", rendered_html, flags=re.S
    )
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return len(text.split())
