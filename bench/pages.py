"""Benchmark: a signed-in learner's pages, and a graded quiz submit, as ratios to hello-world.

    python bench/pages.py [--scale 1] [--duration 8] [--repeats 3] [--requests 60]
                          [--submits 20] [--profile] [--database-url postgresql+psycopg://...]

1. A fresh database (SQLite in a temporary directory, or the empty PostgreSQL database named by
   ``--database-url``), migrated, with the course catalogue imported (and ``--scale`` - 1
   renamed copies of it), then a learner's journeys through the services the routes call:
   every module of one course read and its module quizzes submitted (some answers wrong, so
   missed questions become review cards), half of a second course read, a third course
   started. ``--scale`` also multiplies the other learners, each with enrolments, progress
   and graded attempts, so the same pages can be measured at 1x and 100x the data.
2. gunicorn (``-w 2``, sync, ``bench.benchapp:app``) serves the real app. For each page,
   signed in as the learner, beside ``/__bench/hello`` for a visitor (no session: the
   reference every ratio divides by) and for the learner (whose session makes every
   response load the user, for the security headers' no-store rule):
   - **throughput**: ``wrk -t1 -c16 -d<duration>s`` (Debian's ``wrk``), ``--repeats`` runs,
     the median requests per second; the page's ratio is the median, over the runs, of its
     rps over the rps of a hello-world run made just before it (higher is better; 1.0 would
     be as fast as hello-world);
   - **sequential p50**: ``--requests`` requests one at a time; the page's p50 over
     hello-world's p50 (lower is better), and the SQL statements per request.
3. A graded quiz submit: ``--submits`` learners each start the final of the first course
   (20 questions drawn) and submit it once; only the submit POST is timed. ``--profile`` also
   profiles every page and the submit in process (cProfile) and prints where the time goes.

Targets (issue 16): module page >= 0.25x hello-world's throughput, course page >= 0.20x,
catalogue >= 0.35x, My learning >= 0.25x. Prints Markdown tables with the machine, versions
and git SHA. Not run as a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.item_analysis import Client, env_for, machine, serve  # noqa: E402
from bench.learner_data import (  # noqa: E402
    FIRST,
    LEARNER,
    PROFILED,
    SUBMITTER,
    generate,
)
from bench.load import VISITOR_HELLO, throughput  # noqa: E402
from eduapp.models import FINAL_KEY  # noqa: E402


def pages(module: str) -> list[tuple[str, str]]:
    return [
        # The reference: the app's cheapest route, a static string through the same
        # middleware and gunicorn, for a visitor (no session, so no user to load).
        ("hello-world, signed out", VISITOR_HELLO),
        # The same route for the signed-in learner: the security headers' no-store rule
        # loads the user, as it does on every page of theirs.
        ("hello-world, signed in", "/__bench/hello"),
        ("catalogue", "/"),
        ("My learning", "/my-learning"),
        ("course page", f"/courses/{FIRST}"),
        ("module page", f"/courses/{FIRST}/modules/{module}"),
        ("quiz overview", f"/courses/{FIRST}/quizzes/{FINAL_KEY}"),
        ("review", "/review"),
    ]


def submit_times(port: int, count: int) -> tuple[list[float], set[str]]:
    """Each submitter starts the final and submits it once; the submit POST is timed."""
    times, queries = [], set()
    for n in range(count):
        client = Client(port)
        client.sign_in(SUBMITTER.format(n=n))
        overview = f"/courses/{FIRST}/quizzes/{FINAL_KEY}"
        _, _, page = client.request("GET", overview)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        assert token, "no CSRF token on the quiz overview"
        status, headers, _ = client.request(
            "POST", overview + "/start", urlencode({"csrf_token": token[1]})
        )
        assert status == 302, f"start: {status}"
        attempt_path = urlsplit(headers["Location"]).path
        _, _, page = client.request("GET", attempt_path)
        keys = re.findall(r'name="q-([^"]+)"[^>]*? value="([^"]+)"', page)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        assert keys and token, f"no questions on {attempt_path}"
        chosen: dict[str, str] = {}
        for key, value in keys:
            chosen.setdefault(f"q-{key}", value)  # the first choice of each question
        body = urlencode({**chosen, "confirmed": "yes", "csrf_token": token[1]})
        start = time.perf_counter()
        status, headers, _ = client.request("POST", f"{attempt_path}/submit", body)
        times.append(time.perf_counter() - start)
        assert status == 302, f"submit: {status}"
        queries.add(headers.get("X-Queries", "?"))
    return sorted(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="copies of the data (1 or 100)")
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--repeats", type=int, default=3, help="wrk runs per page")
    parser.add_argument("--requests", type=int, default=60, help="sequential requests per page")
    parser.add_argument("--submits", type=int, default=20, help="graded submits timed")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--profile", action="store_true", help="profile each page in process")
    parser.add_argument("--database-url", help="an empty PostgreSQL database to fill")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="eduapp-bench-"))
    os.environ.update(env_for(workdir))
    overrides = {"EDUAPP_DATABASE_URL": args.database_url} if args.database_url else {}
    os.environ.update(overrides)
    print(f"building scale {args.scale} in {workdir} ...", file=sys.stderr)
    facts = generate(args.scale, args.submits)
    routes = pages(facts["module"])
    if args.profile:
        from bench.profile_pages import profile

        extra = [SUBMITTER.format(n=args.submits + n) for n in range(PROFILED)]
        profile(routes[2:], LEARNER, extra, FIRST)  # the app without the bench routes
    server = serve(workdir, args.port, **overrides)
    try:
        client = Client(args.port)
        client.sign_in(LEARNER)
        visitor = Client(args.port)
        sequential = {
            path: (visitor if path == VISITOR_HELLO else client).measure(path, args.requests, 5)
            for _, path in routes
        }
        measured = throughput(args.port, server.pid, client.cookie, routes, args)
        submits, submit_queries = submit_times(args.port, args.submits)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.database_url:
        (workdir / "bench.sqlite3").touch()  # machine() reports the SQLite file's size
    info = machine(workdir)
    database = server_version() if args.database_url else f"SQLite {info['sqlite']}"
    hello = routes[0][1]
    print(
        f"\n### A learner's pages at scale {args.scale} ({facts['courses']} courses, "
        f"{facts['learners']:,} learners, {facts['attempts']:,} attempts)\n"
    )
    print(
        "| Page | rps | rps / hello rps, paired (higher is better) | server CPU ms / request "
        "| hello CPU / page CPU (higher is better) | p50 ms | p50 / hello p50 (lower is better) "
        "| statements | bytes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    top = measured[hello]
    for name, path in routes:
        s, m = sequential[path], measured[path]
        print(
            f"| {name} `{path}` | {m['rps']:,.0f} | {m['ratio']:.2f} "
            f"| {m['cpu'] * 1000:.2f} | {top['cpu'] / m['cpu']:.2f} "
            f"| {s['p50'] * 1000:.1f} | {s['p50'] / sequential[hello]['p50']:.1f}x "
            f"| {s['queries']} | {s['bytes']:,} |"
        )
    p50 = statistics.median(submits)
    print(
        f"\nGraded submit of the final (20 questions drawn), {len(submits)} learners once each: "
        f"p50 {p50 * 1000:.1f} ms, p90 {submits[int(0.9 * (len(submits) - 1))] * 1000:.1f} ms, "
        f"{p50 / sequential[hello]['p50']:.0f}x hello-world's p50; "
        f"statements {','.join(sorted(submit_queries))}."
    )
    print(
        f"\nnproc {info['nproc']} ({info['cpu']}), Python {info['python']}, "
        f"{database}, git {info['git']}, built in {facts['build_seconds']:.0f} s; "
        f"gunicorn -w 2 sync; wrk -t1 -c16 -d{args.duration}s, median of {args.repeats}; "
        f"{args.requests} sequential requests per page, signed in as the learner; "
        f"load {os.getloadavg()[0]:.1f} at the end."
    )
    shutil.rmtree(workdir, ignore_errors=True)


def server_version() -> str:
    """The PostgreSQL server the bench filled, by its own word."""
    import psycopg

    url = os.environ["EDUAPP_DATABASE_URL"].replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0] if row else '?'}"


if __name__ == "__main__":
    main()
