"""Push speed as the user sees it: whole `metta-dash push` processes against the local emulator.

    python benchmarks/push.py [--dashboards N] [--latency SECONDS] [--jobs N]

Generates a project of N dashboard sources (varied titles, widget counts and widget types), then times
whole processes (start-up, imports, compiling and every request included), with `--latency` added to
every emulator answer (default 50 ms, a realistic round trip to Datadog):

- the first push, which creates every dashboard (the emulator without latency, to seed it);
- a push with nothing to send, sequential (`--jobs 1`): the baseline of the same run;
- the same no-op push, concurrent (`--jobs N`), as a ratio to the baseline;
- `push NAME` of one dashboard, which compiles only that source, as a ratio to the concurrent push of all;
- a push after the registry is lost (every dashboard adopted by its title).

Fails when a push with nothing to change writes anything.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from metta_dash.testing import Emulator  # noqa: E402

CLI = [sys.executable, "-c", "from metta_dash.cli import entry_point; entry_point()"]


def generated_dashboard(number: int) -> dict:
    """One dashboard of the family: a note, a few timeseries and query values, every so often a group."""
    widgets = [{"definition": {"type": "note", "content": f"Service {number}: what this dashboard shows"}}]
    for n in range(2 + number % 5):
        widgets.append({"definition": {
            "type": "timeseries",
            "title": f"Latency p{50 + n * 10} of service {number}",
            "requests": [{"q": f"avg:trace.http.request.duration{{service:svc-{number}}} by {{host}}",
                          "display_type": "line"}],
            "markers": [{"value": f"y = {100 + n}", "display_type": "error dashed"}],
        }})
    widgets.append({"definition": {
        "type": "query_value",
        "title": f"Errors of service {number}",
        "requests": [{"q": f"sum:trace.http.request.errors{{service:svc-{number}}}", "aggregator": "sum"}],
        "precision": 0,
    }})
    if number % 3 == 0:
        widgets.append({"definition": {
            "type": "group", "title": "Hosts", "layout_type": "ordered",
            "widgets": [{"definition": {"type": "check_status", "title": "Agent up", "check": "datadog.agent.up",
                                        "grouping": "cluster", "group_by": [], "tags": []}}],
        }})
    return {
        "title": f"Service {number:03} overview",
        "description": f"Generated dashboard {number}",
        "layout_type": "ordered",
        "widgets": widgets,
        "template_variables": [{"name": "env", "prefix": "env", "default": "prod"}],
    }


def write_project(root: Path, count: int) -> None:
    (root / "pyproject.toml").write_text("[tool.metta-dash]\n")
    (root / "components").mkdir()
    (root / "dashboards").mkdir()
    for number in range(count):
        (root / "dashboards" / f"service_{number:03}.jsonnet").write_text(json.dumps(generated_dashboard(number)))


def timed_push(root: Path, emulator: Emulator, *args: str) -> dict:
    emulator.clear_requests()
    start = time.perf_counter()
    run = subprocess.run([*CLI, "push", *args], cwd=root, env=dict(os.environ), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"`metta-dash push {' '.join(args)}` failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    return {"seconds": seconds, "requests": len(emulator.requests), "writes": len(emulator.writes),
            "summary": run.stdout.strip().splitlines()[-1]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dashboards", type=int, default=200, help="dashboards to generate")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every emulator answer")
    parser.add_argument("--jobs", type=int, default=8, help="concurrency of the measured push")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder, Emulator(api_key="bench", app_key="bench") as emulator:
        root = Path(folder)
        write_project(root, args.dashboards)
        os.environ.update(DD_API_KEY="bench", DD_APP_KEY="bench", DD_API_URL=emulator.url)
        jobs = str(args.jobs)
        seeded = timed_push(root, emulator, "--jobs", jobs)
        emulator.latency = args.latency
        sequential = timed_push(root, emulator, "--jobs", "1")
        concurrent = timed_push(root, emulator, "--jobs", jobs)
        one = timed_push(root, emulator, "service_007", "--jobs", jobs)
        (root / "dashboards" / "registry.json").unlink()
        adopted = timed_push(root, emulator, "--jobs", jobs)

    print(f"push benchmark: {args.dashboards} dashboards, whole `metta-dash push` processes, "
          f"{args.latency * 1000:.0f} ms added per answer after seeding")
    rows = (
        ("first push, creates (no latency)", seeded),
        ("no-op, --jobs 1 (baseline)", sequential),
        (f"no-op, --jobs {args.jobs}", concurrent),
        ("push one NAME", one),
        ("registry lost: adopt by title", adopted),
    )
    for label, run in rows:
        print(f"  {label:<34} {run['seconds']:6.2f} s  {run['requests']:4} requests, {run['writes']:3} writes  "
              f"({run['summary']})")
    print(f"  concurrent no-op vs baseline: {sequential['seconds'] / concurrent['seconds']:.1f}x faster "
          f"(floor for {args.dashboards} GETs at {args.jobs} at a time: "
          f"{args.dashboards / args.jobs * args.latency:.2f} s)")
    print(f"  push one NAME vs no-op push of all: {concurrent['seconds'] / one['seconds']:.1f}x faster")
    if sequential["writes"] or concurrent["writes"] or one["writes"] or adopted["writes"]:
        print("FAILED: a push with nothing to change wrote to Datadog")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
