"""The build cache: an unchanged source is neither compiled nor checked again, and a change to anything the
result depends on (a deep import, an ext var, the engine, a file that would now win an import) is seen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import layered_project

from metta_dash import compile as jsonnet
from metta_dash.cli import main

DASHBOARD = """
local lib = import 'lib.libsonnet';
{ title: lib.title + '/' + std.extVar('env'), layout_type: 'ordered',
  widgets: [{ definition: { type: 'note', content: lib.note } }] }
"""


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return layered_project(tmp_path, {"cached.jsonnet": DASHBOARD})


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """The engine names of every compile that really ran."""
    ran: list[str] = []
    evaluate = jsonnet.evaluate
    monkeypatch.setattr(jsonnet, "evaluate", lambda *args: ran.append(args[-1].name) or evaluate(*args))
    return ran


def built_title(project: Path, *args: str) -> str:
    assert main(["build", *args]) == 0
    return json.loads((project / "build" / "dashboards" / "cached.json").read_text())["title"]


def test_an_unchanged_project_is_not_compiled_again(project, compiles):
    assert built_title(project, "--ext-str", "env=prod") == "One/prod"
    output = project / "build" / "dashboards" / "cached.json"
    written = output.stat().st_mtime_ns
    assert built_title(project, "--ext-str", "env=prod") == "One/prod"
    assert len(compiles) == 1
    assert output.stat().st_mtime_ns == written  # an unchanged output is not rewritten


def test_an_edit_deep_in_the_imports_is_seen(project, compiles):
    assert built_title(project, "--ext-str", "env=prod") == "One/prod"
    (project / "components" / "deep.libsonnet").write_text("{ title: 'Two' }")
    assert built_title(project, "--ext-str", "env=prod") == "Two/prod"
    assert len(compiles) == 2


def test_another_ext_var_value_is_another_result(project, compiles):
    assert built_title(project, "--ext-str", "env=prod") == "One/prod"
    assert built_title(project, "--ext-str", "env=staging") == "One/staging"
    assert built_title(project, "--ext-str", "env=prod") == "One/prod"
    assert len(compiles) == 2  # each value keeps its own entry: going back to prod compiles nothing


def test_another_engine_compiles_again(project, compiles):
    built_title(project, "--ext-str", "env=prod", "--engine", "rjsonnet")
    built_title(project, "--ext-str", "env=prod", "--engine", "jsonnet")
    built_title(project, "--ext-str", "env=prod", "--engine", "jsonnet")
    assert compiles == ["rjsonnet", "jsonnet"]


def test_a_new_file_that_would_win_an_import_is_seen(project, compiles):
    assert built_title(project, "--ext-str", "env=prod") == "One/prod"
    # The dashboard's own folder comes before the components folder.
    (project / "dashboards" / "lib.libsonnet").write_text("{ title: 'Shadow', note: 'x' }")
    assert built_title(project, "--ext-str", "env=prod") == "Shadow/prod"


def test_findings_come_back_from_the_cache_as_they_were(project, capsys):
    (project / "dashboards" / "cached.jsonnet").write_text(DASHBOARD.replace("type: 'note'", "type: 'notes'"))
    assert main(["validate", "--ext-str", "env=prod"]) == 1
    first = capsys.readouterr().out
    assert main(["validate", "--ext-str", "env=prod"]) == 1
    assert capsys.readouterr().out == first


def test_a_deleted_or_damaged_cache_is_only_a_miss(project, compiles):
    built_title(project, "--ext-str", "env=prod")
    for entry in (project / ".cache" / "metta-dash").glob("*.json"):
        entry.write_text("{ not json")
    assert built_title(project, "--ext-str", "env=prod") == "One/prod"
    import shutil

    shutil.rmtree(project / ".cache")
    assert built_title(project, "--ext-str", "env=prod") == "One/prod"
    assert built_title(project, "--ext-str", "env=prod", "--no-cache") == "One/prod"
    assert len(compiles) == 4


def test_a_failed_compile_is_not_cached(project, compiles):
    (project / "dashboards" / "cached.jsonnet").write_text("{ title: error 'broken' }")
    assert main(["build"]) == 1
    assert main(["build"]) == 1
    assert len(compiles) >= 2
