"""Would compiling and checking dashboards in several processes pay? Whole processes, serial vs a fork pool.

    python benchmarks/parallel.py [--repeat N] [--jobs N]

Each run is a fresh process that imports the library and compiles and validates every source of a project
(what `metta-dash build --no-cache` spends its time on): either one after the other, or the first in the
process (so the lazy imports and validators are loaded) and the rest in a pool of workers forked after it
(collector frozen so the workers do not copy the parent's heap; results pickled back, in order). Projects: this
repository's dashboards and generated ones (benchmarks/scale_fixture.py) of several sizes. Wall time (best and
median) is what a user waits; CPU time (the process and its workers) shows what the pool itself costs; the
load average says how many cores the other processes left free.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from scale_fixture import fixture  # noqa: E402
from speed import compile_bytecode, paired_runs  # noqa: E402

CHECK = """
import gc, multiprocessing, sys
from pathlib import Path
from metta_dash import compile as jsonnet, settings as project_settings
from metta_dash.validate import check_sources

project = project_settings.load(Path(sys.argv[1]))
options = jsonnet.options_for(project)
sources = sorted(project.dashboards.glob("*.jsonnet"))
jobs = int(sys.argv[2])

def check(source):
    return check_sources([source], project, options)

results = [check(sources[0])]
if jobs == 1:
    results += [check(source) for source in sources[1:]]
else:
    gc.freeze()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        results += pool.map(check, sources[1:], chunksize=1)
assert all(checked.dashboard for result in results for checked in result), "a source failed"
"""


def generated(folder: Path, count: int, widgets: int) -> Path:
    (folder / "pyproject.toml").write_text(f'[tool.metta-dash]\ncomponents = "{REPO / "components"}"\n')
    (folder / "dashboards").mkdir()
    for index in range(count):
        (folder / "dashboards" / f"scale_{index}.jsonnet").write_text(fixture(widgets))
    return folder


def compare(label: str, project: Path, repeat: int, jobs: int) -> None:
    serial, pooled = paired_runs([[sys.executable, "-c", CHECK, str(project), "1"],
                                  [sys.executable, "-c", CHECK, str(project), str(jobs)]], repeat)
    print(f"  {label:28} serial best {serial.wall[0]:6.3f} s median {serial.wall[1]:6.3f} s "
          f"cpu {serial.cpu[1]:6.3f} s   pool of {jobs} best {pooled.wall[0]:6.3f} s median {pooled.wall[1]:6.3f} s "
          f"cpu {pooled.cpu[1]:6.3f} s   wall ratio {pooled.wall[0] / serial.wall[0]:4.2f}x "
          f"(medians {pooled.wall[1] / serial.wall[1]:4.2f}x)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each process; best and median shown")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="worker processes of the pool")
    args = parser.parse_args()
    compile_bytecode()
    print(f"compile + validate, serial vs {args.jobs} forked workers ({os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the start; whole processes)")
    compare("this project's dashboards", REPO, args.repeat, args.jobs)
    for count, widgets in ((8, 10), (40, 100), (4, 1000), (8, 1000)):
        folder = Path(tempfile.mkdtemp(prefix="metta-dash-parallel-"))
        try:
            compare(f"{count} generated x {widgets} widgets", generated(folder, count, widgets), args.repeat,
                    args.jobs)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"  load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
