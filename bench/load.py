"""Closed-loop load for the benchmarks: wrk runs against a gunicorn master, and the CPU its
workers spend per request, read from ``/proc`` (the figure other work on a shared machine
changes least)."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
from pathlib import Path
from typing import Any

VISITOR_HELLO = "/__bench/hello?as=visitor"  # hello-world without the session cookie


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
    """Each route's median rps over ``repeats`` rounds, its median ratio to hello-world, and
    the server's CPU time per request.

    Hello-world (the first route) is measured again just before every other route, and each
    page's ratio is taken against that pairing's hello-world: on this shared virtual machine
    the CPU the host gives drifts by a quarter over minutes, and a hello-world measured a
    minute away carried that drift whole into every ratio. The CPU per request is the figure
    load changes least."""
    hello = routes[0][1]
    runs: dict[str, list[float]] = {path: [] for _, path in routes}
    cpu: dict[str, list[float]] = {path: [] for _, path in routes}
    ratios: dict[str, list[float]] = {path: [] for _, path in routes}

    def run(path: str) -> float:
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
        )  # a warm-up
        before = workers_cpu(master)
        result = wrk(port, path, cookie, args.duration)
        spent = workers_cpu(master) - before
        if result["non2xx"] or result["errors"]:
            raise SystemExit(f"{path}: {result}")
        runs[path].append(result["rps"])
        cpu[path].append(spent / result["requests"])
        return float(result["rps"])

    for _ in range(args.repeats):
        for _, path in routes[1:]:
            base = run(hello)
            ratios[path].append(run(path) / base)
    ratios[hello] = [1.0]
    return {
        path: {
            "rps": statistics.median(runs[path]),
            "cpu": statistics.median(cpu[path]),
            "ratio": statistics.median(ratios[path]),
        }
        for _, path in routes
    }
