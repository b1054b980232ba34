"""Whole-process speed, as a user and CI see it: each figure is a ratio to a baseline measured in the same run.

    python benchmarks/speed.py [--repeat N] [--skip-scale]

1. `metta-dash validate` of the corpus vs a process that only json.loads the same files (target <= 1.5x): wall
   and CPU time (user + system), the commands run in turn so that a busy moment weighs on all alike. Beside them,
   the floor: processes that only start, read and parse the files as validate does (msgspec), and that also run
   validate's two jsonschema-rs passes (the nesting limit, the schema) with no rule: what validate would cost
   if its rules cost nothing.
2. Compiling the project's dashboards with the default engine vs the reference `jsonnet` binding, same files,
   same import path, same link callback (target <= 0.1x).
3. A no-op `make dashboards` (everything cached) vs `metta-dash --version` (target <= 1.5x); says so when the
   build is not answered from its record (a source that failed or printed traces), as the times are then not.
4. `metta-dash build` of generated 10 / 100 / 1,000 / 10,000-widget dashboards, in sections of 24 and as one
   stack of full-width rows: time and cost per widget.

Every process is run several times; the best (least disturbed) and the median are printed, and a ratio of
bests with the ratio of medians beside it. metta-dash's modules are compiled to bytecode first, as installing
the package does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from scale_fixture import fixture  # noqa: E402

BIN = Path(sys.executable).parent
METTA_DASH = str(BIN / "metta-dash")
CORPUS = Path(os.environ.get("METTA_DASH_CORPUS", REPO.parent / "shared" / "corpus")) / "dashboards"

JSON_LOAD_ONLY = """
import json, sys
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.json")):
    with path.open("rb") as stream:
        json.load(stream)
"""

# The floor of section 1: validate's work up to its rules, in a process of its own (`parse` or `schema`).
FLOOR = """
import gc, sys
from pathlib import Path
from metta_dash import json_parse
gc.disable()  # as validate does while it checks
if sys.argv[2] == "schema":
    from metta_dash import limits
    from metta_dash.schema import checker
    valid = checker.fast_validator().is_valid
    for path in sorted(Path(sys.argv[1]).glob("*.json")):
        dashboard = json_parse.loads(path.read_bytes())
        limits.depth_beyond(dashboard) or valid(dashboard)
else:
    for path in sorted(Path(sys.argv[1]).glob("*.json")):
        json_parse.loads(path.read_bytes())
"""

COMPILE_SUITE = """
import sys
from pathlib import Path
from metta_dash import compile as jsonnet, settings
project = settings.load(Path(sys.argv[1]))
options = jsonnet.options_for(project, engine=sys.argv[2])
for source in sorted(project.dashboards.glob("*.jsonnet")):
    assert jsonnet.compile_file(source, options).dashboards, source
"""

def replays_noop_build() -> bool:
    """Whether `metta-dash build` here is answered from its record, as section 3 means to time: the run that
    replays loads no compiler (its imports, as `python -X importtime` lists them, tell)."""
    run = subprocess.run([sys.executable, "-X", "importtime", METTA_DASH, "build"], cwd=REPO,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return "metta_dash.compile" not in {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()}


def timed(command: list[str], repeat: int, cwd: Path = REPO) -> tuple[float, float]:
    """(best, median) wall time of `command` over `repeat` runs; a failing run stops the benchmark."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def show(label: str, measured: tuple[float, float], baseline: tuple[float, float] | None = None,
         target: float | None = None) -> None:
    best, median = measured
    line = f"  {label:44} best {best * 1000:8.1f} ms   median {median * 1000:8.1f} ms"
    if baseline is not None:
        ratio = best / baseline[0]
        verdict = ""
        if target is not None:
            verdict = f"  (target <= {target:g}x: {'met' if ratio <= target else 'NOT met'})"
        line += f"   ratio {ratio:5.2f}x (medians {median / baseline[1]:5.2f}x){verdict}"
    print(line)


def validate_vs_json_load(repeat: int) -> None:
    if not CORPUS.is_dir():
        print("1. corpus validation: skipped, corpus not found (set METTA_DASH_CORPUS)")
        return
    files = len(list(CORPUS.glob("*.json")))
    print(f"1. validate {files} corpus dashboards vs json.load of the same files (whole processes, runs in turn)")
    baseline, validate, parse, schema = paired_runs(
        [[sys.executable, "-c", JSON_LOAD_ONLY, str(CORPUS)],
         [METTA_DASH, "validate", "--no-cache", str(CORPUS)],
         [sys.executable, "-c", FLOOR, str(CORPUS), "parse"],
         [sys.executable, "-c", FLOOR, str(CORPUS), "schema"]],
        repeat,
    )
    for kind in ("wall", "cpu"):
        label = kind if kind == "wall" else "CPU"
        show(f"python: json.load only (baseline), {label}", getattr(baseline, kind))
        show(f"metta-dash validate --no-cache, {label}", getattr(validate, kind), getattr(baseline, kind), 1.5)
        show(f"floor: read + msgspec parse, {label}", getattr(parse, kind), getattr(baseline, kind))
        show(f"floor: + depth and schema passes, {label}", getattr(schema, kind), getattr(baseline, kind))
    above, room = validate.cpu[0] - schema.cpu[0], 1.5 * baseline.cpu[0] - schema.cpu[0]
    print(f"  CPU, bests: validate spends {above * 1000:.0f} ms above the floor (its rules, the command line, "
          f"findings); the 1.5x target leaves {room * 1000:.0f} ms above it")


class Runs:
    """Wall and CPU (user + system, the process and its children) times of several runs of one command."""

    def __init__(self) -> None:
        self.walls: list[float] = []
        self.cpus: list[float] = []

    @property
    def wall(self) -> tuple[float, float]:
        return min(self.walls), statistics.median(self.walls)

    @property
    def cpu(self) -> tuple[float, float]:
        return min(self.cpus), statistics.median(self.cpus)

    def run(self, command: list[str]) -> None:
        import resource

        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.walls.append(time.perf_counter() - start)
        self.cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def paired_runs(commands: list[list[str]], repeat: int) -> list[Runs]:
    """`repeat` runs of each command, the commands in turn, so that a busy moment weighs on all alike."""
    runs = [Runs() for _ in commands]
    for _ in range(repeat):
        for command, its_runs in zip(commands, runs, strict=True):
            its_runs.run(command)
    return runs


def compile_vs_reference(repeat: int) -> None:
    from metta_dash import engines

    default = engines.default_name()
    print(f"2. compile the project's dashboards: {default} vs the reference jsonnet binding (whole processes)")
    reference = timed([sys.executable, "-c", COMPILE_SUITE, str(REPO), engines.REFERENCE], max(1, repeat // 2))
    show("jsonnet (reference, baseline)", reference)
    for name in engines.ENGINES:
        if name != engines.REFERENCE:
            show(name, timed([sys.executable, "-c", COMPILE_SUITE, str(REPO), name], repeat), reference,
                 0.1 if name == default else None)


def noop_build_vs_version(repeat: int) -> None:
    print("3. no-op `make dashboards` (all cached) vs `metta-dash --version` (whole processes, runs paired)")
    subprocess.run(["make", "-s", "dashboards"], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    if not replays_noop_build():  # e.g. a source failed to compile or printed traces: each run would build, not replay
        print("  the build is not replayed from its record here: the times below are of a full (cached) build")
    baseline, build = paired_runs([[METTA_DASH, "--version"], [METTA_DASH, "build"]], repeat)
    show("metta-dash --version (baseline)", baseline.wall)
    show("metta-dash build (no-op)", build.wall, baseline.wall, 1.5)
    baseline, make = paired_runs([[METTA_DASH, "--version"], ["make", "-s", "dashboards"]], repeat)
    show("metta-dash --version (baseline)", baseline.wall)
    show("make dashboards (no-op)", make.wall, baseline.wall, 1.5)


def scaling(repeat: int) -> None:
    print("4. metta-dash build --no-cache of generated dashboards (whole processes; compile + validation)")
    folder = Path(tempfile.mkdtemp(prefix="metta-dash-scale-"))
    try:
        (folder / "pyproject.toml").write_text(
            f'[tool.metta-dash]\ncomponents = "{REPO / "components"}"\n'
        )
        (folder / "dashboards").mkdir()
        empty = timed([METTA_DASH, "build", "--no-cache"], repeat, folder)
        show("no dashboard (process start)", empty)
        for shape in ("sections", "rows"):
            print(f"  {shape}:")
            previous = None
            for count in (10, 100, 1000, 10000):
                for old in (folder / "dashboards").glob("*.jsonnet"):
                    old.unlink()
                (folder / "dashboards" / f"scale_{count}.jsonnet").write_text(fixture(count, shape))
                best, median = timed([METTA_DASH, "build", "--no-cache"], 1 if count >= 10000 else repeat, folder)
                per_widget = (best - empty[0]) / count * 1000
                slope = ""
                if previous is not None:
                    slope = f"   marginal {(best - previous[1]) / (count - previous[0]) * 1000:6.3f} ms/widget"
                print(f"  {count:>6} widgets: best {best:7.3f} s   median {median:7.3f} s   "
                      f"{per_widget:6.3f} ms/widget above start-up{slope}")
                previous = (count, best)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def compile_bytecode() -> None:
    """Compile metta-dash's modules to bytecode first, as installing the package does.

    A checkout installed in editable mode writes bytecode on its first run, unless PYTHONDONTWRITEBYTECODE is set
    (some sandboxes and containers set it): then every run would compile every module it imports again, a cost
    no installed copy pays.
    """
    import compileall

    compileall.compile_dir(REPO / "metta_dash", quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each process; best and median shown")
    parser.add_argument("--skip-scale", action="store_true", help="skip the generated-dashboard scaling runs")
    args = parser.parse_args()
    compile_bytecode()
    validate_vs_json_load(args.repeat)
    compile_vs_reference(args.repeat)
    noop_build_vs_version(args.repeat)
    if not args.skip_scale:
        scaling(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
