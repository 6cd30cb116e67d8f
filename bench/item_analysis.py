"""Benchmark: the item-analysis page at 100,000 attempts, as a ratio to hello-world.

    python bench/item_analysis.py [--attempts 100000] [--seed 7] [--requests 15]

1. A fresh SQLite database in a temporary directory, migrated, with the course catalogue.
2. Graded attempts of one final assessment (55-question pool, 20 drawn per attempt), made by
   bulk inserts. Each learner has an ability and each question a difficulty and a slope
   (a two-parameter logistic model), so better learners get more right and discrimination is
   positive, except one question with a deliberately reversed slope, like a wrong key. Marks
   come from the real grader, and each attempt stores a real snapshot, so rows are as fat as
   in production. 10% of learners take a second attempt.
3. gunicorn (``-w 2``, sync, access log off) serves ``bench.benchapp:app``: the real app plus
   ``/__bench/hello``. The same signed-in client requests both, one request at a time, so the
   page's p50 is reported as a multiple of hello-world's p50 measured in the same run.

Prints a Markdown table with the machine, versions and git SHA. Not run as a test.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import platform
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlalchemy.orm import selectinload  # noqa: E402

from eduapp import create_app  # noqa: E402
from eduapp.auth.services import register  # noqa: E402
from eduapp.content.importer import import_courses  # noqa: E402
from eduapp.content.loader import load_catalogue  # noqa: E402
from eduapp.credentials.keys import new_key  # noqa: E402
from eduapp.extensions import db  # noqa: E402
from eduapp.models import Answer, Attempt, Course, Question, Quiz, Role, User  # noqa: E402
from eduapp.quiz import itemtotals  # noqa: E402
from eduapp.quiz.grading import grade_question, percent, to_decimal  # noqa: E402
from eduapp.quiz.snapshot import question_snapshot  # noqa: E402
from eduapp.studio import owners  # noqa: E402

COURSE, QUIZ_KEY = "massage-pain-rehab", "final"
INSTRUCTOR, PASSWORD = "bench-instructor@example.org", "bench passphrase 42"
BATCH = 20_000
DRAWN = 20


def env_for(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EDUAPP_ENV": "production",
        "EDUAPP_SECRET_KEY": "bench-secret-key-not-for-production",
        "EDUAPP_DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "EDUAPP_BASE_URL": "http://127.0.0.1",
        "EDUAPP_FILES_DIR": str(workdir / "files"),
        "EDUAPP_PROVIDER_NAME": "Bench Provider",
        "EDUAPP_PROVIDER_CONTACT": "bench@example.org",
        "EDUAPP_CERTIFICATE_SIGNERS": "Bench Director|Bench Provider",
        "EDUAPP_CREDENTIAL_KEY": new_key().as_pem(private=True).decode(),
        "PYTHONPATH": str(ROOT),
    }


def batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def respond(q: dict[str, Any], right: bool, rng: random.Random) -> list[str]:
    """What a learner who knows (or not) the answer picks: the key, or a plausible mistake."""
    keys = [c["key"] for c in q["choices"]]
    correct = [c["key"] for c in q["choices"] if c["correct"]]
    wrong = [k for k in keys if k not in correct]
    if right:
        return correct
    if rng.random() < 0.03:
        return []  # left blank
    if q["type"] == "multiple":
        picked = [k for k in keys if rng.random() < 0.5] or [rng.choice(wrong)]
        return picked if sorted(picked) != sorted(correct) else [*correct, *wrong[:1]]
    return [rng.choice(wrong)]


def generate(attempts: int, seed: int) -> dict[str, Any]:
    """Fill the database named by the environment; returns row counts and timings."""
    started = time.perf_counter()
    app = create_app()
    with app.app_context():
        upgrade()
        import_courses(load_catalogue(ROOT / "courses"))
        register("Bench Instructor", INSTRUCTOR, PASSWORD, "UTC", Role.INSTRUCTOR)
        db.session.commit()
        quiz = db.session.execute(
            db.select(Quiz).join(Course).where(Course.slug == COURSE, Quiz.key == QUIZ_KEY)
        ).scalar_one()
        # Only a course's owners, co-authors and admins see its item analysis.
        owners.assign_owner(db.session.get_one(Course, quiz.course_id), INSTRUCTOR, None)
        questions = (
            db.session.execute(
                db.select(Question)
                .filter_by(quiz_id=quiz.id, retired=False)
                .options(selectinload(Question.choices))
            )
            .scalars()
            .all()
        )
        snaps = [question_snapshot(q) for q in questions if q.type != "description"]
        rng = random.Random(seed)
        difficulty = {s["question_id"]: rng.gauss(-0.8, 1.0) for s in snaps}
        slope = {s["question_id"]: rng.uniform(0.4, 2.0) for s in snaps}
        slope[snaps[-1]["question_id"]] = -0.6  # a flawed item: stronger learners miss it
        learners = round(attempts / 1.1)
        seconds = attempts - learners
        moment = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

        def users() -> Iterator[dict[str, Any]]:
            for i in range(learners):
                yield {
                    "email": f"learner{i}@example.org",
                    "name": f"Learner {i}",
                    "password_hash": "-",
                    "role": "learner",
                    "timezone": "UTC",
                    "session_token": f"bench-{i}",
                    "created_at": moment,
                }

        for batch in batches(users()):
            db.session.execute(insert(User), batch)
        first_user = db.session.execute(
            db.select(User.id).filter_by(email="learner0@example.org")
        ).scalar_one()
        graded: dict[tuple[int, tuple[str, ...]], Any] = {}
        answers: list[dict[str, Any]] = []
        attempt_rows: list[dict[str, Any]] = []
        ability = [rng.gauss(0, 1) for _ in range(learners)]
        plan = [(i, 1) for i in range(learners)] + [
            (i, 2) for i in rng.sample(range(learners), seconds)
        ]
        for attempt_id, (learner, number) in enumerate(plan, start=1):
            drawn = rng.sample(snaps, DRAWN)
            theta = ability[learner] + (0.3 if number == 2 else 0)
            marks, max_marks = Fraction(0), 0
            for position, q in enumerate(drawn):
                qid = q["question_id"]
                p = 1 / (1 + math.exp(-1.7 * slope[qid] * (theta - difficulty[qid])))
                chosen = tuple(respond(q, rng.random() < p, rng))
                result = graded.get((qid, chosen))
                if result is None:
                    result = graded[(qid, chosen)] = grade_question(q, chosen)
                marks += result.exact_mark
                max_marks += result.points
                answers.append(
                    {
                        "attempt_id": attempt_id,
                        "question_id": qid,
                        "position": position,
                        "chosen": list(result.chosen),
                        "mark": result.mark,
                        "max_mark": result.max_mark,
                        "correct": result.correct,
                    }
                )
            at = moment + timedelta(minutes=attempt_id)
            attempt_rows.append(
                {
                    "id": attempt_id,
                    "user_id": first_user + learner,
                    "quiz_id": quiz.id,
                    "number": number,
                    "status": "graded",
                    "started_at": at,
                    "submitted_at": at + timedelta(minutes=25),
                    "marks": to_decimal(marks),
                    "max_marks": to_decimal(Fraction(max_marks)),
                    "score": percent(marks, Fraction(max_marks)),
                    "passed": marks * 100 >= 80 * max_marks,
                    "snapshot": {"title": quiz.title, "passing_score": 80, "questions": drawn},
                    "responses": {},
                }
            )
            if len(attempt_rows) == BATCH // 4:
                db.session.execute(insert(Attempt), attempt_rows)
                db.session.execute(insert(Answer), answers)
                attempt_rows, answers = [], []
                print(f"  {attempt_id:>7} attempts", file=sys.stderr, end="\r")
        if attempt_rows:
            db.session.execute(insert(Attempt), attempt_rows)
            db.session.execute(insert(Answer), answers)
        # Submits keep the running totals as they go; bulk rows get them in one rebuild.
        itemtotals.rebuild(quiz.id)
        db.session.commit()
        db.engine.dispose()
    return {
        "learners": learners,
        "attempts": len(plan),
        "answers": len(plan) * DRAWN,
        "questions": len(snaps),
        "build_seconds": time.perf_counter() - started,
    }


class Client:
    """One signed-in browser: a session cookie, one request at a time, a new connection each
    time (gunicorn's sync workers close it anyway), the same for every route measured."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(self, method: str, path: str, body: str = "") -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        conn.close()
        found = response.headers.get_all("Set-Cookie") or []
        for cookie in found:
            name_value = cookie.split(";", 1)[0]
            jar = dict(p.split("=", 1) for p in self.cookie.split("; ") if "=" in p)
            name, value = name_value.split("=", 1)
            jar[name] = value
            self.cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        return response.status, dict(response.headers), text

    def sign_in(self, email: str = INSTRUCTOR) -> None:
        from urllib.parse import urlencode

        _, _, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        assert token, "no CSRF token on /login"
        form = {"email": email, "password": PASSWORD, "next": "", "csrf_token": token[1]}
        status, _, _ = self.request("POST", "/login", urlencode(form))
        assert status == 302, f"sign-in failed: {status}"

    def measure(self, path: str, count: int, warm_up: int) -> dict[str, Any]:
        times, queries, size = [], set(), 0
        for i in range(warm_up + count):
            start = time.perf_counter()
            status, headers, body = self.request("GET", path)
            elapsed = time.perf_counter() - start
            assert status == 200, f"{path}: {status}"
            if i >= warm_up:
                times.append(elapsed)
                queries.add(headers.get("X-Queries"))
                size = len(body)
        times.sort()
        return {
            "path": path,
            "n": count,
            "p50": statistics.median(times),
            "p90": times[min(len(times) - 1, math.ceil(0.9 * len(times)) - 1)],
            "queries": ",".join(sorted(q or "?" for q in queries)),
            "bytes": size,
        }


def serve(workdir: Path, port: int, **overrides: str) -> subprocess.Popen[bytes]:
    """gunicorn on the benchmark's database; ``overrides`` replace its environment's values
    (bench/search.py serves PostgreSQL this way)."""
    command = [
        sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
        "--access-logfile", "/dev/null", "--log-level", "warning", "--timeout", "120",
        "bench.benchapp:app",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env={**env_for(workdir), **overrides})
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request(
                "GET", "/__bench/hello"
            )
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def machine(workdir: Path) -> dict[str, str]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    sha = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "git": sha or "?",
        "db_size": f"{(workdir / 'bench.sqlite3').stat().st_size / 2**20:.0f} MiB",
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    """The measurements as Markdown, each p50 as a multiple of the first row's (hello)."""
    hello = rows[0]["p50"]
    print("| Route | requests | p50 ms | p90 ms | p50 / hello p50 | queries/request | bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| `{r['path']}` | {r['n']} | {r['p50'] * 1000:.1f} | {r['p90'] * 1000:.1f} "
            f"| {r['p50'] / hello:.0f}x | {r['queries']} | {r['bytes']:,} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=15, help="timed page requests")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="eduapp-bench-"))
    os.environ.update(env_for(workdir))
    print(f"building {args.attempts} attempts in {workdir} ...", file=sys.stderr)
    data = generate(args.attempts, args.seed)
    server = serve(workdir, args.port)
    try:
        client = Client(args.port)
        client.sign_in()
        page = f"/studio/courses/{COURSE}/quizzes/{QUIZ_KEY}/analysis"
        rows = [
            client.measure("/__bench/hello", 300, 20),
            client.measure(page, args.requests, 2),
            client.measure(page + "?attempts=all", args.requests, 1),
            client.measure(page + ".csv", args.requests, 1),
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    info = machine(workdir)
    print(
        f"\n### Item analysis at {data['attempts']:,} attempts "
        f"({data['learners']:,} learners, {data['answers']:,} answers, "
        f"{data['questions']} questions in the pool, {DRAWN} drawn)\n"
    )
    print_table(rows)
    print(
        f"\nnproc {info['nproc']} ({info['cpu']}), Python {info['python']}, "
        f"SQLite {info['sqlite']}, git {info['git']}, database {info['db_size']}, "
        f"built in {data['build_seconds']:.0f} s; gunicorn -w 2 sync, one client, "
        "signed in as an instructor for every route."
    )
    if args.keep:
        print(f"database kept in {workdir}", file=sys.stderr)
    else:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
