"""Two `metta-dash push` processes at once, and a registry that would let one dashboard overwrite another.

The processes are real (`metta-dash push` in a subprocess each) and share one emulator on loopback, slowed
down so that their requests interleave.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_sync import make_dashboard, new_project

from metta_dash import registry as id_registry
from metta_dash.cli import main
from metta_dash.registry import Entry, RegistryError

CLI = [sys.executable, "-c", "from metta_dash.cli import entry_point; entry_point()"]


def start_cli(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, *args], cwd=project, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def registry_ids(project: Path) -> dict[str, str]:
    return id_registry.load(project / "dashboards" / "registry.json").ids()


@pytest.fixture
def six(tmp_path, dd_emulator) -> Path:
    dd_emulator.latency = 0.3  # both processes are mid-push at the same time
    return new_project(tmp_path, {f"d{n}": make_dashboard(f"Dashboard {n}") for n in range(6)})


def test_two_pushes_at_once_create_each_dashboard_once(six, dd_emulator):
    first, second = start_cli(six, "push"), start_cli(six, "push")
    results = [finish(first), finish(second)]
    assert [code for code, _, _ in results] == [0, 0], results
    titles = sorted(d["title"] for d in dd_emulator.dashboards.values())
    assert titles == [f"Dashboard {n}" for n in range(6)]
    assert set(registry_ids(six).values()) == set(dd_emulator.dashboards)
    assert any("waiting for it to finish" in err for _, _, err in results)


def test_two_pushes_of_different_names_keep_each_others_entries(six, dd_emulator):
    first = start_cli(six, "push", "d0", "d1", "d2")
    second = start_cli(six, "push", "d3", "d4", "d5")
    assert [finish(first)[0], finish(second)[0]] == [0, 0]
    assert sorted(registry_ids(six)) == [f"d{n}" for n in range(6)]
    assert set(registry_ids(six).values()) == set(dd_emulator.dashboards)


def test_a_push_gives_up_after_the_lock_timeout_without_writing(six, dd_emulator):
    (six / "pyproject.toml").write_text('[tool.metta-dash]\nlock_timeout = 1\n')
    with id_registry.locked(six / "dashboards" / "registry.json"):
        code, _, err = finish(start_cli(six, "push"))
    assert code == 1
    assert "waiting for it to finish (at most 1 s)" in err and "gave up after 1 s" in err
    assert dd_emulator.writes == []


# -- a registry that would lose or overwrite a dashboard -------------------------------------------------


def write_registry(project: Path, entries: dict[str, dict]) -> None:
    document = {"version": 1, "dashboards": entries}
    (project / "dashboards" / "registry.json").write_text(json.dumps(document))


def test_two_names_with_one_id_are_refused_before_any_write(six, dd_emulator, monkeypatch, capsys):
    victim = dd_emulator.add(make_dashboard("Dashboard 0"))
    write_registry(six, {"d0": {"id": victim["id"]}, "d1": {"id": victim["id"]}})
    monkeypatch.chdir(six)
    assert main(["push"]) == 1
    err = capsys.readouterr().err
    assert f"{victim['id']} under 'd0', 'd1'" in err
    assert dd_emulator.writes == []
    assert dd_emulator.dashboards[victim["id"]]["title"] == "Dashboard 0"


def test_registering_an_id_under_a_second_name_is_refused(tmp_path):
    registry = id_registry.load(tmp_path / "registry.json")
    registry.set("d0", Entry(id="abc-def-ghi"))
    with pytest.raises(RegistryError, match="already registered as 'd0'"):
        registry.set("d1", Entry(id="abc-def-ghi"))
    assert registry.ids() == {"d0": "abc-def-ghi"}
    assert id_registry.load(tmp_path / "registry.json").ids() == {"d0": "abc-def-ghi"}


@pytest.mark.parametrize("name", ["../../x", "/abs/x", "a/b", ".hidden", "", "x" * 101, "tab\tname"])
def test_names_that_are_not_plain_are_refused(tmp_path, name):
    registry = id_registry.load(tmp_path / "registry.json")
    with pytest.raises(RegistryError, match="not a plain name"):
        registry.set(name, Entry(id="abc-def-ghi"))
    (tmp_path / "registry.json").write_text(json.dumps({"version": 1, "dashboards": {name: {"id": "abc-def-ghi"}}}))
    with pytest.raises(RegistryError, match="not a plain name"):
        id_registry.load(tmp_path / "registry.json")


@pytest.mark.parametrize("dashboard_id", ["", "../x", "abc def", None, 12])
def test_ids_that_are_not_dashboard_ids_are_refused(tmp_path, dashboard_id):
    (tmp_path / "registry.json").write_text(json.dumps({"version": 1, "dashboards": {"d0": {"id": dashboard_id}}}))
    with pytest.raises(RegistryError, match="not a Datadog dashboard ID"):
        id_registry.load(tmp_path / "registry.json")
