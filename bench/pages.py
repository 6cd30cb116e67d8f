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
     the median requests per second; the page's ratio is its rps over hello-world's rps in
     the same run (higher is better; 1.0 would be as fast as hello-world);
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
import copy
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bench.item_analysis import PASSWORD, Client, batches, env_for, machine, serve  # noqa: E402
from eduapp import create_app  # noqa: E402
from eduapp.auth import passwords  # noqa: E402
from eduapp.auth.services import register  # noqa: E402
from eduapp.content.importer import import_courses  # noqa: E402
from eduapp.content.loader import load_catalogue  # noqa: E402
from eduapp.extensions import db  # noqa: E402
from eduapp.learn import services as learn  # noqa: E402
from eduapp.models import (  # noqa: E402
    FINAL_KEY,
    Attempt,
    Course,
    Enrolment,
    ModuleProgress,
    Quiz,
    Role,
    User,
)
from eduapp.quiz import services as quizzes  # noqa: E402
from eduapp.review import cards  # noqa: E402

LEARNER = "bench-learner@example.org"
VISITOR_HELLO = "/__bench/hello?as=visitor"
FIRST, SECOND, THIRD = "massage-pain-rehab", "massage-safety", "massage-techniques"
OTHERS_PER_SCALE = 20
SUBMITTER = "bench-submit{n}@example.org"
PROFILED = 5  # submitters kept for --profile, after the timed ones


def responses(snapshot: dict[str, Any], wrong_every: int) -> dict[str, list[str]]:
    """A learner's answers to an attempt: the key to choice questions, except every
    ``wrong_every``-th question, which gets a wrong choice (or is left blank)."""
    answers: dict[str, list[str]] = {}
    for n, q in enumerate(snapshot["questions"]):
        choices = q.get("choices") or []
        correct = [c["key"] for c in choices if c["correct"]]
        wrong = [c["key"] for c in choices if not c["correct"]]
        if not correct or q["type"] not in ("single", "multiple", "true_false"):
            continue
        answers[q["key"]] = wrong[:1] if wrong_every and n % wrong_every == 1 and wrong else correct
    return answers


def take(user: User, quiz: Quiz, wrong_every: int) -> None:
    """Start and submit one attempt as the quiz routes do, then collect missed questions."""
    attempt = quizzes.start_attempt(user, quiz)
    db.session.commit()  # as the start route does; the submit begins its own write
    quizzes.submit_attempt(attempt.id, user, responses(attempt.snapshot, wrong_every))
    db.session.commit()
    cards.collect_missed(user, [quiz.id])
    db.session.commit()


def course(slug: str) -> Course:
    return db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()


def journeys(learner: User) -> None:
    """The learner's history: one course's modules all read and their quizzes taken, half of
    a second course read, a third started."""
    for slug, share in ((FIRST, 1.0), (SECOND, 0.5), (THIRD, 0.0)):
        target = course(slug)
        learn.enrol(learner, target)
        db.session.commit()
        state = learn.course_progress(target, learner)
        for module in state.modules[: round(len(state.modules) * share)]:
            learn.mark_read(learner, target, module)
            db.session.commit()
            status = state.quizzes.get(module.id)
            if status is not None:
                take(learner, status.quiz, wrong_every=4)


def copies(scale: int) -> list[Any]:
    """The catalogue, and ``scale - 1`` renamed copies of it."""
    catalogue = load_catalogue(ROOT / "courses")
    every = list(catalogue)
    for n in range(2, scale + 1):
        for data in catalogue:
            twin = copy.copy(data)
            twin.meta = data.meta.model_copy(
                update={"slug": f"{data.meta.slug}-{n}", "title": f"{data.meta.title} ({n})"}
            )
            every.append(twin)
    return every


def others(scale: int, seed_hash: str) -> int:
    """Other learners (``OTHERS_PER_SCALE`` x scale), each enrolled in every course of the
    original catalogue with every module read and a graded attempt at each module quiz."""
    moment = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    count = OTHERS_PER_SCALE * scale
    db.session.execute(
        insert(User),
        [
            {
                "email": f"other{i}@example.org",
                "name": f"Other {i}",
                "password_hash": seed_hash,
                "role": "learner",
                "timezone": "UTC",
                "session_token": f"bench-other-{i}",
                "created_at": moment,
            }
            for i in range(count)
        ],
    )
    ids = list(
        db.session.execute(db.select(User.id).where(User.email.like("other%@example.org")))
        .scalars()
        .all()
    )
    originals = [course(s) for s in (FIRST, SECOND, THIRD, "ethics-scope")]
    enrolments, progress, attempts = [], [], []
    for c in originals:
        modules = learn.active_modules(c.current_version_id)
        quiz_ids = db.session.execute(
            db.select(Quiz.id).filter_by(version_id=c.current_version_id, retired=False)
        ).scalars()
        quiz_ids = list(quiz_ids)
        for uid in ids:
            enrolments.append(
                {"user_id": uid, "course_id": c.id, "version_id": c.current_version_id}
            )
            progress.extend(
                {"user_id": uid, "module_id": m.id, "read_at": moment, "completed_at": moment}
                for m in modules
            )
            attempts.extend(
                {
                    "user_id": uid,
                    "quiz_id": q,
                    "number": 1,
                    "status": "graded",
                    "started_at": moment,
                    "submitted_at": moment + timedelta(minutes=9),
                    "score": 90,
                    "passed": True,
                    "snapshot": {},
                    "responses": {},
                }
                for q in quiz_ids
            )
    for model, rows in ((Enrolment, enrolments), (ModuleProgress, progress), (Attempt, attempts)):
        for batch in batches(iter(rows)):
            db.session.execute(insert(model), batch)
    db.session.commit()
    return count


def generate(scale: int, submits: int) -> dict[str, Any]:
    """Build the database; return what it holds."""
    from flask_migrate import upgrade

    started = time.perf_counter()
    app = create_app()
    with app.app_context():
        upgrade()
        import_courses(copies(scale))
        learner = register("Bench Learner", LEARNER, PASSWORD, "UTC", Role.LEARNER)
        for n in range(submits + PROFILED):
            register(f"Submitter {n}", SUBMITTER.format(n=n), PASSWORD, "UTC", Role.LEARNER)
        db.session.commit()
        journeys(learner)
        stored = passwords.hash_password(PASSWORD)
        other_count = others(scale, stored)
        first = course(FIRST)
        module = next(
            m
            for m in learn.active_modules(first.current_version_id)
            if db.session.execute(
                db.select(Quiz.id).filter_by(module_id=m.id, retired=False)
            ).first()
        )
        facts = {
            "courses": db.session.scalar(db.select(db.func.count(Course.id))),
            "learners": other_count + 1 + submits + PROFILED,
            "attempts": db.session.scalar(db.select(db.func.count(Attempt.id))),
            "module": module.slug,
            "build_seconds": time.perf_counter() - started,
        }
        db.engine.dispose()
    return facts


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


def wrk(port: int, path: str, cookie: str, seconds: int) -> dict[str, Any]:
    """One closed-loop run: 16 connections, one thread, ``seconds`` long."""
    url = f"http://127.0.0.1:{port}{path}"
    headers = [] if path == VISITOR_HELLO else ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        ["wrk", "-t1", "-c16", f"-d{seconds}s", "--timeout", "10s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    total = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "requests": total,
        "non2xx": int(bad[1]) if bad else 0,
        "errors": errors[1] if errors else "",
    }


def workers_cpu(master: int) -> float:
    """CPU seconds (user + system) the gunicorn master's worker processes have used."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that just ended
        if int(fields[1]) == master:  # ppid
            used += int(fields[11]) + int(fields[12])  # utime, stime
    return used / ticks


def throughput(
    port: int, master: int, cookie: str, routes: list[tuple[str, str]], args: Any
) -> dict:
    """Each route's median rps over ``repeats`` rounds, hello-world in every round, and the
    server's CPU time per request: on a machine shared with other work, the CPU each
    request costs the app is the figure that load changes least."""
    runs: dict[str, list[float]] = {path: [] for _, path in routes}
    cpu: dict[str, list[float]] = {path: [] for _, path in routes}
    for _ in range(args.repeats):
        for _, path in routes:
            subprocess.run(
                [
                    "wrk",
                    "-t1",
                    "-c4",
                    "-d1s",
                    "-H",
                    f"Cookie: {cookie}",
                    f"http://127.0.0.1:{port}{path}",
                ],
                capture_output=True,
                check=True,
            )  # fmt: skip  (a warm-up)
            before = workers_cpu(master)
            result = wrk(port, path, cookie, args.duration)
            spent = workers_cpu(master) - before
            if result["non2xx"] or result["errors"]:
                raise SystemExit(f"{path}: {result}")
            runs[path].append(result["rps"])
            cpu[path].append(spent / result["requests"])
    return {
        path: {"rps": statistics.median(runs[path]), "cpu": statistics.median(cpu[path])}
        for _, path in routes
    }


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
        "| Page | rps | rps / hello rps (higher is better) | server CPU ms / request "
        "| hello CPU / page CPU (higher is better) | p50 ms | p50 / hello p50 (lower is better) "
        "| statements | bytes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    top = measured[hello]
    for name, path in routes:
        s, m = sequential[path], measured[path]
        print(
            f"| {name} `{path}` | {m['rps']:,.0f} | {m['rps'] / top['rps']:.2f} "
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
