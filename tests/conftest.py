"""Shared fixtures: the repository root and the corpus of real Datadog dashboards."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def corpus_root() -> Path:
    return Path(os.environ.get("METTA_DASH_CORPUS", REPO.parent / "shared" / "corpus"))


def corpus_files() -> list[Path]:
    folder = corpus_root() / "dashboards"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def layered_project(root: Path, dashboards: dict[str, str]) -> Path:
    """A project at `root` with `dashboards` (file name -> text) importing components/lib.libsonnet, which
    imports deep.libsonnet ({ title: 'One' }): what a cache must see changing two imports deep."""
    (root / "pyproject.toml").write_text("[tool.metta-dash]\n")
    components = root / "components"
    components.mkdir()
    (components / "lib.libsonnet").write_text(
        "local deep = import 'deep.libsonnet';\n{ title: deep.title, note: 'hi' }"
    )
    (components / "deep.libsonnet").write_text("{ title: 'One' }")
    (root / "dashboards").mkdir()
    for name, text in dashboards.items():
        (root / "dashboards" / name).write_text(text)
    return root


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def project_dashboards():
    """Every dashboard of this repository compiled and validated once per run: name -> Checked."""
    from metta_dash import compile as jsonnet
    from metta_dash import settings as project_settings
    from metta_dash.validate import check_sources

    settings = project_settings.load(REPO)
    sources = sorted(settings.dashboards.glob("*.jsonnet"))
    return {c.name or c.source.stem: c for c in check_sources(sources, settings, jsonnet.options_for(settings))}


@pytest.fixture(scope="session")
def corpus() -> dict[str, dict]:
    """Every corpus dashboard by file name; skips when the corpus is absent (a user's fresh clone)."""
    files = corpus_files()
    if not files:
        pytest.skip(f"corpus of real dashboards not found at {corpus_root()} (set METTA_DASH_CORPUS)")
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in files}


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden", action="store_true", default=False,
        help="Rewrite tests/golden/*.json from the current dashboards instead of comparing (make golden).",
    )


@pytest.fixture
def dd_emulator(monkeypatch):
    """A running Datadog Dashboards API emulator on loopback.

    DD_API_URL, DD_API_KEY and DD_APP_KEY point at it for the test, so `metta_dash.datadog.Client()` and
    the CLI talk to it with no arguments. The emulator accepts only these keys (`dd_emulator.api_key`,
    `dd_emulator.app_key`).
    """
    from metta_dash.testing import Emulator

    with Emulator(api_key="emulator-api-key-5f1c", app_key="emulator-app-key-9b7e") as emulator:
        monkeypatch.setenv("DD_API_URL", emulator.url)
        monkeypatch.setenv("DD_API_KEY", emulator.api_key)
        monkeypatch.setenv("DD_APP_KEY", emulator.app_key)
        monkeypatch.delenv("DD_SITE", raising=False)
        yield emulator
    assert not emulator.internal_errors, "the emulator failed on a request:\n" + "\n".join(emulator.internal_errors)
