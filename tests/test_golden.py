"""Golden snapshots: every compiled dashboard equals tests/golden/<name>.json (refresh with `make golden`)."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from metta_dash import compile as jsonnet
from metta_dash import engines
from metta_dash import settings as project_settings

GOLDEN = Path(__file__).parent / "golden"
SOURCES = sorted(project_settings.load(Path(__file__).parent).dashboards.glob("*.jsonnet"))


def _render(dashboard: dict) -> str:
    return json.dumps(dashboard, indent=2, sort_keys=True) + "\n"


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_compiled_dashboard_matches_its_snapshot(source, project_dashboards, request):
    compiled = {name: c for name, c in project_dashboards.items() if c.source == source}
    assert all(c.dashboard is not None for c in compiled.values()), f"{source.name} did not compile: {compiled}"
    for name, checked in compiled.items():
        snapshot = GOLDEN / f"{name}.json"
        actual = _render(checked.dashboard)
        if request.config.getoption("--update-golden"):
            snapshot.parent.mkdir(exist_ok=True)
            snapshot.write_text(actual)
            continue
        assert snapshot.exists(), f"no snapshot {snapshot.name}: run `make golden` and review it"
        expected = snapshot.read_text()
        if actual != expected:
            diff = "".join(difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                fromfile=f"golden/{snapshot.name}", tofile=f"compiled {source.name}", n=2,
            ))
            pytest.fail(f"{name} differs from its snapshot (run `make golden` if intended):\n{diff}", pytrace=False)


def test_every_snapshot_has_a_dashboard(project_dashboards):
    stale = sorted(p.stem for p in GOLDEN.glob("*.json") if p.stem not in project_dashboards)
    assert not stale, f"snapshots without a dashboard (delete them): {stale}"


@pytest.mark.parametrize("engine", [name for name in engines.ENGINES if name != engines.default_name()])
def test_other_engines_compile_the_snapshots_byte_for_byte(engine):
    """The default engine writes the snapshots; the reference binding (and gojsonnet) must agree to the byte,
    so the library never comes to depend on one engine's extensions."""
    settings = project_settings.load(Path(__file__).parent)
    options = jsonnet.options_for(settings, engine=engine)
    differing = []
    for source in SOURCES:
        compiled = jsonnet.compile_file(source, options)
        assert compiled.dashboards, f"{source.name} does not compile with {engine}: {compiled.findings}"
        differing += [
            name for name, dashboard in compiled.dashboards.items()
            if _render(dashboard) != (GOLDEN / f"{name}.json").read_text()
        ]
    assert not differing, f"{engine} compiles these differently from the snapshots: {differing}"
