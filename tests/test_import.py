"""metta-dash import: a dashboard as idiomatic Jsonnet on the library that compiles back to it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from metta_dash import compile as jsonnet
from metta_dash import importer
from metta_dash.cli import main
from metta_dash.datadog import Client
from metta_dash.normalize import normalize

NOTE = "## About\n\nThis dashboard shows the API.\n- latency\n- errors"
DASHBOARD = {
    "title": "API",
    "description": "Latency and errors\nof the API",
    "layout_type": "ordered",
    "reflow_type": "fixed",
    "template_variables": [{"name": "env", "prefix": "env", "available_values": [], "defaults": ["prod"]}],
    "widgets": [
        {"id": 1, "definition": {"type": "note", "content": NOTE, "background_color": "gray"},
         "layout": {"x": 0, "y": 0, "width": 4, "height": 2}},
        {"id": 2, "definition": {
            "type": "query_value", "title": "Errors",
            "requests": [{"response_format": "scalar",
                          "queries": [{"data_source": "metrics", "name": "errors",
                                       "query": "sum:api.errors{$env}.as_count()", "aggregator": "sum"}],
                          "formulas": [{"formula": "errors"}]}]},
         "layout": {"x": 4, "y": 0, "width": 8, "height": 2}},
        {"id": 3, "definition": {
            "type": "timeseries", "title": "Latency", "yaxis": {"min": "0", "include_zero": True},
            "requests": [{"response_format": "timeseries", "display_type": "line",
                          "queries": [{"data_source": "metrics", "name": "p99",
                                       "query": "p99:api.latency{$env}"}],
                          "formulas": [{"formula": "p99", "alias": "p99 latency"}]}]},
         "layout": {"x": 0, "y": 2, "width": 12, "height": 3}},
    ],
}


def compiled(text: str, tmp_path: Path) -> dict:
    source = tmp_path / "imported.jsonnet"
    source.write_text(text)
    result = jsonnet.compile_file(source, jsonnet.Options(import_paths=(jsonnet.LIBRARY_PATH,)))
    assert not result.findings, [f.message for f in result.findings]
    return next(iter(result.dashboards.values()))


def test_the_output_is_idiomatic_and_compiles_back_to_the_dashboard(tmp_path):
    imported = importer.to_jsonnet(DASHBOARD, "api.json")
    text = imported.text
    assert text.splitlines()[0] == "// API: imported from api.json by metta-dash import."
    assert (
        "local queries = {\n  api_errors: 'sum:api.errors{$env}.as_count()',\n"
        "  api_latency: 'p99:api.latency{$env}',\n};"
    ) in text
    assert "o.formulaAndFunctionMetricQueryDefinition.new(query=queries.api_errors, name='errors')" in text
    # Positions fill the grid in bands: the layout helpers, not explicit positions.
    assert "layout.stack([" in text and "layout.row(" in text and "layout.full(" in text
    assert "withLayout" not in text
    # Notes and long strings as text blocks.
    assert "g.note.new(std.rstripChars(\n" in text
    block = r"\|\|\|\n +## About\n\n +This dashboard shows the API\.\n +- latency\n +- errors\n +\|\|\|,"
    assert re.search(block, text)
    assert "+ g.timeseries.yaxis.withMin('0')" in text
    assert "'id'" not in text and "withId" not in text
    assert imported.raw == 0 and imported.builders > 10
    assert normalize(compiled(text, tmp_path)) == normalize(DASHBOARD)


def test_positions_the_helpers_cannot_give_are_explicit(tmp_path):
    dashboard = json.loads(json.dumps(DASHBOARD))
    dashboard["widgets"][1]["layout"] = {"x": 6, "y": 0, "width": 6, "height": 2}  # a gap after the note
    text = importer.to_jsonnet(dashboard).text
    assert "layout.stack" not in text
    assert "+ g.queryValue.withLayout(o.widgetLayout.new(x=6, y=0, width=6, height=2))" in text
    assert normalize(compiled(text, tmp_path)) == normalize(dashboard)


def test_what_no_builder_fits_stays_a_plain_object_and_is_counted(tmp_path):
    dashboard = json.loads(json.dumps(DASHBOARD))
    dashboard["widgets"].append({
        "definition": {"type": "custom", "title": "Made elsewhere", "custom_field": {"a": 1}},
        "layout": {"x": 0, "y": 5, "width": 12, "height": 2},
    })
    imported = importer.to_jsonnet(dashboard)
    assert imported.raw == 3  # the widget, its definition and custom_field
    assert "type: 'custom'" in imported.text
    assert normalize(compiled(imported.text, tmp_path)) == normalize(dashboard)


def test_strings_that_a_text_block_cannot_carry_stay_quoted(tmp_path):
    dashboard = json.loads(json.dumps(DASHBOARD))
    tricky = ["  indented first line\nsecond", "ends with two\n\n", "has ||| inside\nyes", "tab\tand\nline",
              "carriage\r\nreturn", "one line ends\n", "quote ' and \\ backslash\nnext"]
    dashboard["widgets"] = [
        {"definition": {"type": "note", "content": text}, "layout": {"x": 0, "y": 2 * i, "width": 12, "height": 2}}
        for i, text in enumerate(tricky)
    ]
    assert normalize(compiled(importer.to_jsonnet(dashboard).text, tmp_path)) == normalize(dashboard)


def test_import_command_writes_the_file_and_says_how_much_uses_builders(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.json").write_text(json.dumps(DASHBOARD))
    assert main(["import", "api.json", "-o", "dashboards/api.jsonnet"]) == 0
    assert "100.0 % builders" in capsys.readouterr().err
    assert (tmp_path / "dashboards" / "api.jsonnet").read_text().startswith("// API: imported from api.json")
    assert main(["import", "api.json", "-o", "dashboards/api.jsonnet"]) == 2  # exists: needs --force
    assert "refusing to overwrite" in capsys.readouterr().err
    assert main(["import", "api.json"]) == 0
    assert "o.dashboard.new(" in capsys.readouterr().out


@pytest.mark.parametrize(("content", "expected"), [
    (None, "no such file"),
    ("{not json", "not a JSON file"),
    ('{"hello": 1}', "not a Datadog dashboard"),
])
def test_import_command_bad_input_is_a_clear_error(tmp_path, monkeypatch, capsys, content, expected):
    monkeypatch.chdir(tmp_path)
    if content is not None:
        (tmp_path / "bad.json").write_text(content)
    assert main(["import", "bad.json"]) != 0
    assert expected in capsys.readouterr().err


def test_a_source_that_is_neither_file_nor_id_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["import", "nothing-here"]) != 0
    assert "neither a JSON file nor a dashboard ID" in capsys.readouterr().err


def test_import_by_id_fetches_the_dashboard_from_datadog(dd_emulator, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with Client() as client:
        created = client.create(json.loads(json.dumps(DASHBOARD)))
    assert main(["import", created["id"], "-o", "api.jsonnet"]) == 0
    text = (tmp_path / "api.jsonnet").read_text()
    assert text.startswith(f"// API: imported from Datadog dashboard {created['id']} by metta-dash import.")
    assert normalize(compiled(text, tmp_path)) == normalize(created)
    assert main(["import", "abc-def-ghi"]) != 0
    assert "no dashboard abc-def-ghi" in capsys.readouterr().err


def test_every_corpus_dashboard_round_trips(corpus, tmp_path):
    """All the dashboards Datadog ships: imported, compiled in one evaluation, equal after normalisation;
    and formatted as jsonnetfmt formats them."""
    dashboards = {name.removesuffix(".json"): dashboard for name, dashboard in corpus.items()}
    result = importer.round_trip(dashboards, tmp_path)
    assert result.problems == {}
    assert result.builders / (result.builders + result.raw) > 0.99
    unformatted = jsonnetfmt_rejects(sorted(tmp_path.glob("d*.jsonnet")))
    assert unformatted == [], f"jsonnetfmt would reformat {len(unformatted)} imported files, e.g. {unformatted[:3]}"


def jsonnetfmt_rejects(paths: list[Path]) -> list[str]:
    """The files `jsonnetfmt --test` would change (the official formatter; Debian's jsonnet package)."""
    formatter = shutil.which("jsonnetfmt")
    if formatter is None:
        pytest.skip("jsonnetfmt is not installed (apt-get install jsonnet; .ci/run installs it)")
    rejected = []
    for start in range(0, len(paths), 200):
        batch = paths[start:start + 200]
        done = subprocess.run([formatter, "--test", *map(str, batch)], capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            rejected += [p.name for p in batch
                         if subprocess.run([formatter, "--test", str(p)], capture_output=True).returncode != 0]
    return rejected


def test_the_output_is_formatted_as_jsonnetfmt_formats_it(tmp_path):
    dashboard = json.loads(json.dumps(DASHBOARD))
    dashboard["widgets"][0]["definition"]["content"] = "it's a 'quoted' note\nwith two lines"
    source = tmp_path / "api.jsonnet"
    source.write_text(importer.to_jsonnet(dashboard).text)
    assert jsonnetfmt_rejects([source]) == []
