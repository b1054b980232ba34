"""No-op push speed: 200 dashboards already in Datadog, concurrent against sequential (--jobs 1), same run.

    python benchmarks/push.py [--dashboards N] [--latency SECONDS] [--jobs N]

Generates N dashboards from one template (varied titles, widget counts and widget types), pushes them
once to the local emulator to seed it, then times a push that has nothing to send, with `--latency` added
to every answer (default 50 ms, a realistic round trip to Datadog). Prints wall time and requests for the
sequential baseline and the concurrent push, and fails when a no-op push writes anything.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from metta_dash import registry as id_registry  # noqa: E402
from metta_dash import sync  # noqa: E402
from metta_dash.datadog import Client  # noqa: E402
from metta_dash.testing import Emulator  # noqa: E402
from metta_dash.validate import Checked, check_dashboard  # noqa: E402


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


def timed_push(dashboards: list[Checked], emulator: Emulator, registry_path: Path, jobs: int) -> dict:
    emulator.clear_requests()
    with Client(api_url=emulator.url) as client:
        start = time.perf_counter()
        outcomes = sync.push(dashboards, client, id_registry.load(registry_path), jobs=jobs)
        seconds = time.perf_counter() - start
        made = client.requests_made
    return {
        "jobs": jobs,
        "seconds": seconds,
        "requests": made,
        "answered": len(emulator.requests),
        "writes": len(emulator.writes),
        "states": sync.summary(outcomes),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dashboards", type=int, default=200, help="dashboards to generate")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every emulator answer")
    parser.add_argument("--jobs", type=int, default=sync.DEFAULT_JOBS, help="concurrency of the measured push")
    args = parser.parse_args()

    dashboards = []
    for number in range(args.dashboards):
        dashboard = generated_dashboard(number)
        findings = check_dashboard(dashboard, f"service_{number:03}")
        if any(f.is_error for f in findings):
            print(f"generated dashboard {number} does not validate: {findings[0].message}")
            return 1
        dashboards.append(Checked(Path(f"service_{number:03}.jsonnet"), f"service_{number:03}", dashboard, []))

    with tempfile.TemporaryDirectory() as folder, Emulator(api_key="bench", app_key="bench") as emulator:
        import os

        os.environ.update(DD_API_KEY="bench", DD_APP_KEY="bench")
        registry_path = Path(folder) / "registry.json"
        start = time.perf_counter()
        seeded = timed_push(dashboards, emulator, registry_path, jobs=args.jobs)
        if seeded["states"]["created"] != args.dashboards:
            print(f"seeding failed: {seeded['states']}")
            return 1
        seed_seconds = time.perf_counter() - start

        emulator.latency = args.latency
        sequential = timed_push(dashboards, emulator, registry_path, jobs=1)
        concurrent = timed_push(dashboards, emulator, registry_path, jobs=args.jobs)

    print(f"push benchmark: {args.dashboards} dashboards, {args.latency * 1000:.0f} ms added per request "
          f"(seeded in {seed_seconds:.2f} s without latency: {seeded['requests']} requests)")
    for label, run in (("sequential (--jobs 1)", sequential), (f"concurrent (--jobs {args.jobs})", concurrent)):
        print(f"  {label:<24} {run['seconds']:6.2f} s  {run['requests']} requests, {run['writes']} writes, "
              f"{run['states']['unchanged']} unchanged")
    print(f"  speed-up: {sequential['seconds'] / concurrent['seconds']:.1f}x "
          f"(floor for {args.dashboards} GETs at {args.jobs} at a time: "
          f"{args.dashboards / args.jobs * args.latency:.2f} s)")
    if sequential["writes"] or concurrent["writes"]:
        print("FAILED: a push with nothing to change wrote to Datadog")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
