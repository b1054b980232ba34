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


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


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
