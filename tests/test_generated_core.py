"""The generated Jsonnet core (components/gen/) and its reference (docs/api/): committed copies equal a fresh
generation, every builder evaluates, its checks name the builder, field and allowed values, and the widgets it
builds pass the schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import _jsonnet
import pytest
import rjsonnet

from metta_dash import jsonnet_syntax as js
from metta_dash import schema as widget_schema
from metta_dash.schema import builders, reference
from metta_dash.schema.model import Kind, Model
from metta_dash.schema.regenerate import generated_files

REPO = Path(__file__).resolve().parent.parent
COMPONENTS = REPO / "components"


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(widget_schema.load_schema()["$defs"])


def evaluate(snippet: str) -> object:
    return json.loads(_jsonnet.evaluate_snippet("snippet.jsonnet", snippet, jpathdir=[str(COMPONENTS)]))


def error_of(snippet: str) -> str:
    with pytest.raises(RuntimeError) as caught:
        _jsonnet.evaluate_snippet("snippet.jsonnet", snippet, jpathdir=[str(COMPONENTS)])
    return str(caught.value).splitlines()[0]


def test_committed_core_and_reference_equal_a_fresh_generation():
    expected = generated_files(widget_schema.load_schema())
    on_disk = {
        path: path.read_text(encoding="utf-8")
        for folder, pattern in ((builders.GEN_DIR, "*.libsonnet"), (reference.DOCS_DIR, "*.md"))
        for path in folder.rglob(pattern)
    }
    stale = sorted(str(p.relative_to(REPO)) for p in set(on_disk) - set(expected))
    missing = sorted(str(p.relative_to(REPO)) for p in set(expected) - set(on_disk))
    drifted = sorted(str(p.relative_to(REPO)) for p in expected if p in on_disk and on_disk[p] != expected[p])
    assert not (stale or missing or drifted), (
        f"generated files drifted (run `make schema`): stale {stale}, missing {missing}, changed {drifted}"
    )


def test_every_generated_file_says_so_in_its_first_line():
    for path in builders.GEN_DIR.rglob("*.libsonnet"):
        assert path.read_text(encoding="utf-8").splitlines()[0] == builders.HEADER, path


def test_every_widget_type_of_the_spec_has_a_builder(model):
    assert {b.widget_type for b in model.widgets} == widget_schema.definition_types()
    assert len(model.widgets) == len(model.widget_components())


def sample(kind: Kind) -> str:
    """A Jsonnet value of the kind (the first allowed value for an enum)."""
    if kind.enum is not None:
        return js.scalar(kind.enum[0])
    if kind.types == ("array",):
        return "[]"
    first = kind.types[0] if kind.types else "string"
    samples = {"string": "'x'", "number": "1", "boolean": "true", "object": "{}", "array": "[]", "null": "null"}
    return samples.get(first, "'x'")


def test_every_builder_and_setter_evaluates(model):
    """One snippet calls `new` and every setter (nested groups too) of every builder with a value of its type;
    each call is its own list item (a long `+` chain would only measure the engine's merging)."""
    parts = []
    for builder in (*model.widgets, *model.objects):
        group = "widgets" if builder.widget_type else "objects"
        ref = f"gen.{group}.{builder.name}"
        calls = [f"{ref}.new({', '.join(sample(f.kind) for f in builder.arguments)})"]
        for field in builder.setters:
            calls.append(f"{ref}.{field.setter}({sample(field.kind)})")
            if field.kind.types == ("array",):
                calls.append(f"{ref}.{field.setter}Mixin({sample(field.kind)})")
            nested = model.builder_of(field.nested) if field.nested else None
            calls += [f"{ref}.{field.name}.{inner.setter}({sample(inner.kind)})" for inner in nested.setters] \
                if nested else []
        parts.append(f"  {js.string(builder.name)}: [{', '.join(calls)}],")
    # rjsonnet: the reference binding takes about 15 s over these 2,000-odd calls.
    snippet = "local gen = import 'gen/main.libsonnet';\n{\n" + "\n".join(parts) + "\n}"
    result = json.loads(rjsonnet.evaluate_snippet("snippet.jsonnet", snippet, jpathdir=[str(COMPONENTS)]))
    for builder in model.widgets:
        assert result[builder.name][0]["definition"]["type"] == builder.widget_type
    assert sum(len(calls) for calls in result.values()) > 2000


def test_a_widget_built_from_the_core_passes_the_schema():
    widget = evaluate("""
      local gen = import 'gen/main.libsonnet';
      local g = gen.widgets;
      local o = gen.objects;
      g.timeseries.new([
        o.timeseriesWidgetRequest.new()
        + o.timeseriesWidgetRequest.withResponseFormat('timeseries')
        + o.timeseriesWidgetRequest.withQueries([
          o.formulaAndFunctionMetricQueryDefinition.new('avg:system.cpu.user{*}', 'cpu'),
        ])
        + o.timeseriesWidgetRequest.withFormulas([o.widgetFormula.new('cpu') + o.widgetFormula.withAlias('CPU')])
        + o.timeseriesWidgetRequest.withDisplayType('bars'),
      ])
      + g.timeseries.withTitle('CPU')
      + g.timeseries.yaxis.withMin('0')
      + g.timeseries.withLegendColumnsMixin('avg')
      + g.timeseries.withLayout(o.widgetLayout.new(2, 4, 0, 0))
    """)
    dashboard = {"title": "t", "layout_type": "ordered", "widgets": [widget]}
    assert widget["definition"]["yaxis"] == {"min": "0"}
    assert widget["definition"]["legend_columns"] == ["avg"]
    assert widget_schema.check(dashboard) == []


@pytest.mark.parametrize(("snippet", "expected"), [
    ("g.timeseries.withLegendLayout('horizontl')",
     r'^RUNTIME ERROR: timeseries\.withLegendLayout: legend_layout must be one of auto\|horizontal\|vertical, '
     r'got "horizontl" \(did you mean "horizontal"\?\)$'),
    ("g.timeseries.withLegendLayout('sideways')", r'got "sideways"$'),
    ("g.queryValue.withPrecision('2')", r"queryValue\.withPrecision: precision must be a whole number, got \"2\""),
    ("g.note.new(42)", r"note\.new: content must be string, got 42"),
    ("g.timeseries.withLegendColumns(['avg', 'mean'])",
     r"timeseries\.withLegendColumns: legend_columns item must be one of value\|avg\|sum\|min\|max, got \"mean\""),
    ("g.timeseries.yaxis.withIncludeZero('yes')",
     r"timeseries\.yaxis\.withIncludeZero: include_zero must be boolean"),
    ("o.widgetTime.new()", r"field does not exist: widgetTime"),
])
def test_checks_name_the_builder_the_field_and_what_is_allowed(snippet, expected):
    message = error_of(
        "local gen = import 'gen/main.libsonnet'; local g = gen.widgets; local o = gen.objects; " + snippet
    )
    assert re.search(expected, message), message


def test_importing_the_core_evaluates_only_what_is_used():
    """The index names every file lazily: a broken file nobody uses is never read. The builders the
    hand-written library runs on every compile share one file (core.libsonnet), the others have their own."""
    snippet = "local gen = import 'gen/main.libsonnet'; [gen.widgets.note.new('hi'), gen.widgets.image.new('u')]"
    assert evaluate(snippet) == [
        {"definition": {"type": "note", "content": "hi"}},
        {"definition": {"type": "image", "url": "u"}},
    ]
    index = (builders.GEN_DIR / builders.INDEX).read_text(encoding="utf-8")
    assert re.search(r"^    image:: import 'image_widget_definition\.libsonnet',$", index, re.M)
    assert re.search(r"^    note:: core\.widgets\.note,$", index, re.M)
    assert not (builders.GEN_DIR / "note_widget_definition.libsonnet").exists()


def test_the_core_file_holds_the_builders_the_library_uses_and_stays_small(model):
    """Every compile parses core.libsonnet: it holds the builders widgets, query and layout.libsonnet use and
    the objects their setter groups set, as tables (data, not a setter of code each)."""
    core = (builders.GEN_DIR / builders.BUNDLE).read_text(encoding="utf-8")
    code = [line for line in core.splitlines() if not line.lstrip().startswith("//")]
    assert len("\n".join(code)) < 16_000
    library = "\n".join((COMPONENTS / name).read_text(encoding="utf-8")
                        for name in ("widgets.libsonnet", "query.libsonnet", "layout.libsonnet"))
    used = set(re.findall(r"\bcore\.(?:widgets|objects)\.(\w+)", library))
    by_name = {b.name: b for b in (*model.widgets, *model.objects)}
    nested = {model.builder_of(f.nested).name for name in used for f in by_name[name].setters
              if f.nested and model.builder_of(f.nested)}
    bundled = set(re.findall(r"^    (\w+):: util\.setters", core, re.M))
    assert used <= bundled <= used | nested
    # Objects built on every compile carry only the fields the library sets; their own files hold every field.
    request = next(b for b in model.objects if b.name == "timeseriesWidgetRequest")
    table = re.search(r"^local timeseriesWidgetRequestFields = \{\n(.*?)^\};", core, re.M | re.S).group(1)
    assert set(re.findall(r": \['(\w+)'", table)) == builders.CORE_PARTS[request.component]
    whole = (builders.GEN_DIR / request.file).read_text(encoding="utf-8")
    assert all(f"['{f.key}'" in whole for f in request.setters)


def test_reference_documents_every_setter_with_allowed_values(model):
    page = (reference.DOCS_DIR / "widgets" / "timeseries.md").read_text(encoding="utf-8")
    timeseries = next(b for b in model.widgets if b.name == "timeseries")
    for field in timeseries.setters:
        assert f"`{field.setter}(value)`" in page
    assert "`auto` \\| `horizontal` \\| `vertical`" in page
    assert "`yaxis.withMin(value)`" in page
    index = (reference.DOCS_DIR / "README.md").read_text(encoding="utf-8")
    assert all(f"(widgets/{reference._stem(b)}.md)" in index for b in model.widgets)


def test_the_hand_written_builders_set_plain_fields_through_the_core():
    result = evaluate("""
      local w = import 'widgets.libsonnet';
      local m = w.query.metric('a', 'avg:x{*}');
      [
        w.slo.new('SLO', 'abc') + w.slo.withViewMode('both'),
        w.image.new('https://x/y.png') + w.image.withSizing('cover'),
        (w.timeseries.new('t', [m]) + w.timeseries.withLegendLayout('horizontal')).definition.legend_layout,
        (w.change.new('c', [m]) + w.change.withOrderBy('name')).definition.requests[0].order_by,
      ]
    """)
    assert result[0] == {"definition": {
        "type": "slo", "view_type": "detail", "title": "SLO", "slo_id": "abc", "time_windows": ["7d"],
        "view_mode": "both",
    }}
    assert result[1] == {"definition": {"type": "image", "url": "https://x/y.png", "sizing": "cover"}}
    assert result[2:] == ["horizontal", "name"]
    message = error_of("(import 'widgets.libsonnet').image.withSizing('cove')")
    assert 'image.withSizing: sizing must be one of' in message and '(did you mean "cover"?)' in message
