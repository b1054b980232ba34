"""Validation speed over the corpus of real dashboards, against `json.load` of the same files in the same run.

    python benchmarks/validation.py [--repeat N] [--sample N]

Prints the json.load baseline, the time of schema + rules (`metta_dash.validate.check_dashboard`), their
ratio, findings by rule, and for contrast the pure-Python jsonschema engine (used only to explain documents
that fail) timed on a sample. Reads the corpus from METTA_DASH_CORPUS (default ../shared/corpus).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from metta_dash import schema  # noqa: E402
from metta_dash.schema import checker  # noqa: E402
from metta_dash.validate import check_dashboard  # noqa: E402


def corpus_files() -> list[Path]:
    root = Path(os.environ.get("METTA_DASH_CORPUS", REPO.parent / "shared" / "corpus"))
    folder = root / "dashboards"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def best_of(repeat: int, run) -> tuple[float, object]:
    """The fastest of `repeat` runs (the least disturbed by the machine) and that run's result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def load_all(files: list[Path]) -> list[dict]:
    dashboards = []
    for path in files:
        with path.open(encoding="utf-8") as stream:
            dashboards.append(json.load(stream))
    return dashboards


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest counts")
    parser.add_argument("--sample", type=int, default=20, help="dashboards for the pure-Python contrast (0: skip)")
    args = parser.parse_args()

    files = corpus_files()
    if not files:
        print("validation benchmark skipped: corpus not found (set METTA_DASH_CORPUS to the shared corpus folder)")
        return 0

    load_seconds, dashboards = best_of(args.repeat, lambda: load_all(files))

    start = time.perf_counter()
    checker.load_schema()
    checker.definition_types()
    checker.fast_validator()
    setup_seconds = time.perf_counter() - start

    def check_all():
        return [check_dashboard(dashboard, str(path)) for path, dashboard in zip(files, dashboards, strict=True)]

    check_seconds, results = best_of(args.repeat, check_all)
    schema_seconds, _ = best_of(args.repeat, lambda: [schema.check(dashboard) for dashboard in dashboards])
    by_rule: collections.Counter[tuple[str, str, str]] = collections.Counter()
    for findings in results:
        for finding in findings:
            by_rule[(str(finding.severity), finding.rule, finding.slug)] += 1
    widgets = sum(len(d.get("widgets", [])) for d in dashboards)

    print(f"corpus: {len(files)} dashboards, {widgets} top-level widgets (best of {args.repeat} runs)")
    print(f"json.load of all files:          {load_seconds:8.3f} s   (baseline)")
    print(f"schema + rules (check_dashboard): {check_seconds:8.3f} s   "
          f"ratio {check_seconds / load_seconds:.2f} x json.load")
    print(f"  of which schema.check alone:    {schema_seconds:8.3f} s   "
          f"ratio {schema_seconds / load_seconds:.2f} x json.load")
    print(f"one-time schema load + compile:   {setup_seconds:8.3f} s")
    errors = sum(n for (severity, _, _), n in by_rule.items() if severity == "error")
    warnings = sum(n for (severity, _, _), n in by_rule.items() if severity == "warning")
    print(f"findings: {errors} errors, {warnings} warnings")
    for (severity, rule, slug), count in sorted(by_rule.items()):
        print(f"  {severity:7s} {rule} {slug}: {count}")

    if args.sample > 0:
        sample = dashboards[: args.sample]
        precise = checker._precise_validator()
        precise_seconds, _ = best_of(1, lambda: [list(precise.iter_errors(d)) for d in sample])
        per_dashboard = precise_seconds / len(sample)
        print(f"contrast: pure-Python jsonschema on {len(sample)} dashboards: {precise_seconds:.3f} s "
              f"({per_dashboard * 1000:.1f} ms each, ~{per_dashboard * len(dashboards):.1f} s for the corpus); "
              f"it runs only on dashboards the fast engine rejects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
