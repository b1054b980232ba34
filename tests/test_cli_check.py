"""The build and validate commands end to end: exit codes, reports, outputs, the pre-commit mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from metta_dash.cli import main

GOOD = """
{
  title: 'Good',
  layout_type: 'ordered',
  widgets: [{ definition: { type: 'note', content: 'hello' } }],
}
"""
BROKEN = "{ title: 'Broken', widgets: [ error 'broken on purpose' ] }"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.metta-dash]\noutput = "out"\n')
    (tmp_path / "components").mkdir()
    (tmp_path / "dashboards").mkdir()
    (tmp_path / "dashboards" / "good.jsonnet").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_build_writes_compiled_json_and_exits_zero(project, capsys):
    assert main(["build"]) == 0
    written = json.loads((project / "out" / "good.json").read_text())
    assert written["title"] == "Good"
    assert "1 file checked: 0 error(s)" in capsys.readouterr().out


def test_one_broken_dashboard_does_not_stop_the_others(project, capsys):
    (project / "dashboards" / "broken.jsonnet").write_text(BROKEN)
    assert main(["build"]) == 1
    out = capsys.readouterr().out
    assert "broken.jsonnet:1:" in out and "[C001 jsonnet-error] broken on purpose" in out
    assert (project / "out" / "good.json").exists()


def test_json_report_lists_the_findings(project, capsys):
    (project / "dashboards" / "broken.jsonnet").write_text(BROKEN)
    assert main(["validate", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["rule"] for f in findings] == ["C001"]
    assert findings[0]["line"] == 1 and findings[0]["severity"] == "error"


def test_github_report_is_workflow_annotations(project, capsys):
    (project / "dashboards" / "broken.jsonnet").write_text(BROKEN)
    main(["validate", "--format", "github"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("::error file=") and "line=1" in first and "title=C001 jsonnet-error" in first


def test_validate_accepts_compiled_json_and_reports_bad_json_with_its_line(project, capsys):
    (project / "exported.json").write_text('{\n  "title": "x",\n  "widgets": [,]\n}')
    assert main(["validate", "exported.json"]) == 1
    assert "exported.json:3:" in capsys.readouterr().out


def test_missing_path_is_a_usage_error(project, capsys):
    assert main(["validate", "nowhere.jsonnet"]) == 2
    assert "nowhere.jsonnet: no such file or folder" in capsys.readouterr().err


def test_bad_ext_var_is_a_usage_error(project):
    assert main(["build", "--ext-str", "novalue"]) == 2


def test_ext_vars_reach_the_dashboards(project):
    (project / "dashboards" / "good.jsonnet").write_text(GOOD.replace("'Good'", "std.extVar('env')"))
    assert main(["build", "--ext-str", "env=prod"]) == 0
    assert json.loads((project / "out" / "good.json").read_text())["title"] == "prod"


def test_changed_component_revalidates_the_dashboards_importing_it(project, capsys):
    components = project / "components"
    (components / "base.libsonnet").write_text("{ title:: 'From base' }")
    (components / "mid.libsonnet").write_text("(import 'base.libsonnet') + { extra:: 1 }")
    (project / "dashboards" / "uses_mid.jsonnet").write_text(
        "local m = import 'mid.libsonnet'; { title: m.title, layout_type: 'ordered', widgets: [] }"
    )
    assert main(["validate", "--changed", "components/base.libsonnet"]) == 0
    assert "1 file checked" in capsys.readouterr().out
    assert main(["validate", "--changed", "README.md"]) == 0
    assert "0 files checked" in capsys.readouterr().out


def test_unexpected_failure_exits_3_without_traceback(project, capsys, monkeypatch):
    from metta_dash import build

    def explode(*args, **kwargs):
        raise ZeroDivisionError("kaboom")

    monkeypatch.setattr(build, "build", explode)
    assert main(["build"]) == 3
    err = capsys.readouterr().err
    assert "unexpected error: ZeroDivisionError: kaboom" in err and "Traceback" not in err
    assert main(["--verbose", "build"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_severity_override_and_exclusion_from_settings(project, capsys):
    (project / "dashboards" / "broken.jsonnet").write_text(BROKEN)
    (project / "pyproject.toml").write_text(
        '[tool.metta-dash]\noutput = "out"\n'
        '[[tool.metta-dash.exclude]]\nrule = "jsonnet-error"\nfiles = "dashboards/broken.*"\nreason = "demo"\n'
    )
    assert main(["validate"]) == 0


def test_exclusion_without_reason_is_refused(project, capsys):
    (project / "pyproject.toml").write_text(
        '[tool.metta-dash]\n[[tool.metta-dash.exclude]]\nrule = "C001"\nfiles = "*"\n'
    )
    assert main(["validate"]) == 2
    assert "lacks reason" in capsys.readouterr().err


def test_validating_the_dashboards_folder_skips_the_registry(project, capsys):
    (project / "dashboards" / "registry.json").write_text('{"version": 1, "dashboards": {}}')
    assert main(["validate", "dashboards"]) == 0
    assert "1 file checked" in capsys.readouterr().out


def test_the_registry_is_skipped_by_whatever_path_or_link_reaches_it(project, capsys):
    (project / "dashboards" / "registry.json").write_text('{"version": 1, "dashboards": {}}')
    (project / "linked").symlink_to(project / "dashboards")
    (project / "dashboards" / "registry-link.json").symlink_to(project / "dashboards" / "registry.json")
    assert main(["validate", "linked"]) == 0
    assert "1 file checked" in capsys.readouterr().out


def test_engine_from_settings_and_from_the_command_line(project, capsys, monkeypatch):
    from metta_dash import compile as jsonnet

    used = []
    evaluate = jsonnet.evaluate
    monkeypatch.setattr(jsonnet, "evaluate", lambda *args: used.append(args[-1].name) or evaluate(*args))
    (project / "pyproject.toml").write_text('[tool.metta-dash]\noutput = "out"\nengine = "gojsonnet"\n')
    assert main(["validate"]) == 0
    assert main(["validate", "--engine", "jsonnet"]) == 0
    assert used == ["gojsonnet", "jsonnet"]


def test_an_unknown_engine_is_a_usage_error(project, capsys):
    assert main(["build", "--engine", "v8"]) == 2
    (project / "pyproject.toml").write_text('[tool.metta-dash]\nengine = "v8"\n')
    assert main(["build"]) == 2
    assert "engine = 'v8' is not a Jsonnet engine" in capsys.readouterr().err
