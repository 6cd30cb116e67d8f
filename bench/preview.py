"""Benchmark: the studio's preview of a 3,000-word module, as a ratio to hello-world.

    python bench/preview.py [--words 3000] [--requests 60] [--seed 7]

1. A fresh SQLite database in a temporary directory, migrated, with the course catalogue;
   an instructor who owns ``massage-pain-rehab``.
2. A module written for that course by a fixed-seed generator: headings, paragraphs with
   inline citations of the course's references, bulleted and numbered lists, a table,
   evidence callouts naming claims of ``courses/evidence.yml``, a checked block and one of
   the course's stored figures, until the import's word count reaches ``--words``.
3. The service (``preview_module``, in this process, sources already looked up) and the
   route (``POST /studio/courses/<slug>/preview`` through ``gunicorn -w 2`` serving
   ``bench.benchapp:app``, sources looked up per request) are timed one call at a time.
   The route's p50 is reported as a multiple of hello-world's p50 measured in the same run.

Target: p50 under 50 ms. Prints a Markdown table with the machine, versions and git SHA.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.item_analysis import PASSWORD, Client, env_for, machine, serve  # noqa: E402
from eduapp import create_app  # noqa: E402
from eduapp.auth.services import register  # noqa: E402
from eduapp.content.importer import import_courses  # noqa: E402
from eduapp.content.loader import load_catalogue  # noqa: E402
from eduapp.extensions import db  # noqa: E402
from eduapp.models import Course, CourseVersion, Role  # noqa: E402
from eduapp.studio import owners  # noqa: E402
from eduapp.studio.preview import CourseSources, preview_module, version_sources  # noqa: E402

COURSE = "massage-pain-rehab"
INSTRUCTOR = "bench-author@example.org"
PREVIEW = f"/studio/courses/{COURSE}/preview"

TOPICS = [
    "effleurage",
    "petrissage",
    "friction",
    "the lower back",
    "the neck and shoulders",
    "the client's report of pain",
    "pressure and pacing",
    "draping and consent",
    "the knee",
    "the first session",
]
SENTENCES = [
    "Start with light, broad strokes over {t} and ask how the pressure feels.",
    "Most clients with persistent pain want to know what to expect, so explain {t} first.",
    "Pressure on {t} should stay below the point where the client braces or holds the breath.",
    "Write down what the client reports about {t} before and after the session.",
    "A change in pain of two points or more on a 0 to 10 scale is usually one the client notices.",
    "Short-term relief is common; claims of a lasting cure are not supported by trials.",
    "If the client reports numbness, weakness or night pain, stop and refer to a physician.",
    "Keep the session plan simple: what you will do, for how long, and how you will check in.",
    "Work on {t} is adjusted to the client's response, not to a fixed protocol.",
    "Clients differ: some prefer firm, slow work on {t}, others lighter and shorter contact.",
    "Ask the client to rate their pain and to name one activity it limits.",
    "Reassess after ten minutes and again at the end, in the client's own words.",
]
LIST_ITEMS = [
    "ask about red flags before hands-on work",
    "agree on a pressure scale and a stop word",
    "check skin, bruising and recent injury",
    "note medication that thins the blood",
    "record what you did and how the client responded",
    "plan the next session with the client",
]


def module_body(
    words: int,
    sources: CourseSources,
    claim_ids: list[str],
    seed: int,
    count: Callable[[str], int],
) -> str:
    """Markdown that imports cleanly for the course, of at least ``words`` words as ``count``
    (the import's own count) measures them."""
    rng = random.Random(seed)
    refs = [str(r["id"]) for r in sources.references]
    figure = sorted(sources.figures)[0]
    parts: list[str] = []
    section = 0

    def cite() -> str:
        picked = rng.sample(refs, k=rng.choice([1, 1, 2]))
        return " [" + "; ".join(f"@{r}" for r in picked) + "]"

    def paragraph(topic: str) -> str:
        chosen = [rng.choice(SENTENCES).format(t=topic) for _ in range(rng.randint(3, 5))]
        chosen[-1] = chosen[-1].rstrip(".") + cite() + "."
        return " ".join(chosen)

    while True:
        section += 1
        topic = rng.choice(TOPICS)
        parts.append(f"## {section}. Working with {topic}")
        parts += [paragraph(topic), paragraph(topic)]
        if section % 2:
            parts.append("\n".join(f"- {item.capitalize()}." for item in rng.sample(LIST_ITEMS, 4)))
        else:
            parts.append(
                "\n".join(f"{n}. {item.capitalize()}." for n, item in enumerate(LIST_ITEMS, 1))
            )
        if section % 3 == 1:
            claim = claim_ids[section % len(claim_ids)]
            parts.append(
                f"::: evidence {claim} [{cite().strip()[1:-1].replace(';', ',')}]\n"
                f"{paragraph(topic)}\n:::"
            )
        if section == 2:
            parts.append(
                "| Finding | What to do |\n|---|---|\n"
                "| Numbness or weakness | Stop and refer |\n"
                "| Pain 7/10 or more | Lighter pressure, shorter session |\n"
                "| Pain eases with movement | Continue and reassess |"
            )
        if section == 3:
            parts.append(
                f"::: checked 2026-11-01 [@{refs[0]}]\n"
                "Licensing boards set the hours of continuing education a therapist needs.\n:::"
            )
        if section == 4:
            parts.append(
                f"![A therapist's hands working along the muscles beside the spine]({figure} "
                f'"Work beside the spine, never on it{cite()}")'
            )
        body = "\n\n".join(parts) + "\n"
        if section >= 4 and count(body) >= words:
            return body


def timed(count: int, call: Any) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return sorted(times)


def summary(name: str, times: list[float], extra: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "n": len(times),
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)],
        "extra": extra,
    }


def generate(words: int, seed: int, count: int) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Build the database; return the module, its service timing and what it renders to."""
    from flask_migrate import upgrade

    app = create_app()
    with app.app_context():
        upgrade()
        import_courses(load_catalogue(ROOT / "courses"))
        register("Bench Author", INSTRUCTOR, PASSWORD, "UTC", Role.INSTRUCTOR)
        db.session.commit()
        course = db.session.execute(db.select(Course).filter_by(slug=COURSE)).scalar_one()
        owners.assign_owner(course, INSTRUCTOR, None)
        db.session.commit()
        version = db.session.get_one(CourseVersion, course.current_version_id)
        sources = version_sources(version, ROOT / "courses")
        assert sources.registry is not None

        def preview(text: str) -> Any:
            return preview_module(
                text,
                references=sources.references,
                figures=sources.figures,
                registry=sources.registry,
            )

        claim_ids = sorted(sources.registry.claims)
        body = module_body(words, sources, claim_ids, seed, lambda b: preview(b).word_count)

        def call() -> Any:
            return preview(body)

        result = call()
        assert result.problems == [], result.problems
        timed(5, call)  # warm up
        service = summary("`preview_module` (service, in process)", timed(count, call))
        db.engine.dispose()
    facts = {
        "words": result.word_count,
        "chars": len(body),
        "html": len(result.html),
        "callouts": body.count("::: evidence"),
        "citations": len(re.findall(r"\[@", body)),
    }
    return body, service, facts


def post_timings(client: Client, body: str, count: int, warm_up: int) -> list[float]:
    _, _, page = client.request("GET", f"/studio/courses/{COURSE}")
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert token, "no CSRF token on the studio course page"
    form = urlencode({"body": body, "csrf_token": token[1]})
    times = []
    for i in range(warm_up + count):
        start = time.perf_counter()
        status, _, answer = client.request("POST", PREVIEW, form)
        elapsed = time.perf_counter() - start
        assert status == 200 and "No problems" in answer, f"{PREVIEW}: {status}"
        if i >= warm_up:
            times.append(elapsed)
    return sorted(times)


def get_timings(client: Client, path: str, count: int, warm_up: int) -> list[float]:
    times = []
    for i in range(warm_up + count):
        start = time.perf_counter()
        status, _, _ = client.request("GET", path)
        elapsed = time.perf_counter() - start
        assert status == 200, f"{path}: {status}"
        if i >= warm_up:
            times.append(elapsed)
    return sorted(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="eduapp-bench-"))
    os.environ.update(env_for(workdir))
    body, service, facts = generate(args.words, args.seed, args.requests)
    server = serve(workdir, args.port)
    try:
        client = Client(args.port)
        client.sign_in(INSTRUCTOR)
        hello = summary("`GET /__bench/hello`", get_timings(client, "/__bench/hello", 300, 20))
        route = summary(f"`POST {PREVIEW}`", post_timings(client, body, args.requests, 5))
    finally:
        server.terminate()
        server.wait(timeout=30)
    info = machine(workdir)
    print(
        f"\n### Preview of a {facts['words']:,}-word module ({facts['chars']:,} characters, "
        f"{facts['citations']} citations, {facts['callouts']} evidence callouts, a table, "
        f"a checked block, a figure; {facts['html']:,} bytes of HTML)\n"
    )
    print("| Measured | calls | p50 ms | p95 ms | p50 / hello p50 |")
    print("|---|---:|---:|---:|---:|")
    for row in (hello, service, route):
        print(
            f"| {row['name']} | {row['n']} | {row['p50'] * 1000:.1f} | {row['p95'] * 1000:.1f} "
            f"| {row['p50'] / hello['p50']:.0f}x |"
        )
    print(
        f"\nnproc {info['nproc']} ({info['cpu']}), Python {info['python']}, "
        f"SQLite {info['sqlite']}, git {info['git']}; gunicorn -w 2 sync, one client signed "
        "in as the course's owner, one request at a time."
    )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
