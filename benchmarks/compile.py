"""Compile time of the project's dashboards, against the engine's bare cost in the same run.

Baseline: evaluating a minimal dashboard with no imports once per source file, which is what the Jsonnet
engine costs before the widget library does any work. Prints best-of-N per dashboard and in total.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from metta_dash import compile as jsonnet
from metta_dash import settings as project_settings

MINIMAL = '{ title: "t", layout_type: "ordered", widgets: [] }'


def best_of(repeat: int, action) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings = project_settings.load(Path(__file__).resolve().parent)
    options = jsonnet.options_for(settings)
    sources = sorted(settings.dashboards.glob("*.jsonnet"))
    baseline = best_of(args.repeat, lambda: [
        jsonnet.compile_text(source, MINIMAL, options) for source in sources
    ])
    print(f"compile benchmark: {len(sources)} dashboards (best of {args.repeat})")
    total = 0.0
    for source in sources:
        elapsed = best_of(args.repeat, lambda source=source: jsonnet.compile_file(source, options))
        total += elapsed
        print(f"  {source.stem:32} {elapsed:6.3f} s")
    print(f"whole suite:                       {total:6.3f} s")
    print(f"bare engine, same files:           {baseline:6.3f} s   ratio {total / baseline:.1f} x")


if __name__ == "__main__":
    main()
