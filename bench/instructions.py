"""Benchmark: a signed-in learner's pages as CPU instructions per request, under callgrind.

    python bench/instructions.py [--scale 1] [--requests 10] [--only "My learning"]

wrk's throughput (``bench/pages.py``) is what the issue's targets are stated in, but on this
shared two-core machine it moves by a third when other work runs. Instructions do not:
valgrind's callgrind counts the instructions the process executes, the same count for the
same code and data whatever else the machine is doing. So this bench tells whether a change
made a page cheaper, to a fraction of a percent, while ``pages.py`` on an idle machine says
where the pages stand against the targets.

1. The same data as ``pages.py`` (``bench.learner_data``), built outside valgrind.
2. A second Python process, under ``valgrind --tool=callgrind``, signs the learner in with
   Flask's test client and, for each page, warms it up, zeroes the counters
   (``callgrind_control -z``), requests it ``--requests`` times and dumps the counters
   (``callgrind_control -d``).
3. A Markdown table: instructions per request, and hello-world for a visitor's count over the
   page's (higher is better). The test client stands in for gunicorn, so these ratios leave
   out the server's own work per request, which is the same for every page; with it the
   throughput ratios are higher than these (see bench/README.md).

The measured process runs with ``PYTHONHASHSEED=0``, so that sets and dicts of strings
iterate in the same order in every run of the same code. ``--only`` measures the named pages
(and hello-world for a visitor, the reference) instead of all of them, for a quicker before
and after of one change.

Needs Debian's ``valgrind``. Not run as a test; takes about four minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.item_analysis import env_for  # noqa: E402
from bench.learner_data import LEARNER, generate  # noqa: E402
from bench.load import VISITOR_HELLO  # noqa: E402
from bench.pages import pages  # noqa: E402


def chosen(module: str, only: list[str]) -> list[tuple[str, str]]:
    """The pages to measure: all, or those named (always with the visitor's hello-world)."""
    return [
        (name, path)
        for name, path in pages(module)
        if not only or path == VISITOR_HELLO or name in only
    ]


def measure(module: str, requests: int, only: list[str]) -> None:
    """Inside valgrind: request each page, dumping callgrind's counters around the requests."""
    from bench.benchapp import make_app
    from bench.profile_pages import _sign_in

    app = make_app()
    visitor, learner = app.test_client(), app.test_client()
    _sign_in(learner, LEARNER)
    pid = str(os.getpid())
    for _name, path in chosen(module, only):
        client = visitor if path == VISITOR_HELLO else learner
        for _ in range(3):  # warm: the per-process caches, as a server's would be
            assert client.get(path).status_code == 200, path
        subprocess.run(["callgrind_control", "-z", pid], check=True, capture_output=True)
        for _ in range(requests):
            client.get(path)
        subprocess.run(["callgrind_control", "-d", pid], check=True, capture_output=True)


def counts(outdir: Path, requests: int) -> list[int]:
    """Instructions per request from the dumps, in the order they were made (one a page)."""
    found = []
    for dump in sorted(outdir.glob("cg.*.*"), key=lambda p: int(p.suffix[1:])):
        total = re.search(r"^(?:summary|totals): (\d+)", dump.read_text(errors="replace"), re.M)
        assert total, f"no total in {dump}"
        found.append(int(total[1]) // requests)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="copies of the data (1 or 100)")
    parser.add_argument("--requests", type=int, default=10, help="requests counted per page")
    parser.add_argument(
        "--only", action="append", default=[], help="a page to measure (repeatable); all if none"
    )
    parser.add_argument("--inside", help=argparse.SUPPRESS)  # the module path, in valgrind
    args = parser.parse_args()
    if args.inside:
        measure(args.inside, args.requests, args.only)
        return
    names = [name for name, _ in pages("module")]
    unknown = [name for name in args.only if name not in names]
    if unknown:
        raise SystemExit(f"--only: no page called {unknown[0]!r}; pages: {', '.join(names)}")
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    workdir = Path(tempfile.mkdtemp(prefix="eduapp-instructions-"))
    os.environ.update(env_for(workdir))
    print(f"building scale {args.scale} in {workdir} ...", file=sys.stderr)
    facts = generate(args.scale, 1)
    outdir = workdir / "callgrind"
    outdir.mkdir()
    command = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={outdir}/cg.%p",
        sys.executable, __file__, "--inside", facts["module"], "--requests", str(args.requests),
        *(f"--only={name}" for name in args.only),
    ]  # fmt: skip
    fixed = {**os.environ, "PYTHONHASHSEED": "0"}  # the same count in every run
    subprocess.run(command, check=True, capture_output=True, env=fixed)
    routes = chosen(facts["module"], args.only)
    measured = counts(outdir, args.requests)
    assert len(measured) == len(routes), f"{len(measured)} dumps for {len(routes)} pages"
    reference = measured[[path for _, path in routes].index(VISITOR_HELLO)]
    print(f"\n### Instructions per request at scale {args.scale} (callgrind, test client)\n")
    print("| Page | instructions / request | hello / page (higher is better) |")
    print("|---|---:|---:|")
    for (name, path), n in zip(routes, measured, strict=True):
        print(f"| {name} `{path}` | {n / 1e6:.2f} M | {reference / n:.2f} |")
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
