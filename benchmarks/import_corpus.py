"""`metta-dash import` over the corpus of real dashboards: how many round-trip, how much of the output uses
builders, and how long importing and compiling take (whole corpus, one process)."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from metta_dash import importer

CORPUS = Path(os.environ.get("METTA_DASH_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))


def main() -> None:
    files = sorted((CORPUS / "dashboards").glob("*.json"))
    if not files:
        print(f"import benchmark: no corpus at {CORPUS} (set METTA_DASH_CORPUS); skipped")
        return
    dashboards = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in files}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        result = importer.round_trip(dashboards, Path(folder))
    total = time.perf_counter() - started
    share = 100 * result.builders / (result.builders + result.raw)
    equal = len(dashboards) - len(result.problems)
    print(f"import benchmark: {len(dashboards)} corpus dashboards")
    print(f"  round trip equal after normalisation: {equal}/{len(dashboards)}")
    for name, problem in sorted(result.problems.items()):
        print(f"    {name}: {problem}")
    print(f"  objects through builders: {result.builders}, plain: {result.raw} ({share:.2f} % builders)")
    each = 1000 * result.import_seconds / len(dashboards)
    print(f"  import: {result.import_seconds:.2f} s ({each:.1f} ms a dashboard)")
    print(f"  compile of the output (one evaluation): {result.compile_seconds:.2f} s; whole run {total:.2f} s")


if __name__ == "__main__":
    main()
