"""The project's own dashboards: clean under every check we have, ours and an independent one."""

from __future__ import annotations

from pathlib import Path

import pytest

from metta_dash import registry, testing
from metta_dash import settings as project_settings

SETTINGS = project_settings.load(Path(__file__).parent)
SOURCES = sorted(SETTINGS.dashboards.glob("*.jsonnet"))
# Dashboards of this project never pushed yet: links to them are search links until their first push records an
# ID, and say so (C004). Any other finding is a defect.
UNPUSHED = {s.stem for s in SOURCES} - set(registry.load(SETTINGS.registry).ids())


@pytest.mark.parametrize("name", [s.stem for s in SOURCES])
def test_no_errors_and_no_warnings(project_dashboards, name):
    assert project_dashboards[name].dashboard is not None
    unexpected = [
        f"{f.rule} {f.jsonpath}: {f.message}" for f in project_dashboards[name].findings
        if not (f.rule == "C004" and any(f"dashboard {other!r} has no" in f.message for other in UNPUSHED))
    ]
    assert unexpected == []


@pytest.mark.parametrize("name", [s.stem for s in SOURCES])
def test_accepted_by_the_emulators_independent_checks(project_dashboards, name):
    # The emulator validates through the datadog-api-client models and the server's own refusals.
    testing.check_dashboard(project_dashboards[name].dashboard)


@pytest.mark.parametrize("name", [s.stem for s in SOURCES])
def test_notes_never_carry_a_title(project_dashboards, name):
    def widgets(items):
        for widget in items:
            yield widget
            yield from widgets(widget["definition"].get("widgets", []))

    titled = [w for w in widgets(project_dashboards[name].dashboard["widgets"])
              if w["definition"]["type"] == "note" and "title" in w["definition"]]
    assert titled == []
