"""`push NAME` and `diff NAME` compile only the sources they need; progress covers compilation too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_sync import make_dashboard, new_project, write_source

from metta_dash import sync
from metta_dash.cli import main


@pytest.fixture
def project(tmp_path, monkeypatch, dd_emulator) -> Path:
    new_project(tmp_path, {"pr_health": make_dashboard("PR Health"), "deploys": make_dashboard("Deploys")})
    (tmp_path / "dashboards" / "half_written.jsonnet").write_text("{ title: 'WIP', widgets: [ error 'not yet' ] }")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = sync.check_sources

    def recording(sources, *args, **kwargs):
        sources = list(sources)
        seen.extend(source.stem for source in sources)
        return real(sources, *args, **kwargs)

    monkeypatch.setattr(sync, "check_sources", recording)
    return seen


@pytest.mark.parametrize("command", ["push", "diff"])
def test_a_named_dashboard_compiles_only_its_source(project, compiled, capsys, command):
    assert main([command, "deploys"]) == (0 if command == "push" else 1)
    assert compiled == ["deploys"]
    assert "half_written" not in capsys.readouterr().out


def test_a_name_from_a_multi_dashboard_file_compiles_everything(project, compiled, capsys):
    both = {"blue": make_dashboard("Blue"), "green": make_dashboard("Green")}
    (project / "dashboards" / "colours.jsonnet").write_text(json.dumps(both))
    assert main(["push", "green"]) == 0
    assert sorted(compiled) == ["colours", "deploys", "half_written", "pr_health"]


def test_titles_stay_unique_when_only_one_source_is_compiled(project, dd_emulator, capsys):
    assert main(["push", "deploys"]) == 0
    write_source(project, "pr_health", make_dashboard("Deploys"))
    capsys.readouterr()
    assert main(["push", "pr_health"]) == 1
    assert "title 'Deploys' is also the title of deploys" in capsys.readouterr().out
    assert [d["title"] for d in dd_emulator.dashboards.values()] == ["Deploys"]


def test_prune_compiles_everything(project, compiled):
    main(["push", "deploys", "--prune", "--dry-run"])
    assert sorted(compiled) == ["deploys", "half_written", "pr_health"]


def test_progress_covers_compilation_on_a_terminal(project, monkeypatch, capsys):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert main(["push"]) == 1  # half_written does not compile
    err = capsys.readouterr().err
    assert "[1/3] compile deploys" in err and "[3/3] compile pr_health" in err
    assert "resolve deploys" in err and "push " in err


def test_diff_progress_says_it_plans_and_never_that_it_pushes(project, monkeypatch, capsys):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    main(["diff"])
    err = capsys.readouterr().err
    assert "plan deploys" in err and "push " not in err
