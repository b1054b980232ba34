"""The Jsonnet component library: its own `*_test.jsonnet` assertions, its compile-time errors, and the
shapes it emits passing the validator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from metta_dash import compile as jsonnet
from metta_dash import engines, validate
from metta_dash import settings as project_settings
from metta_dash.findings import Severity
from metta_dash.imports import Importer

REPO = Path(__file__).resolve().parent.parent
COMPONENTS = REPO / "components"
JSONNET_TESTS = sorted(COMPONENTS.glob("*_test.jsonnet"))
FAKE_IDS = {"system_health_rollup": "abc-def-ghi", "skypilot_jobs": "jkl-mno-pqr", "training": None}


def fake_dashboard_url(name: str) -> str:
    if name not in FAKE_IDS:
        raise ValueError(f"no dashboard named {name!r}")
    return f"/dashboard/{FAKE_IDS[name] or 'pending'}"


def evaluate(path: Path | None = None, snippet: str | None = None, engine: str | None = None) -> str:
    """Evaluate a file or a snippet (beside the components) through the engine seam."""
    if path is not None:
        filename, text = str(path), path.read_text()
    else:
        filename, text = str(COMPONENTS / "snippet.jsonnet"), snippet
    return engines.get(engine).evaluate(
        filename, text, import_callback=Importer([COMPONENTS]),
        native_callbacks={"dashboardUrl": (("name",), fake_dashboard_url)},
        ext_vars={}, ext_codes={}, tla_vars={}, tla_codes={},
    )


def compile_error(snippet: str) -> str:
    with pytest.raises(RuntimeError) as caught:
        evaluate(snippet=snippet)
    return str(caught.value).splitlines()[0]


def test_the_library_has_jsonnet_tests():
    names = {path.name for path in JSONNET_TESTS}
    assert {"widgets_test.jsonnet", "layout_test.jsonnet", "fom_test.jsonnet", "dashboard_test.jsonnet"} <= names


@pytest.mark.parametrize("engine", list(engines.ENGINES))
@pytest.mark.parametrize("path", JSONNET_TESTS, ids=lambda p: p.name)
def test_jsonnet_assertions(path: Path, engine: str):
    try:
        output = evaluate(path, engine=engine)
    except RuntimeError as error:
        pytest.fail(f"{path.name} failed:\n{error}", pytrace=False)
    assert "false" not in output, f"{path.name}: a check evaluated to false"


def test_a_failing_jsonnet_assertion_fails_with_its_message():
    with pytest.raises(RuntimeError, match="(?i)Assertion failed"):
        evaluate(snippet="{ check: std.assertEqual(1 + 1, 3) }")


LIB = "local layout = import 'layout.libsonnet'; local w = import 'widgets.libsonnet'; "
METRIC = "w.query.metric('a', 'avg:x{*}')"


@pytest.mark.parametrize("engine", list(engines.ENGINES))
def test_hundreds_of_blocks_stack_at_one_level(engine: str):
    """A stack's tops are summed by halves. Summed one by one, each top was a lazy sum over the one before: asking
    for the height of 600 stacked blocks (as `layout.height` does to align neighbours) exceeded the C++ and Go
    engines' stack of 500 frames, and reading the tops cost jrsonnet time quadratic in the number of blocks."""
    heights = [1 + index % 3 for index in range(600)]
    placed = json.loads(evaluate(snippet=f"""
        local layout = import 'layout.libsonnet';
        local note = (import 'widgets.libsonnet').note.new('n');
        local blocks = [layout.row([note], 12, height) for height in {heights}];
        {{ height: layout.height(layout.stackBlocks(blocks)), widgets: layout.stack(blocks) }}
    """, engine=engine))
    tops = [sum(heights[:index]) for index in range(len(heights))]
    assert placed["height"] == sum(heights)
    boxes = [(widget["layout"]["y"], widget["layout"]["height"]) for widget in placed["widgets"]]
    assert boxes == list(zip(tops, heights, strict=True))


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        (
            LIB + "layout.stack([layout.row([w.note.new('a'), w.note.new('b')], [8, 6], 2)])",
            r"layout\.row: widths \[8,6\] add up to 14, wider than the 12-column grid; shrink them or split the row",
        ),
        (
            LIB + "layout.stack([layout.row([w.note.new('a'), w.note.new('b')], [6], 2)])",
            r"layout\.row: 2 widgets but 1 widths; give one width per widget",
        ),
        (
            LIB + "layout.stack([layout.grid([w.note.new('a')], 13, 2)])",
            r"layout\.grid: width 13 is wider than the 12-column grid",
        ),
        (LIB + f"w.timeseries.new(queries=[{METRIC}])", r"timeseries\.new: title is required"),
        (LIB + "w.timeseries.new('t')", r"timeseries\.new: queries is required \(a list of query\.metric"),
        (LIB + "w.queryValue.new('', [" + METRIC + "])", r"queryValue\.new: title must be a non-empty string"),
        (LIB + "w.note.new()", r"note\.new: content is required"),
        (
            LIB + f"w.timeseries.new('t', [{METRIC}]) + w.timeseries.withDisplayType('lines')",
            r'timeseries\.withDisplayType: display type must be one of line\|area\|bars, got "lines" '
            r'\(did you mean "line"\?\)',
        ),
        # The widgets' enum and type checks come from the generated core: its builder, field and allowed values.
        (
            LIB + f"w.timeseries.new('t', [{METRIC}]) + w.timeseries.withLegendColumns(['avg', 'mean'])",
            r'timeseries\.withLegendColumns: legend_columns item must be one of value\|avg\|sum\|min\|max, got "mean"',
        ),
        (
            LIB + f"w.queryValue.new('v', [{METRIC}]) + w.queryValue.withTextAlign('middle')",
            r'queryValue\.withTextAlign: text_align must be one of center\|left\|right, got "middle"',
        ),
        (
            LIB + f"w.queryValue.new('v', [{METRIC} + w.query.withAggregator('mean')])",
            r'formulaAndFunctionMetricQueryDefinition\.withAggregator: aggregator must be one of '
            r'avg\|min\|max\|sum\|last\|area\|l2norm\|percentile, got "mean"',
        ),
        (
            LIB + f"w.queryValue.new('v', [{METRIC}]) + w.queryValue.withTime('2h')",
            r'widgetLegacyLiveSpan\.withLiveSpan: live_span must be one of 1m\|5m\|.*\|alert, got "2h"',
        ),
        (
            LIB + "w.note.new('n') + w.note.withVerticalAlign('middle')",
            r'note\.withVerticalAlign: vertical_align must be one of center\|top\|bottom, got "middle"',
        ),
        (
            LIB + f"w.timeseries.new('t', [{METRIC}]) + w.timeseries.withLegendLayout('horizontl')",
            r'timeseries\.withLegendLayout: legend_layout must be one of auto\|horizontal\|vertical, got "horizontl" '
            r'\(did you mean "horizontal"\?\)',
        ),
        (
            LIB + f"w.table.new('t', [{METRIC}]) + w.table.withHasSearchBar(true)",
            r'queryTable\.withHasSearchBar: has_search_bar must be one of always\|never\|auto, got true',
        ),
        (
            LIB + f"w.timeseries.new('t', [{METRIC}]) + w.timeseries.withYAxisIncludeZero('yes')",
            r'timeseries\.yaxis\.withIncludeZero: include_zero must be boolean, got "yes"',
        ),
        (
            LIB + f"w.timeseries.new('t', [{METRIC}]) + w.timeseries.withPalette('dog_clasic')",
            r'timeseries\.withPalette: palette must be one of .*dog_classic.*, got "dog_clasic" '
            r'\(did you mean "dog_classic"\?\)',
        ),
        (
            LIB + "w.formula.new('a') + w.formula.withPalette('purpel')",
            r'formula\.withPalette: palette must be one of .*got "purpel" \(did you mean "purple"\?\)',
        ),
        (
            LIB + "w.formula.new('a') + w.formula.withCellDisplayMode('bars')",
            r'widgetFormula\.withCellDisplayMode: cell_display_mode must be one of number\|bar\|trend, got "bars"',
        ),
        (
            LIB + "w.formula.new('a') + w.formula.withLimit(5, 'top')",
            r'widgetFormula\.limit\.withOrder: order must be one of asc\|desc, got "top"',
        ),
        (
            LIB + f"w.timeseries.new('t', [{METRIC}]) + w.timeseries.withLineType('dash')",
            r'timeseriesWidgetRequest\.style\.withLineType: line_type must be one of dashed\|dotted\|solid, got "dash"',
        ),
        (
            "local t = import 'thresholds.libsonnet'; t.format('>', 0.7, 'greeen')",
            r'widgetConditionalFormat\.withPalette: palette must be one of .*got "greeen" \(did you mean "green"\?\)',
        ),
        (
            "local t = import 'thresholds.libsonnet'; t.format('=>', 0.7, 'green')",
            r'widgetConditionalFormat\.withComparator: comparator must be one of =\|>\|>=\|<\|<=, got "=>"',
        ),
        (
            "local t = import 'thresholds.libsonnet'; t.marker(0.7, '')",
            r"thresholds\.marker: label must be a non-empty string",
        ),
        (
            "local t = import 'thresholds.libsonnet'; t.customFormat('>', 0, '', '#28A745')",
            r"thresholds\.customFormat: fg must be a non-empty string",
        ),
        (
            "local t = import 'thresholds.libsonnet'; t.marker(0.7, 'healthy', 'fine')",
            r"thresholds\.marker: severity must be one of error\|warning\|ok\|info",
        ),
        (LIB + "w.timeseries.new('t', ['avg:x{*}'])", r"each query must be built with query\.metric\(name, q\)"),
        (LIB + "w.query.metric('1a', 'avg:x{*}')", r"query name .* must start with a letter"),
        (LIB + "w.formula.withUnitLabel('much too long label')", r"label must be 1 to 12 characters"),
        (
            LIB + "layout.stack([layout.section('S', 'neon', [layout.row([w.note.new('a')], 12, 1)])])",
            r"background colour must be one of white\|blue",
        ),
        (
            "local d = import 'dashboard.libsonnet'; local w = import 'widgets.libsonnet'; "
            "d.new('T') + d.withWidgets([w.note.new('a')])",
            r"has no layout; place it with layout\.row/grid/section inside layout\.stack",
        ),
        (
            "local d = import 'dashboard.libsonnet'; d.new('T') + d.withTags(['devops'])",
            r"tags must look like 'team:<name>'",
        ),
        (
            "local fom = import 'fom.libsonnet'; fom.binary('T', 'health.x.fom', 'x', 'negative')",
            r"fom\.binary: passWhen must be one of positive\|zero",
        ),
    ],
    ids=lambda value: value[:40] if isinstance(value, str) else None,
)
def test_mistakes_fail_the_compile_saying_what_to_do(snippet: str, expected: str):
    assert re.search(expected, compile_error(snippet))


def test_an_unknown_dashboard_link_is_a_compile_error():
    assert "no dashboard named 'nope'" in compile_error("(import 'links.libsonnet').dashboard('nope')")


def test_compile_errors_reach_findings_with_the_message():
    options = jsonnet.options_for(project_settings.load(REPO))
    source = "local layout = import 'layout.libsonnet'; local w = import 'widgets.libsonnet'; " \
             "{title: 'x', layout_type: 'ordered', widgets: layout.stack([layout.row([w.note.new('a')], [13], 1)])}"
    compiled = jsonnet.compile_text(REPO / "dashboards" / "broken.jsonnet", source, options)
    assert [finding.slug for finding in compiled.findings] == ["jsonnet-error"]
    assert "wider than the 12-column grid" in compiled.findings[0].message


EVERY_BUILDER = """
local dashboard = import 'dashboard.libsonnet';
local fom = import 'fom.libsonnet';
local foms = import 'foms.libsonnet';
local layout = import 'layout.libsonnet';
local links = import 'links.libsonnet';
local palettes = import 'palettes.libsonnet';
local templates = import 'templates.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local w = import 'widgets.libsonnet';

local m(name, metric) = w.query.metric(name, 'avg:%s{$env}' % metric);

dashboard.new('Every builder')
+ dashboard.withDescription('each builder once')
+ dashboard.withDefaultTimeframe(7, 'day')
+ dashboard.withTemplateVariables([templates.env, templates.service + templates.withDefault('api')])
+ dashboard.withTags(['team:devops'])
+ dashboard.withWidgets(layout.stack([
  layout.row([
    w.note.new('## Notes ' + links.markdown('rollup', 'system_health_rollup')) + w.note.withBackgroundColor('yellow')
    + w.note.withFontSize(14) + w.note.withShowTick(true) + w.note.withTickEdge('left'),
    w.queryValue.new('qv', [m('a', 'x.y')]) + w.queryValue.withFomFormats() + w.queryValue.withTime('1w')
    + w.queryValue.withTimeseriesBackground('area')
    + w.queryValue.withCustomLinks([links.custom('Rollup', 'system_health_rollup')]),
    w.toplist.new('top', [w.query.metric('a', 'sum:x.y{$env} by {host}')])
    + w.toplist.withFormulas([w.formula.new('a') + w.formula.withLimit(10)]) + w.toplist.withDisplay('stacked')
    + w.toplist.withConditionalFormats(thresholds.trafficLightLowerIsBetter(5, 10)),
  ], 4, 2),
  layout.section('Charts', 'vivid_blue', [
    layout.grid([
      w.timeseries.new('ts', [m('a', 'x.y'), m('b', 'x.z')]) + w.timeseries.withDisplayType('area')
      + w.timeseries.withFormulas(['a', w.formula.new('a / b') + w.formula.withAlias('ratio')
                                   + w.formula.withUnitLabel('ratio')])
      + w.timeseries.withFomMarkers() + w.timeseries.withMarkersMixin([thresholds.band(0, 0.3, 'critical', 'error')])
      + w.timeseries.withYAxisMin(0) + w.timeseries.withYAxisMax(1) + w.timeseries.withPalette(palettes.series.cool)
      + w.timeseries.withLineWidth('thick') + w.timeseries.withLegendLayout('horizontal')
      + w.timeseries.withLegendColumns(['avg', 'max']) + w.timeseries.withShowLegend(true)
      + w.timeseries.withExtraRequest([m('c', 'x.w')], displayType='bars'),
      w.heatmap.new('heat', [m('a', 'x.y')]) + w.heatmap.withYAxisScale('log'),
      w.distribution.new('dist', [m('a', 'x.y')]) + w.distribution.withXAxisIncludeZero(true),
      w.change.new('chg', [m('a', 'x.y')]) + w.change.withCompareTo('week_before') + w.change.withIncreaseGood(false),
      w.table.new('table', [w.query.metric('a', 'avg:x.y{$env} by {service}')])
      + w.table.withFormulas([w.formula.new('a') + w.formula.withFomFormats() + w.formula.withCellDisplayMode('bar')])
      + w.table.withHasSearchBar('never'),
      w.wildcard.new('vl', [m('a', 'x.y')], { mark: 'bar', data: { name: 'table1' } }),
    ], 4, 3),
  ]),
  layout.grid([fom.queryValue(d, 'inline', 2, '$env') for d in foms.all]
              + [fom.queryValue(foms.ci[0], 'published', 6), fom.timeseries(foms.training[6]),
                 fom.average('CI', foms.ci), fom.average('Eval', foms.eval, 'published', 1)], 3, 2),
  layout.row([
    w.checkStatus.new('check', 'datadog.agent.up', 'cluster') + w.checkStatus.withTags(['*']),
    w.eventStream.new('events', 'sources:github') + w.eventStream.withEventSize('s'),
    w.listStream.new('list', 'logs_stream', 'status:error') + w.listStream.withColumns(['timestamp', 'content'])
    + w.listStream.withSort('timestamp'),
    w.logStream.errors('errors', 'service:collector') + w.logStream.withColumns(['host', 'service']),
  ], 3, 4),
  layout.row([
    w.image.new('https://example.com/a.png') + w.image.withSizing('contain'),
    w.freeText.new('Free') + w.freeText.withColor('#4d4d4d') + w.freeText.withFontSize(24),
    w.iframe.new('https://example.com'),
    w.slo.new('slo', 'abc123') + w.slo.withTimeWindows(['7d', '30d']) + w.slo.withViewMode('overall'),
  ], 3, 3),
]))
"""


def test_every_builder_emits_what_the_validator_accepts():
    options = jsonnet.options_for(project_settings.load(REPO))
    compiled = jsonnet.compile_text(REPO / "dashboards" / "every_builder.jsonnet", EVERY_BUILDER, options)
    # FoM tiles link to their detail dashboards; those not pushed yet get a search link and a C004 warning.
    assert not [f for f in compiled.findings if f.rule != "C004"], compiled.findings
    (document,) = compiled.dashboards.values()
    findings = validate.check_dashboard(document, "every_builder.jsonnet")
    assert [f"{f.rule} {f.jsonpath}: {f.message}" for f in findings] == []


def test_github_cicd_compiles_clean():
    options = jsonnet.options_for(project_settings.load(REPO))
    compiled = jsonnet.compile_file(REPO / "dashboards" / "github_cicd.jsonnet", options)
    assert not [f for f in compiled.findings if f.severity is Severity.ERROR], compiled.findings
    document = compiled.dashboards["github_cicd"]
    findings = validate.check_dashboard(document, "github_cicd.jsonnet")
    assert [f"{f.rule} {f.jsonpath}: {f.message}" for f in findings] == []
    assert document["reflow_type"] == "fixed"
    notes = [w for g in document["widgets"] for w in [g, *g["definition"].get("widgets", [])]
             if w["definition"]["type"] == "note"]
    assert notes and all("title" not in note["definition"] for note in notes)
