"""validate, build, diff and push print one versioned JSON document shape with --format json."""

from __future__ import annotations

import json

import pytest
from test_sync import make_dashboard, new_project

from metta_dash.cli import main

TOP_LEVEL = {"version", "command", "summary", "dashboards", "findings"}


@pytest.fixture
def project(tmp_path, monkeypatch, dd_emulator):
    broken = make_dashboard("Broken")
    broken["widgets"][0]["definition"]["title"] = "A note may not have a title"
    new_project(tmp_path, {"deploys": make_dashboard("Deploys"), "broken": broken})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args: str) -> dict:
    main([*args, "--format", "json"])
    return json.loads(capsys.readouterr().out)


def test_every_command_prints_the_same_versioned_shape(project, capsys):
    documents = {command: run(capsys, command) for command in ("validate", "build", "diff", "push")}
    for command, document in documents.items():
        assert TOP_LEVEL <= set(document), command
        assert document["version"] == 1 and document["command"] == command
        assert document["summary"]["errors"] == 1 and document["summary"]["warnings"] >= 0
        [finding] = [f for f in document["findings"] if f["severity"] == "error"]
        assert finding["rule"] == "S001" and finding["path"] == "$.widgets[0].definition.title"
        assert finding["file"].endswith("broken.jsonnet")
    assert documents["validate"]["dashboards"] == [
        {"name": "broken", "file": "dashboards/broken.jsonnet", "errors": 1, "warnings": 0},
        {"name": "deploys", "file": "dashboards/deploys.jsonnet", "errors": 0, "warnings": 0},
    ]
    assert documents["validate"]["summary"]["files"] == 2
    pushed = {d["name"]: d for d in documents["push"]["dashboards"]}
    assert pushed["deploys"]["state"] == "created" and pushed["broken"]["state"] == "failed"
    assert documents["push"]["summary"]["dashboards"] == 2 and documents["push"]["summary"]["created"] == 1
    assert documents["push"]["interrupted"] is False
    planned = {d["name"]: d["state"] for d in documents["diff"]["dashboards"]}
    assert planned == {"broken": "failed", "deploys": "created"}
