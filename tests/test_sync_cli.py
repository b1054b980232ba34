"""push, diff, pull, export, list, delete end to end: exit codes, output, against the emulator."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from test_sync import make_dashboard, new_project, timeseries, write_source
from test_sync import registry_ids as ids

from metta_dash import registry as id_registry
from metta_dash.cli import main
from metta_dash.normalize import normalize


@pytest.fixture
def project(tmp_path, monkeypatch, dd_emulator) -> Path:
    new_project(tmp_path, {"pr_health": make_dashboard("PR Health"), "deploys": make_dashboard("Deploys")})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_push_reports_each_dashboard_and_a_summary(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    out, err = capsys.readouterr()
    assert "created          deploys (" in out and "created          pr_health (" in out
    assert out.splitlines()[-1] == "2 dashboard(s): 2 created"
    assert "[1/2]" not in err  # progress only on a terminal
    dd_emulator.clear_requests()
    assert main(["push"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 dashboard(s): 2 unchanged"
    assert dd_emulator.writes == []


def test_push_json_results(project, capsys):
    assert main(["push", "deploys", "--format", "json", "--jobs", "2"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in document["dashboards"]] == ["deploys"]
    assert document["dashboards"][0]["state"] == "created"
    assert document["dashboards"][0]["id"] == ids(project)["deploys"]
    assert document["summary"]["created"] == 1 and document["summary"]["failed"] == 0


def test_dry_run_shows_the_plan_and_writes_nothing(project, dd_emulator, capsys):
    assert main(["push", "--dry-run"]) == 0
    assert "would create     deploys" in capsys.readouterr().out
    assert dd_emulator.writes == [] and ids(project) == {}


def test_a_conflict_shows_the_diff_and_exits_1_until_forced(project, dd_emulator, capsys):
    main(["push"])
    dashboard_id = ids(project)["deploys"]
    dd_emulator.edit(dashboard_id, lambda d: d["widgets"][1]["definition"].update(title="Edited in the UI"))
    capsys.readouterr()
    assert main(["push"]) == 1
    out = capsys.readouterr().out
    assert "conflict         deploys" in out and "--force" in out
    assert "~ timeseries 'Deploys series 1' $.widgets[1].definition.title: \"Edited in the UI\" -> " in out
    assert out.splitlines()[-1] == "2 dashboard(s): 1 unchanged, 1 conflict"
    assert main(["push", "--force"]) == 0
    assert "updated          deploys" in capsys.readouterr().out


def test_diff_exit_codes_and_lines(project, capsys):
    assert main(["diff"]) == 1  # nothing pushed yet: two creations
    assert "would create     pr_health" in capsys.readouterr().out
    main(["push"])
    capsys.readouterr()
    assert main(["diff"]) == 0
    assert capsys.readouterr().out.strip() == "2 dashboard(s): 2 unchanged"

    changed = make_dashboard("PR Health")
    changed["widgets"][1] = timeseries("PR Health series 1", marker=24)
    changed["widgets"].insert(1, timeseries("Brand new"))
    write_source(project, "pr_health", changed)
    assert main(["diff", "pr_health"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:3] == [
        "    + widget 'Brand new' (timeseries) added at $.widgets[1], queries: avg:system.load.1{*}",
        "    ~ timeseries 'PR Health series 1' $.widgets[2].definition.markers[0].value: \"y = 48\" -> \"y = 24\"",
    ]


def test_unknown_name_is_a_usage_error(project, capsys):
    assert main(["push", "nope"]) == 2
    assert "no dashboard named 'nope' (known: deploys, pr_health)" in capsys.readouterr().err


def test_delete_asks_then_removes_from_datadog_and_registry(project, dd_emulator, monkeypatch, capsys):
    main(["push"])
    dashboard_id = ids(project)["deploys"]
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert main(["delete", dashboard_id]) == 1
    assert dashboard_id in dd_emulator.dashboards and "deploys" in ids(project)

    assert main(["delete", "--yes", dashboard_id]) == 0
    assert f"deleted       {dashboard_id} (deploys)" in capsys.readouterr().out
    assert dashboard_id not in dd_emulator.dashboards and "deploys" not in ids(project)
    assert main(["delete", "--yes", dashboard_id]) == 0
    assert "already gone" in capsys.readouterr().out


def test_prune_offers_to_delete_dashboards_whose_source_is_gone(project, dd_emulator, capsys):
    main(["push"])
    dashboard_id = ids(project)["deploys"]
    (project / "dashboards" / "deploys.jsonnet").unlink()
    capsys.readouterr()

    assert main(["push", "--prune", "--dry-run"]) == 0
    assert f"would delete     deploys ({dashboard_id})" in capsys.readouterr().out
    assert dashboard_id in dd_emulator.dashboards

    made_in_ui = dd_emulator.add(make_dashboard("Made in the UI"))
    registry = id_registry.load(project / "dashboards" / "registry.json")
    registry.set("hand_made", id_registry.Entry(id=made_in_ui["id"], title="Made in the UI"))

    assert main(["push", "--prune", "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"pruned           deploys ({dashboard_id})" in out
    assert f"kept             hand_made ({made_in_ui['id']}): registered by hand, not created from here" in out
    assert dashboard_id not in dd_emulator.dashboards and set(ids(project)) == {"pr_health", "hand_made"}
    assert made_in_ui["id"] in dd_emulator.dashboards


def test_prune_refuses_while_a_source_does_not_compile(project, dd_emulator, capsys):
    main(["push"])
    (project / "dashboards" / "deploys.jsonnet").write_text("{ title: 'Deploys', widgets: [ error 'oops' ] }")
    assert main(["push", "--prune", "--yes"]) == 1
    assert "does not compile: nothing is pruned" in capsys.readouterr().out
    assert len(dd_emulator.dashboards) == 2


def test_pull_writes_normalised_remote_json(project, dd_emulator, capsys):
    main(["push"])
    dd_emulator.edit(ids(project)["deploys"], lambda d: d.update(description="edited in the UI"))
    assert main(["pull"]) == 0
    pulled = project / "build" / "pulled" / "deploys.json"
    assert f"wrote   {pulled}" in capsys.readouterr().out
    text = pulled.read_text()
    document = json.loads(text)
    assert document == {**normalize(make_dashboard("Deploys")), "description": "edited in the UI"}
    assert text == json.dumps(document, indent=2, sort_keys=True) + "\n"
    assert "modified_at" not in text and '"id"' not in text


def test_pull_of_an_unmanaged_name_is_a_usage_error(project, capsys):
    assert main(["pull", "nope"]) == 2
    assert "not managed" in capsys.readouterr().err


def test_export_any_dashboard(project, dd_emulator, tmp_path, capsys):
    stored = dd_emulator.add(make_dashboard("Made in the UI"))
    assert main(["export", stored["id"]]) == 0
    assert json.loads(capsys.readouterr().out) == normalize(make_dashboard("Made in the UI"))
    target = tmp_path / "out" / "ui.json"
    assert main(["export", stored["id"], "--raw", "-o", str(target)]) == 0
    assert json.loads(target.read_text())["id"] == stored["id"]
    assert main(["export", "nop-nop-nop"]) == 1
    assert "no dashboard nop-nop-nop" in capsys.readouterr().err


def test_list_marks_managed_dashboards(project, dd_emulator, capsys):
    main(["push", "deploys"])
    other = dd_emulator.add(make_dashboard("Made in the UI"))
    capsys.readouterr()
    assert main(["list", "--format", "json"]) == 0
    rows = {row["title"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["Deploys"]["name"] == "deploys" and rows["Made in the UI"]["name"] is None
    assert rows["Made in the UI"]["id"] == other["id"]
    assert main(["list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 remote dashboard(s), 1 managed here"


def test_api_url_option(project, dd_emulator, monkeypatch):
    monkeypatch.delenv("DD_API_URL")
    assert main(["push", "deploys", "--api-url", dd_emulator.url]) == 0
    assert len(dd_emulator.dashboards) == 1


def test_refused_keys_are_named_never_echoed(project, dd_emulator, monkeypatch, capsys):
    monkeypatch.setenv("DD_APP_KEY", "wrong-secret-value")
    assert main(["push"]) == 1
    out, err = capsys.readouterr()
    assert "refused the API key or the application key" in out
    assert "wrong-secret-value" not in out + err and dd_emulator.api_key not in out + err
    assert dd_emulator.dashboards == {}


def test_a_missing_key_is_named(project, monkeypatch, capsys):
    monkeypatch.delenv("DD_APP_KEY")
    assert main(["diff"]) == 1
    assert "DD_APP_KEY is not set" in capsys.readouterr().err


def test_links_to_dashboards_created_in_the_same_push_are_resolved(project, dd_emulator, capsys):
    (project / "dashboards" / "overview.jsonnet").write_text("""{
      title: 'Overview', layout_type: 'ordered',
      widgets: [{ definition: { type: 'note', content: '[Deploys](' + std.native('dashboardUrl')('deploys') + ')' } }],
    }""")
    assert main(["push"]) == 0
    assert "created          overview (" in capsys.readouterr().out
    registered = ids(project)
    note = dd_emulator.dashboards[registered["overview"]]["widgets"][0]["definition"]["content"]
    assert note == f"[Deploys](/dashboard/{registered['deploys']})"
    dd_emulator.clear_requests()
    assert main(["push"]) == 0
    assert dd_emulator.writes == []


def test_pushing_a_dashboard_that_does_not_compile_shows_its_findings(project, dd_emulator, capsys):
    (project / "dashboards" / "deploys.jsonnet").write_text("{ title: 'Deploys', widgets: [ error 'half written' ] }")
    assert main(["push", "deploys"]) == 1
    out = capsys.readouterr().out
    assert "failed           deploys: 1 validation error(s); not sent" in out
    assert "[C001 jsonnet-error] half written" in out
    assert dd_emulator.writes == []


def test_dry_run_summary_says_nothing_was_written(project, capsys):
    assert main(["push", "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 dashboard(s): 2 created (dry run: nothing written)"
