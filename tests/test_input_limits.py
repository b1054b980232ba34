"""Absurd input is a finding on that file, never a crash that skips the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_sync import make_dashboard, new_project

from metta_dash.cli import main


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def dashboard_with(value_json: str) -> str:
    return ('{"title": "Deep", "layout_type": "ordered", "widgets": [{"definition": '
            f'{{"type": "note", "content": "x", "extra": {value_json}}}}}]}}')


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fine.json").write_text(json.dumps(make_dashboard("Fine")))
    return tmp_path


@pytest.mark.parametrize("levels", [150, 1000, 5000])
def test_deep_json_is_a_finding_and_the_other_files_are_checked(folder, capsys, levels):
    (folder / "deep.json").write_text(dashboard_with(nested(levels)))
    broken = make_dashboard("Broken")
    broken["widgets"][0]["definition"]["title"] = "A note may not have a title"
    (folder / "broken.json").write_text(json.dumps(broken))
    assert main(["validate", "deep.json", "broken.json", "fine.json"]) == 1
    out = capsys.readouterr().out
    assert "deep.json: [C006 input-too-large] nested more than 100 levels deep; not checked" in out
    assert "broken.json::$.widgets[0].definition.title" in out
    assert out.splitlines()[-1].startswith("3 files checked: 2 error(s)")


def test_deep_jsonnet_output_is_a_finding(folder, capsys):
    (folder / "deep.jsonnet").write_text(
        "local f(n) = if n == 0 then [] else [f(n - 1)];\n" + dashboard_with("f(990)")
    )
    assert main(["validate", "deep.jsonnet", "fine.json"]) == 1
    out = capsys.readouterr().out
    assert "[C006 input-too-large]" in out and out.splitlines()[-1].startswith("2 files checked: 1 error(s)")


def test_a_huge_file_is_a_finding_without_being_read(folder, capsys):
    (folder / "huge.json").write_text(dashboard_with(json.dumps("x" * (11 * 1024 * 1024))))
    assert main(["validate", "huge.json", "fine.json"]) == 1
    assert "huge.json: [C006 input-too-large] the file is 11.0 MB, more than the 10 MB limit" in (
        capsys.readouterr().out)


def test_a_deep_answer_from_the_server_is_refused_by_shape(tmp_path, monkeypatch, dd_emulator, capsys):
    new_project(tmp_path, {"deploys": make_dashboard("Deploys")})
    monkeypatch.chdir(tmp_path)
    assert main(["push"]) == 0
    dd_emulator.fail_next(200, count=3, method="GET", path=r"/dashboard/", body=dashboard_with(nested(500))
                          .replace('"title": "Deep"', '"id": "abc-def-ghi", "title": "Deep"'))
    capsys.readouterr()
    dd_emulator.clear_requests()
    assert main(["push"]) == 1
    assert "nested more than 100 levels deep" in capsys.readouterr().out
    assert dd_emulator.writes == []


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_the_fast_depth_check_agrees_with_the_walk_at_the_boundary(limit):
    from metta_dash.limits import _walked_depth_beyond, depth_beyond

    for levels in {1, limit - 1, limit, limit + 1, limit + 2, 3 * limit} - {0}:
        for leaf in ("", "1", "{}", '{"a": "b"}'):
            for value in (json.loads("[" * levels + leaf + "]" * levels),
                          json.loads('{"k": ' * levels + (leaf or "null") + "}" * levels)):
                assert depth_beyond(value, limit) == _walked_depth_beyond(value, limit), (levels, leaf, limit)
    assert depth_beyond(json.loads("[" * limit + "]" * limit), limit) is False
    assert depth_beyond(json.loads("[" * limit + "1" + "]" * limit), limit) is True  # a leaf counts as a level


def test_values_the_fast_depth_check_cannot_read_are_walked():
    from metta_dash.limits import depth_beyond

    assert depth_beyond({1: [[[]]]}, 2) is True  # a non-string key
    assert depth_beyond(["\ud800", [[1]]], 2) is True  # a lone surrogate
    assert depth_beyond(["\ud800"], 2) is False
