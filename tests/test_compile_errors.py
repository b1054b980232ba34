"""Compile errors point at the dashboard line the author wrote, with the name they meant, for every trace form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from metta_dash import affected, engines, jsonnet_trace
from metta_dash import compile as jsonnet
from metta_dash.cli import main

COMPONENTS = Path(__file__).resolve().parent.parent / "components"
DASHBOARDS = COMPONENTS.parent / "dashboards"
HEADER = """local dashboard = import 'dashboard.libsonnet';
local layout = import 'layout.libsonnet';
local palettes = import 'palettes.libsonnet';
local w = import 'widgets.libsonnet';
local q = 'avg:app.requests{*}';
"""


@pytest.fixture(params=list(engines.ENGINES))
def engine(request) -> str:
    """Each engine words and locates errors its own way; the findings must not depend on it."""
    return request.param


def compile_dashboard(folder: Path, engine: str, body: str, name: str = "dash.jsonnet", **options):
    source = folder / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(HEADER + body, encoding="utf-8")
    compiled = jsonnet.compile_file(source, jsonnet.Options(import_paths=(COMPONENTS,), engine=engine, **options))
    assert len(compiled.findings) == 1, compiled.findings
    return compiled.findings[0]


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- the trace parser, one case per engine wording -------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "message", "first", "frames"),
    [
        (  # C++ and go-jsonnet: tab-separated frames, the multi-line span form
            "RUNTIME ERROR: layout.row: too wide\n\t/abs/components/layout.libsonnet:(51:7)-(53:8)\tfunction <a>\n"
            "\tdashboards/my dash é.jsonnet:(11:3)-(14:16)\tthunk <b>\n\tDuring manifestation\t",
            "layout.row: too wide", ("/abs/components/layout.libsonnet", 51, 7, 53, 8), 2,
        ),
        (
            "RUNTIME ERROR: field does not exist: timeSeries\n\tdashboards/x.jsonnet:2:1-13\t",
            "field does not exist: timeSeries", ("dashboards/x.jsonnet", 2, 1, 2, 13), 1,
        ),
        (  # syntax error: the location opens the message
            "STATIC ERROR: dashboards/x.jsonnet:3:9-10: unexpected: \"}\"",
            'unexpected: "}"', ("dashboards/x.jsonnet", 3, 9, 3, 10), 1,
        ),
        (  # jrsonnet: no header, `FILE:L:C-L:C: description`
            "no such field: clasic\n    dashboards/x.jsonnet:4:8-6:2: field <clasic> access\n"
            "    <std>:0:0: function <x>",
            "no such field: clasic", ("dashboards/x.jsonnet", 4, 8, 6, 2), 2,
        ),
        (
            "sjsonnet.Error: Field does not exist: slice\n    at [Select slice].(dash.jsonnet:38:20)",
            "Field does not exist: slice", ("dash.jsonnet", 38, 20, 38, None), 1,
        ),
        (
            "STATIC ERROR: <extvar:x>:1:2: unexpected: \"{\"", 'unexpected: "{"', ("<extvar:x>", 1, 2, 1, None), 1,
        ),
    ],
)
def test_every_trace_form_parses(text, message, first, frames):
    trace = jsonnet_trace.parse(text)
    assert trace.message == message
    frame = trace.frames[0]
    assert (frame.file, frame.line, frame.column, frame.end_line, frame.end_column) == first
    assert len(trace.frames) == frames


# --- errors inside components land on the dashboard line ---------------------------------------------------

def test_row_too_wide_points_at_the_dashboard_call_over_several_lines(engine, here):
    finding = compile_dashboard(here / "dashboards", engine, """dashboard.new('T')
+ dashboard.withWidgets(layout.stack([
  layout.row([
    w.note.new('a'),
    w.note.new('b'),
  ], [8, 6], 2),
]))
""")
    assert (finding.file, finding.line) == ("dashboards/dash.jsonnet", 8)
    assert "wider than the 12-column grid" in finding.message
    assert "layout.libsonnet:" in finding.hint and "called from this line" in finding.hint


def test_error_raised_while_writing_output_finds_the_setter_call(engine, here):
    finding = compile_dashboard(here, engine, """dashboard.new('T')
+ dashboard.withWidgets(layout.stack([
  layout.row([
    w.timeseries.new('A', [w.query.metric('a', q)]) + w.timeseries.withDisplayType('area'),
    w.timeseries.new('B', [w.query.metric('a', q)])
    + w.timeseries.withDisplayType('lines'),
  ], 6, 2),
]))
""")
    assert (finding.file, finding.line) == ("dash.jsonnet", 11)
    assert finding.message.endswith('got "lines" (did you mean "line"?)')


def test_unknown_enum_value_in_a_builder_fails_with_the_suggestion(engine, here):
    finding = compile_dashboard(here, engine, """dashboard.new('T')
+ dashboard.withWidgets(layout.stack([
  layout.full(w.timeseries.new('A', [w.query.metric('a', q)]) + w.timeseries.withPalette('dog_clasic'), 2),
]))
""")
    assert finding.line == 8
    assert 'did you mean "dog_classic"?' in finding.message


@pytest.mark.parametrize(
    ("expression", "meant"),
    [
        ("w.timeSeries.new('A', [w.query.metric('a', q)])", "timeseries"),
        ("w.timeseries.withDisplaytype('line')", "withDisplayType"),
        ("palettes.series.clasic", "classic"),
    ],
)
def test_unknown_field_suggests_the_field_meant(engine, here, expression, meant):
    finding = compile_dashboard(here, engine, f"{{ x:\n  {expression} }}\n")
    assert finding.line == 7 and finding.file == "dash.jsonnet"
    assert finding.hint == f"did you mean {meant!r}?"



def test_a_misspelt_setter_in_a_local_is_reported_where_it_is_written_not_where_the_local_is_used(engine, here):
    body = ("local about = w.note.new('hi')\n"
            "  + w.note.withBackgroundcolor('white');\n"
            "dashboard.new('D') + dashboard.withWidgets(layout.stack([\n"
            "  layout.full(about, 2),\n"
            "]))\n")
    finding = compile_dashboard(here, engine, body)
    assert (finding.file, finding.line) == ("dash.jsonnet", 7)
    assert finding.hint == "did you mean 'withBackgroundColor'?"

def test_unknown_field_far_from_every_name_lists_the_fields(engine, here):
    finding = compile_dashboard(here, engine, "palettes.zzzzzz\n")
    assert "the object has:" in finding.hint and "series" in finding.hint


def test_import_cycle_is_named_as_such(engine, here):
    (here / "a.libsonnet").write_text("(import 'b.libsonnet') + { a: 1 }")
    (here / "b.libsonnet").write_text("(import 'a.libsonnet') + { b: 1 }")
    finding = compile_dashboard(here, engine, "import 'a.libsonnet'\n")
    assert finding.message == ("import cycle: a.libsonnet -> b.libsonnet -> a.libsonnet "
                               "(imported from dash.jsonnet)")
    assert finding.line == 6  # the dashboard's import that leads into the cycle
    assert "stack" not in finding.message + finding.hint


def test_an_imported_file_that_is_not_utf8_is_named_at_the_dashboards_import_line(engine, here):
    """jrsonnet refuses such a file in its own words; the other engines would put U+FFFD in the dashboard."""
    (here / "latin1.libsonnet").write_bytes('{ title: "café" }'.encode("latin-1"))
    finding = compile_dashboard(here, engine, "local l = import 'latin1.libsonnet';\ndashboard.new(l.title)\n")
    assert finding.message == "cannot read latin1.libsonnet: not UTF-8 text (byte 13)"
    assert (finding.file, finding.line) == ("dash.jsonnet", 6)
    assert finding.hint == "an imported file is not UTF-8 text: save it as UTF-8"


@pytest.mark.parametrize("file", sorted(COMPONENTS.glob("*.libsonnet")) + sorted(DASHBOARDS.glob("*.jsonnet")),
                         ids=lambda file: file.name)
def test_the_library_and_the_dashboards_have_no_import_cycle(file):
    """Lazy evaluation lets mutually importing files work, but a cycle in the library would be named as the
    cause of any deep recursion in a dashboard that imports it."""
    assert affected.import_cycle(file, (COMPONENTS,)) is None


@pytest.mark.parametrize("flag, key", [("ext_codes", "--ext-code"), ("tla_codes", "--tla-code")])
def test_bad_external_code_names_the_option(engine, here, flag, key):
    body = "function(x={}) std.extVar('x')\n" if flag == "ext_codes" else "function(x) x\n"
    finding = compile_dashboard(here, engine, body, **{flag: {"x": "{{{"}})
    assert finding.message.startswith(f"{key} x: syntax error at column 2 of its code")
    assert finding.file == "dash.jsonnet" and finding.line is None
    assert "x>" not in finding.file


def test_paths_with_spaces_and_unicode_are_whole_and_relative(engine, here):
    finding = compile_dashboard(here / "my dashboards", engine, "layout.row([w.note.new('a')], [13], 1)\n",
                                "été 1.jsonnet")
    assert (finding.file, finding.line) == ("my dashboards/été 1.jsonnet", 6)


# --- validator findings carry the dashboard line -----------------------------------------------------------

RULES = """local queries = {
  latency: 'avg:app.latency{$nope}',
};
dashboard.new('Rules')
+ dashboard.withWidgets(layout.stack([
  layout.row([
    w.timeseries.new('Latency', [w.query.metric('a', queries.latency)]),
    w.timeseries.new('Errors', [w.query.metric('a', q)]) + w.timeseries.withFormulas(['b']),
  ], [6, 6], 2),
]))
"""


def test_rule_findings_on_compiled_jsonnet_name_the_widget_line(here, capsys):
    (here / "pyproject.toml").write_text(f'[tool.metta-dash]\ncomponents = "{COMPONENTS}"\n')
    (here / "dashboards").mkdir()
    (here / "dashboards" / "rules.jsonnet").write_text(HEADER + RULES)
    assert main(["validate", "--format", "json"]) == 1
    found = {(f["rule"], f["widget"]["title"]): f for f in json.loads(capsys.readouterr().out)["findings"]}
    assert found[("R201", "Errors")]["line"] == 13
    assert found[("R209", "Latency")]["line"] == 12  # the line using queries.latency, not the map entry
    assert found[("R201", "Errors")]["file"] == "dashboards/rules.jsonnet"
    main(["validate", "--format", "github"])
    assert "::error file=dashboards/rules.jsonnet,line=13,title=R201" in capsys.readouterr().out


def test_the_pre_commit_hook_ignores_files_outside_the_project_folders(here, capsys):
    (here / "pyproject.toml").write_text("[tool.metta-dash]\n")
    (here / "dashboards").mkdir()
    (here / "components").mkdir()
    (here / "package.json").write_text('{"name": "web", "dependencies": {}}')
    (here / "fixtures").mkdir()
    (here / "fixtures" / "broken.jsonnet").write_text("{")
    assert main(["validate", "--changed", "package.json", "fixtures/broken.jsonnet"]) == 0
    assert "0 files checked" in capsys.readouterr().out
    (here / "dashboards" / "exported.json").write_text('{"title": "x"}')
    assert main(["validate", "--changed", "dashboards/exported.json"]) == 1


def test_a_misspelt_import_suggests_the_file_meant(engine, here):
    finding = compile_dashboard(here, engine, "local d = import 'dashbaord.libsonnet';\nd.new('T')\n")
    assert finding.line == 6
    assert finding.hint.startswith("did you mean 'dashboard.libsonnet'?")


def test_a_required_argument_left_out_points_at_the_builder_call(engine, here):
    finding = compile_dashboard(here, engine, """dashboard.new('T')
+ dashboard.withWidgets(layout.stack([
  layout.full(
    w.queryValue.new('Open'),
    2),
]))
""")
    assert finding.line == 9  # w.queryValue.new, not dashboard.new
    assert "queries is required" in finding.message and finding.hint.endswith("the call is on this line")


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ("layout.grid([w.note.new('b')], 6, 0)", "layout.grid: height must be a whole number >= 1, got 0"),
        ("layout.grid([w.note.new('b'), 42], 6, 1)", "layout.grid: expected a widget"),
    ],
)
def test_a_grid_mistake_names_the_grid_not_the_row_above_it(engine, here, grid, message):
    finding = compile_dashboard(here, engine, f"""dashboard.new('T')
+ dashboard.withWidgets(layout.stack([
  layout.row([w.note.new('a')], [12], 1),
  {grid},
]))
""")
    assert finding.message.startswith(message)
    assert finding.line != 8  # the row's line, which is right
    if "height" in message:
        assert finding.line == 9


def test_a_link_to_a_dashboard_without_id_warns_at_the_line_naming_it(engine, here):
    source = here / "dash.jsonnet"
    source.write_text(HEADER + "local links = import 'links.libsonnet';\n"
                      "dashboard.new('T') + dashboard.withDescription(\n  links.dashboard('other'))\n")
    options = jsonnet.Options(import_paths=(COMPONENTS,), engine=engine, dashboard_ids={"other": None})
    [finding] = jsonnet.compile_file(source, options).findings
    assert (finding.rule, finding.line) == ("C004", 8)
