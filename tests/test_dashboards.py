"""The project's own dashboards: clean under every check we have, ours and an independent one."""

from __future__ import annotations

from pathlib import Path

import pytest

from metta_dash import compile as jsonnet
from metta_dash import settings as project_settings
from metta_dash import testing
from metta_dash.validate import check_sources

SETTINGS = project_settings.load(Path(__file__).parent)
SOURCES = sorted(SETTINGS.dashboards.glob("*.jsonnet"))


@pytest.fixture(scope="module")
def checked():
    return {c.source.stem: c for c in check_sources(SOURCES, SETTINGS, jsonnet.options_for(SETTINGS))}


@pytest.mark.parametrize("name", [s.stem for s in SOURCES])
def test_no_errors_and_no_warnings(checked, name):
    assert checked[name].dashboard is not None
    assert [f"{f.rule} {f.jsonpath}: {f.message}" for f in checked[name].findings] == []


@pytest.mark.parametrize("name", [s.stem for s in SOURCES])
def test_accepted_by_the_emulators_independent_checks(checked, name):
    # The emulator validates through the datadog-api-client models and the server's own refusals.
    testing.check_dashboard(checked[name].dashboard)


@pytest.mark.parametrize("name", [s.stem for s in SOURCES])
def test_notes_never_carry_a_title(checked, name):
    def widgets(items):
        for widget in items:
            yield widget
            yield from widgets(widget["definition"].get("widgets", []))

    titled = [w for w in widgets(checked[name].dashboard["widgets"])
              if w["definition"]["type"] == "note" and "title" in w["definition"]]
    assert titled == []
