"""Mistakes a real team makes, made safe: prunes that would delete what they should not, names and paths
that would write outside their folder, overwrites nobody asked for, file modes lost. Against the emulator.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from test_sync import make_dashboard, new_project

from metta_dash import registry as id_registry
from metta_dash.cli import main
from metta_dash.registry import Entry


@pytest.fixture
def project(tmp_path, monkeypatch, dd_emulator) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    new_project(root, {"pr_health": make_dashboard("PR Health"), "deploys": make_dashboard("Deploys")})
    monkeypatch.chdir(root)
    return root


def registry_of(project: Path) -> id_registry.Registry:
    return id_registry.load(project / "dashboards" / "registry.json")


def deletes(emulator) -> list:
    return [r for r in emulator.requests if r.method == "DELETE"]


# -- prune -------------------------------------------------------------------------------------------


def test_a_mistyped_dashboards_folder_prunes_nothing(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    (project / "pyproject.toml").write_text('[tool.metta-dash]\ndashboards = "dashbords"\n'
                                            'registry = "dashboards/registry.json"\n')
    assert main(["push", "--prune", "--yes"]) == 2
    assert "dashbords does not exist" in capsys.readouterr().err
    assert deletes(dd_emulator) == [] and len(dd_emulator.dashboards) == 2


def test_an_empty_dashboards_folder_prunes_nothing(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    for source in (project / "dashboards").glob("*.jsonnet"):
        source.unlink()
    capsys.readouterr()
    assert main(["push", "--prune", "--yes"]) == 1
    assert "no dashboard sources found" in capsys.readouterr().out
    assert deletes(dd_emulator) == [] and len(dd_emulator.dashboards) == 2


def test_a_hand_registered_dashboard_is_never_pruned_even_after_a_push_recorded_its_state(
    project, dd_emulator, capsys
):
    made_in_ui = dd_emulator.add(make_dashboard("Deploys"))
    registry_of(project).set("deploys", Entry(id=made_in_ui["id"], title="Deploys"))
    assert main(["push"]) == 0  # equal to the source: the state is recorded
    assert registry_of(project).get("deploys").has_pushed_state
    (project / "dashboards" / "deploys.jsonnet").unlink()
    capsys.readouterr()
    assert main(["push", "--prune", "--yes"]) == 0
    assert f"kept             deploys ({made_in_ui['id']}): registered by hand" in capsys.readouterr().out
    assert made_in_ui["id"] in dd_emulator.dashboards and deletes(dd_emulator) == []


def test_an_adopted_dashboard_is_never_pruned(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    (project / "dashboards" / "registry.json").unlink()
    assert main(["push"]) == 0  # adopted by title
    assert registry_of(project).get("deploys").origin == "adopted"
    (project / "dashboards" / "deploys.jsonnet").unlink()
    capsys.readouterr()
    assert main(["push", "--prune", "--yes"]) == 0
    assert "kept             deploys" in capsys.readouterr().out
    assert deletes(dd_emulator) == []


def test_a_large_prune_needs_its_own_flag(tmp_path, monkeypatch, dd_emulator, capsys):
    root = new_project(tmp_path, {f"d{n}": make_dashboard(f"Dashboard {n}") for n in range(6)})
    monkeypatch.chdir(root)
    assert main(["push"]) == 0
    for n in range(4):
        (root / "dashboards" / f"d{n}.jsonnet").unlink()
    capsys.readouterr()
    assert main(["push", "--prune", "--yes"]) == 1
    assert "4 of 6 managed dashboards would be deleted" in capsys.readouterr().out
    assert deletes(dd_emulator) == [] and len(dd_emulator.dashboards) == 6
    assert main(["push", "--prune", "--yes", "--allow-mass-prune"]) == 0
    assert len(deletes(dd_emulator)) == 4 and sorted(registry_of(root).ids()) == ["d4", "d5"]


# -- paths -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../x", "/abs/x", "../outside"])
def test_a_hostile_dashboard_name_writes_nothing_outside_the_build_folder(project, tmp_path, name, capsys):
    target = f"/tmp/metta-dash-abs-{os.getpid()}" if name.startswith("/") else name
    dashboard = json.dumps(make_dashboard("Hostile"))
    (project / "dashboards" / "multi.jsonnet").write_text(f"{{ {json.dumps(target)}: {dashboard} }}")
    assert main(["build"]) == 1
    out = capsys.readouterr().out
    assert "[C005 unsafe-dashboard-name]" in out and "not a plain name" in out
    written = {p.name for p in (project / "build" / "dashboards").iterdir()}
    assert written == {"pr_health.json", "deploys.json"}
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "outside.json").exists()
    assert not Path(f"/tmp/metta-dash-abs-{os.getpid()}.json").exists()


def test_build_into_a_folder_outside_build_overwrites_only_with_force(project, capsys):
    (project / "pyproject.toml").write_text('[tool.metta-dash]\noutput = "compiled"\n')
    (project / "compiled").mkdir()
    (project / "compiled" / "deploys.json").write_text("mine\n")
    assert main(["build"]) == 2
    assert "compiled/deploys.json exists; refusing to overwrite it" in capsys.readouterr().err
    assert (project / "compiled" / "deploys.json").read_text() == "mine\n"
    assert not (project / "compiled" / "pr_health.json").exists()  # every refusal before the first write
    assert main(["build", "--force"]) == 0
    assert json.loads((project / "compiled" / "deploys.json").read_text())["title"] == "Deploys"


def test_export_never_overwrites_without_force_and_never_the_registry(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    registry_text = (project / "dashboards" / "registry.json").read_text()
    stored = dd_emulator.add(make_dashboard("Made in the UI"))
    notes = project / "notes.json"
    notes.write_text("keep me\n")
    capsys.readouterr()
    assert main(["export", stored["id"], "-o", str(notes)]) == 2
    assert "exists; refusing to overwrite it" in capsys.readouterr().err and notes.read_text() == "keep me\n"
    assert main(["export", stored["id"], "-o", "dashboards/registry.json", "--force"]) == 2
    assert "refusing to overwrite the registry" in capsys.readouterr().err
    assert (project / "dashboards" / "registry.json").read_text() == registry_text
    assert main(["export", stored["id"], "-o", str(notes), "--force"]) == 0
    assert json.loads(notes.read_text())["title"] == "Made in the UI"


def test_pull_outside_build_overwrites_only_with_force(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    review = project / "review"
    review.mkdir()
    (review / "deploys.json").write_text("my notes\n")
    assert main(["pull", "-o", str(review)]) == 2
    assert (review / "deploys.json").read_text() == "my notes\n" and not (review / "pr_health.json").exists()
    assert main(["pull", "-o", str(review), "--force"]) == 0
    assert json.loads((review / "deploys.json").read_text())["title"] == "Deploys"


def test_files_keep_their_modes(project, dd_emulator):
    assert main(["push", "deploys"]) == 0
    registry_file = project / "dashboards" / "registry.json"
    registry_file.chmod(0o644)
    assert main(["push"]) == 0
    assert stat.S_IMODE(registry_file.stat().st_mode) == 0o644
    old = os.umask(0o022)
    try:
        assert main(["build"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((project / "build" / "dashboards" / "deploys.json").stat().st_mode) == 0o644


def test_pull_refuses_a_registry_name_that_would_leave_the_folder(project, dd_emulator, tmp_path, capsys):
    assert main(["push"]) == 0
    registry_file = project / "dashboards" / "registry.json"
    document = json.loads(registry_file.read_text())
    document["dashboards"]["../../escaped"] = document["dashboards"].pop("deploys")
    registry_file.write_text(json.dumps(document))
    assert main(["pull"]) == 1
    assert "'../../escaped' is not a plain name" in capsys.readouterr().err
    assert not (tmp_path / "escaped.json").exists() and not (project / "build" / "pulled").exists()


@pytest.mark.parametrize(
    ("document", "said"),
    [({"name": "web", "dependencies": {"left-pad": "1.3.0"}}, "not a metta-dash registry"),
     ([{"id": "abc-def-ghi"}], "not a metta-dash registry"),
     ({"version": 2, "dashboards": {}}, "version 2")],
    ids=["another-json-file", "a-list", "a-newer-version"],
)
def test_a_registry_setting_naming_another_file_is_refused_and_the_file_left_as_it_was(
    project, dd_emulator, capsys, document, said
):
    other = project / "other.json"
    other.write_text(json.dumps(document))
    (project / "pyproject.toml").write_text('[tool.metta-dash]\nregistry = "other.json"\n')
    assert main(["push"]) == 1
    assert said in capsys.readouterr().err
    assert json.loads(other.read_text()) == document
    assert dd_emulator.writes == []


@pytest.mark.parametrize("value", [".", "..", "../x", "a b", "x?y=1"])
def test_delete_and_export_refuse_what_is_not_a_dashboard_id_before_any_request(project, dd_emulator, capsys, value):
    """`delete .` would send DELETE /api/v1/dashboard/. , which an HTTP stack may resolve to Datadog's bulk-delete
    endpoint /api/v1/dashboard; `..` climbs out of the dashboards' path altogether."""
    assert main(["delete", value, "--yes"]) == 1
    assert f"{value!r} is not a dashboard ID" in capsys.readouterr().err
    assert main(["export", value]) == 1
    assert f"{value!r} is not a dashboard ID" in capsys.readouterr().err
    assert dd_emulator.requests == []
