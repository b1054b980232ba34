"""The generated dashboard schema: drift, the real-dashboard corpus, mutations the server rejects, patches."""

from __future__ import annotations

import collections
import copy
import importlib.metadata
import json
import subprocess
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest

from metta_dash.errors import MettaDashError
from metta_dash.findings import Severity
from metta_dash.schema import check, checker, definition_types, generate, load_schema, patches, refusals, spec
from metta_dash.validate import check_dashboard

Path_ = tuple[Any, ...]


# --- the spec and the committed schema -------------------------------------------------------------


@pytest.fixture(scope="module")
def components() -> dict:
    try:
        spec_file = spec.ensure_spec()
    except MettaDashError as error:
        pytest.skip(f"the OpenAPI spec cannot be had (offline and not cached): {error}")
    return generate.load_components(spec_file)


def test_pinned_client_matches_spec_version():
    assert importlib.metadata.version("datadog-api-client") == spec.SPEC_VERSION


def test_committed_schema_equals_fresh_generation(components):
    fresh = generate.render(generate.build(components))
    committed = generate.SCHEMA_PATH.read_text(encoding="utf-8")
    assert fresh == committed, "schemas/dashboard.schema.json drifted: run `metta-dash schema generate`"


def test_regenerate_writes_the_schema(components, tmp_path):
    target = generate.regenerate(tmp_path / "out.schema.json")
    assert target.read_text(encoding="utf-8") == generate.SCHEMA_PATH.read_text(encoding="utf-8")
    fast = generate.fast_path(generate.SCHEMA_PATH).read_text(encoding="utf-8")
    assert (tmp_path / "out.schema.fast.json").read_text(encoding="utf-8") == fast


def test_committed_fast_variant_is_made_from_the_committed_schema():
    committed = generate.SCHEMA_PATH.read_text(encoding="utf-8")
    fast = generate.fast_path(generate.SCHEMA_PATH).read_text(encoding="utf-8")
    assert fast == generate.render_fast(committed), "schemas/dashboard.schema.fast.json drifted: run `metta-dash " \
        "schema generate`"
    assert generate.is_fast_variant_of(fast, committed)


@pytest.fixture
def schema_folder(tmp_path, monkeypatch):
    """A schema file and its fast variant in a folder of their own, which the checker reads afresh."""
    schema_path = tmp_path / "dashboard.schema.json"
    generate.write(load_schema(), schema_path)
    monkeypatch.setattr(checker, "SCHEMA_PATH", schema_path)
    for cached in (checker.load_schema, checker._schema_text, checker.definition_types, checker.fast_validator):
        cached.cache_clear()
    yield schema_path
    for cached in (checker.load_schema, checker._schema_text, checker.definition_types, checker.fast_validator):
        cached.cache_clear()


def test_the_fast_variant_written_beside_the_schema_is_compiled_as_it_is(schema_folder, monkeypatch):
    compiled, compile_schema = [], jsonschema_rs.validator_for
    monkeypatch.setattr(jsonschema_rs, "validator_for", lambda schema: compiled.append(schema) or
                        compile_schema(schema))
    checker.fast_validator()
    assert compiled == [generate.fast_path(schema_folder).read_text(encoding="utf-8")]


@pytest.mark.parametrize("fast_file", ["stale", "missing", "not UTF-8"])
def test_a_fast_variant_not_made_from_the_schema_is_not_used(schema_folder, fast_file):
    schema = load_schema()
    edited = copy.deepcopy(schema)
    edited["$defs"]["NoteWidgetDefinition"]["properties"]["content"]["maxLength"] = 3  # a hand edit
    schema_folder.write_text(generate.render(edited), encoding="utf-8")
    fast = generate.fast_path(schema_folder)
    if fast_file == "missing":
        fast.unlink()
    elif fast_file == "not UTF-8":
        fast.write_bytes(b"\xff" + fast.read_bytes())
    checker.load_schema.cache_clear()  # the fixture's copy was read by load_schema() above
    checker._schema_text.cache_clear()
    note = {"title": "t", "layout_type": "ordered",
            "widgets": [{"definition": {"type": "note", "content": "longer than three"}}]}
    assert not checker.fast_validator().is_valid(note)
    note["widgets"][0]["definition"]["content"] = "ok"
    assert checker.fast_validator().is_valid(note)


def test_cached_spec_is_used_without_download(tmp_path, monkeypatch):
    cached = spec.spec_path("9.9.9", tmp_path)
    cached.parent.mkdir(parents=True)
    cached.write_text("openapi: 3.0.0\n", encoding="utf-8")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("downloaded although cached"))
    assert spec.ensure_spec("9.9.9", tmp_path) == cached


def test_missing_spec_that_cannot_be_downloaded_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # pip finds nothing and fails fast, with no network
    with pytest.raises(MettaDashError) as raised:
        spec.ensure_spec("9.9.9", tmp_path)
    assert "not cached and could not be downloaded" in raised.value.message
    assert str(spec.spec_path("9.9.9", tmp_path)) in raised.value.hint


def test_schema_knows_the_spec_widget_types():
    types = definition_types()
    assert {"note", "group", "timeseries", "query_value", "wildcard", "topology_map"} <= types
    assert len(types) == 42  # 43 definitions; two of them are both "funnel"
    assert not {"custom", "flame_graph"} & types


def test_widget_definitions_are_dispatched_by_type():
    widget_definition = load_schema()["$defs"]["WidgetDefinition"]
    assert "oneOf" not in widget_definition and "anyOf" not in widget_definition
    assert all("if" in case and "then" in case for case in widget_definition["allOf"])


# --- the corpus of real dashboards --------------------------------------------------------------------


def test_corpus_has_no_schema_errors(corpus):
    errors = []
    warnings: collections.Counter[str] = collections.Counter()
    for name, dashboard in corpus.items():
        for finding in check(dashboard):
            if finding.is_error:
                errors.append(f"{name}::{finding.jsonpath}: {finding.message}")
            else:
                warnings[f"{finding.rule} {finding.slug}"] += 1
    print(f"\nschema warnings over {len(corpus)} corpus dashboards by rule: {dict(warnings)}")
    assert not errors, f"{len(errors)} schema errors on dashboards Datadog accepts:\n" + "\n".join(errors[:30])
    assert warnings["S002 unknown-widget-type"] > 0  # flame_graph widgets are in the corpus


@pytest.mark.parametrize("patch", [p for p in patches.PATCHES if p.corpus], ids=lambda p: p.name)
def test_each_corpus_patch_is_needed(patch, components, corpus):
    """Without the patch, one of the dashboards named as its evidence fails: the evidence is real."""
    missing = [name for name in patch.corpus if name not in corpus]
    assert not missing, f"evidence not in the corpus: {missing}"
    without = [p for p in patches.PATCHES if p is not patch]
    validator = jsonschema_rs.validator_for(generate.build(copy.deepcopy(components), without))
    assert any(not validator.is_valid(corpus[name]) for name in patch.corpus)


def test_a_patch_that_no_longer_applies_stops_generation(components):
    stale = patches.Patch("stale", "already in the spec", patches.add_property("Widget", "id", {}))
    with pytest.raises(MettaDashError, match="stale"):
        generate.build(copy.deepcopy(components), [stale])


# --- mutations of real dashboards: what the live API rejects -----------------------------------------


def widgets_in(widgets: list, path: Path_) -> Iterator[tuple[Path_, dict]]:
    for index, widget in enumerate(widgets):
        definition = widget.get("definition", {})
        here = (*path, index, "definition")
        yield here, definition
        if definition.get("type") == "group":
            yield from widgets_in(definition.get("widgets", []), (*here, "widgets"))


def find(corpus: dict, predicate) -> tuple[dict, Path_]:
    """A deep copy of the first corpus dashboard with a widget definition matching `predicate`, and its path."""
    for name in sorted(corpus):
        for path, definition in widgets_in(corpus[name].get("widgets", []), ("widgets",)):
            if predicate(definition):
                return copy.deepcopy(corpus[name]), path
    pytest.skip("no corpus dashboard has the widget this test mutates")


def of_type(kind: str):
    return lambda definition: definition.get("type") == kind


def at(document: Any, path: Path_) -> Any:
    for part in path:
        document = document[part]
    return document


def errors_of(dashboard: dict) -> list:
    return [f for f in check(dashboard) if f.severity is Severity.ERROR]


def only_error(dashboard: dict):
    errors = errors_of(dashboard)
    assert len(errors) == 1, [f"{f.jsonpath}: {f.message}" for f in errors]
    assert (errors[0].rule, errors[0].slug) == ("S001", "schema")
    return errors[0]


def with_requests(definition: dict) -> bool:
    return bool(definition.get("requests")) and isinstance(definition["requests"], list)


def test_note_with_title(corpus):
    dashboard, path = find(corpus, of_type("note"))
    at(dashboard, path)["title"] = "Overview"
    error = only_error(dashboard)
    assert error.path == (*path, "title")
    assert error.message == "note widget: 'title' is not allowed"
    assert error.hint == "note widgets have no title: put a heading in 'content' (Markdown)"


def test_group_with_title_size(corpus):
    dashboard, path = find(corpus, of_type("group"))
    at(dashboard, path)["title_size"] = "16"
    error = only_error(dashboard)
    assert error.path == (*path, "title_size")
    assert error.message == "group widget: 'title_size' is not allowed"


@pytest.mark.parametrize("kind", ["timeseries", "toplist"])
def test_custom_unit_outside_query_value(corpus, kind):
    dashboard, path = find(corpus, of_type(kind))
    at(dashboard, path)["custom_unit"] = "ms"
    error = only_error(dashboard)
    assert error.path == (*path, "custom_unit")
    assert error.message == f"{kind} widget: 'custom_unit' is not allowed"
    assert "query_value" in error.hint


def test_display_type_lines(corpus):
    dashboard, path = find(corpus, lambda d: d.get("type") == "timeseries" and with_requests(d))
    at(dashboard, path)["requests"][0]["display_type"] = "lines"
    error = only_error(dashboard)
    assert error.path == (*path, "requests", 0, "display_type")
    assert error.message == "timeseries widget: 'lines' is not one of 'area', 'bars', 'line', 'overlay'"


def test_request_with_only_style(corpus):
    dashboard, path = find(corpus, lambda d: d.get("type") == "timeseries" and with_requests(d))
    at(dashboard, path)["requests"][0] = {"style": {"palette": "dog_classic"}}
    error = only_error(dashboard)
    assert error.path == (*path, "requests", 0)
    assert error.message == "timeseries widget: the request has no query"


def test_formula_request_without_response_format(corpus):
    dashboard, path = find(corpus, lambda d: d.get("type") == "timeseries" and with_requests(d)
                           and "queries" in d["requests"][0] and "response_format" in d["requests"][0])
    del at(dashboard, path)["requests"][0]["response_format"]
    error = only_error(dashboard)
    assert error.path == (*path, "requests", 0)
    assert error.message == "timeseries widget: 'response_format' is required when 'queries' is set"


def test_event_size_empty(corpus):
    dashboard, path = find(corpus, of_type("event_stream"))
    at(dashboard, path)["event_size"] = ""
    error = only_error(dashboard)
    assert error.path == (*path, "event_size")
    assert error.message == "event_stream widget: '' is not one of 's', 'l'"


def test_log_stream_columns_as_objects(corpus):
    dashboard, path = find(corpus, of_type("log_stream"))
    at(dashboard, path)["columns"] = ["host", {"field": "service", "width": "auto"}]
    error = only_error(dashboard)
    assert error.path == (*path, "columns", 1)
    assert error.message.startswith("log_stream widget: {")
    assert error.message.endswith("is not of type 'string'")


def test_wildcard_with_raw_vega_lite(corpus):
    dashboard, path = find(corpus, of_type("wildcard"))
    at(dashboard, path)["specification"] = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
                                            "mark": "bar"}
    errors = {(f.path, f.message) for f in errors_of(dashboard)}
    spec_path = (*path, "specification")
    assert (spec_path, "wildcard widget: 'type' is required") in errors
    assert (spec_path, "wildcard widget: 'contents' is required") in errors
    gaps = {(f.rule, f.path) for f in check(dashboard) if not f.is_error}
    assert ("S003", (*spec_path, "mark")) in gaps  # far from every known name: a spec gap, not a typo


def test_query_value_with_two_requests(corpus):
    dashboard, path = find(corpus, lambda d: d.get("type") == "query_value" and with_requests(d))
    requests = at(dashboard, path)["requests"]
    requests.append(copy.deepcopy(requests[0]))
    error = only_error(dashboard)
    assert error.path == (*path, "requests")
    assert error.message == "query_value widget: 'requests' has 2 items; at most 1 allowed"


def test_table_widget_inside_a_group(corpus):
    dashboard, path = find(corpus, lambda d: d.get("type") == "group" and d.get("widgets"))
    at(dashboard, path)["widgets"][0]["definition"] = {"type": "table", "requests": []}
    found = check(dashboard)
    type_path = (*path, "widgets", 0, "definition", "type")
    assert [(f.rule, f.path, f.message) for f in found if f.is_error] == [
        ("S001", type_path, "table widget: type 'table' is not allowed in group widgets")
    ]


def template_variable_dashboard(corpus) -> dict:
    for name in sorted(corpus):
        if corpus[name].get("template_variables"):
            return copy.deepcopy(corpus[name])
    pytest.skip("no corpus dashboard has template variables")


def test_template_variable_with_default_and_defaults(corpus):
    dashboard = template_variable_dashboard(corpus)
    dashboard["template_variables"][0].update(default="*", defaults=["*"])
    error = only_error(dashboard)
    assert error.path == ("template_variables", 0)
    assert error.message == "dashboard: 'default' and 'defaults' cannot both be set"


def test_template_variable_defaults_with_empty_string(corpus):
    dashboard = template_variable_dashboard(corpus)
    variable = dashboard["template_variables"][0]
    variable.pop("default", None)
    variable["defaults"] = [""]
    error = only_error(dashboard)
    assert error.path == ("template_variables", 0, "defaults", 0)


def test_preset_with_value_and_values(corpus):
    dashboard = template_variable_dashboard(corpus)
    name = dashboard["template_variables"][0]["name"]
    dashboard["template_variable_presets"] = [
        {"name": "prod", "template_variables": [{"name": name, "value": "a", "values": ["a"]}]}
    ]
    error = only_error(dashboard)
    assert error.path == ("template_variable_presets", 0, "template_variables", 0)
    assert error.message == "dashboard: 'value' and 'values' cannot both be set"


def test_preset_with_empty_values(corpus):
    dashboard = template_variable_dashboard(corpus)
    name = dashboard["template_variables"][0]["name"]
    dashboard["template_variable_presets"] = [{"name": "prod", "template_variables": [{"name": name, "values": []}]}]
    error = only_error(dashboard)
    assert error.path == ("template_variable_presets", 0, "template_variables", 0, "values")


def test_unknown_top_level_property(corpus):
    dashboard = copy.deepcopy(corpus[sorted(corpus)[0]])
    dashboard["viz"] = "timeseries"
    error = only_error(dashboard)
    assert error.path == ("viz",)
    assert error.message == "dashboard: 'viz' is not allowed"
    assert "export" in error.hint  # a curated refusal: its hint says why


def test_misspelt_top_level_property(corpus):
    dashboard = copy.deepcopy(corpus[sorted(corpus)[0]])
    dashboard["descripton"] = "x"
    error = only_error(dashboard)
    assert error.path == ("descripton",)
    assert error.message == "dashboard: 'descripton' is not allowed; did you mean 'description'?"
    assert error.hint.startswith("allowed here: author_handle, author_name,")


def test_missing_definition_type(corpus):
    dashboard, path = find(corpus, of_type("note"))
    del at(dashboard, path)["type"]
    error = only_error(dashboard)
    assert error.path == path
    assert error.message == "widget: 'type' is required"


def test_error_inside_a_query_names_the_widget_and_the_query_field(corpus):
    dashboard, path = find(corpus, lambda d: d.get("type") == "timeseries" and with_requests(d)
                           and d["requests"][0].get("queries"))
    at(dashboard, path)["requests"][0]["queries"][0]["data_source"] = "metricz"
    error = only_error(dashboard)
    assert error.path == (*path, "requests", 0, "queries", 0, "data_source")
    assert error.message.startswith("timeseries widget: 'metricz' is not one of ")


def test_not_a_dashboard_object():
    error = only_error([])
    assert error.path == ()
    assert error.message == "dashboard: [] is not of type 'object'"


# --- what the server accepts although the spec does not say so ------------------------------------------


def test_exported_read_only_fields_and_server_leniency(corpus):
    dashboard, path = find(corpus, of_type("timeseries"))
    dashboard.update(
        id="abc-def-ghi", url="/dashboard/abc-def-ghi/x", author_handle="a@b.c", author_name=None,
        created_at="2024-01-01T00:00:00+00:00", modified_at="2024-01-02T00:00:00+00:00", deleted_at=None,
        experience_type="default", is_read_only=False, restricted_roles=[], description=None,
    )
    widget_path = path[:-1]
    at(dashboard, widget_path)["id"] = 2**60 + 7  # widget ids beyond 2^53 come back from the API
    at(dashboard, path)["time"] = {"type": "daily", "offset": 0}
    at(dashboard, path)["title_size"] = "16"
    dashboard["tabs"] = [{"id": "6b1d0c4e-1d52-4a3f-9d2e-1c1b8b5b6d2a", "name": "Main", "widget_ids": ["@1", 42]}]
    assert errors_of(dashboard) == []


def test_float_layout_values_are_accepted(corpus):
    dashboard, path = find(corpus, lambda d: True)
    widget = at(dashboard, path[:-1])
    widget["layout"] = {"x": 2.03e-07, "y": 0, "width": 4, "height": 2}
    assert errors_of(dashboard) == []


@pytest.mark.parametrize("kind", ["custom", "flame_graph"])
def test_widget_type_absent_from_the_spec_is_a_warning(corpus, kind):
    dashboard, path = find(corpus, of_type("note"))
    at(dashboard, path).clear()
    at(dashboard, path).update(type=kind, anything={"goes": True})
    found = check(dashboard)
    assert [(f.rule, f.slug, f.severity, f.path) for f in found] == [
        ("S002", "unknown-widget-type", Severity.WARNING, (*path, "type"))
    ]
    assert kind in found[0].message


def test_every_finding_names_a_real_location(corpus):
    dashboard, path = find(corpus, of_type("timeseries"))
    at(dashboard, path)["viz"] = "x"
    at(dashboard, path)["requests"] = "nope"
    for finding in errors_of(dashboard):
        parent = at(dashboard, finding.path[:-1]) if finding.path else dashboard
        assert isinstance(parent, dict | list)
        assert finding.message.startswith("timeseries widget: ")


def test_schema_document_is_valid_json_schema():
    schema = load_schema()
    assert schema["$schema"] == generate.DIALECT
    json.dumps(schema)  # plain JSON throughout
    jsonschema_rs.meta.validate(schema)


def test_list_stream_with_two_requests_and_formula_sort_without_index_are_accepted(corpus):
    dashboard, path = find(corpus, lambda d: d.get("type") == "list_stream" and with_requests(d))
    requests = at(dashboard, path)["requests"]
    requests.append(copy.deepcopy(requests[0]))
    dashboard_2, path_2 = find(corpus, lambda d: d.get("type") == "toplist" and with_requests(d)
                               and "formulas" in d["requests"][0])
    at(dashboard_2, path_2)["requests"][0]["sort"] = {"count": 10, "order_by": [{"type": "formula", "order": "desc"}]}
    assert errors_of(dashboard) == [] and errors_of(dashboard_2) == []


def test_fast_form_accepts_exactly_what_the_committed_schema_accepts(corpus):
    committed = jsonschema_rs.validator_for(load_schema())
    fast = checker.fast_validator()
    samples = [corpus[name] for name in sorted(corpus)[:50]]
    dashboard, path = find(corpus, of_type("note"))
    for change in ({"title": "x"}, {"type": "custom"}, {"type": 5}, {"content": 1}):
        mutated = copy.deepcopy(dashboard)
        at(mutated, path).update(change)
        samples.append(mutated)
    for sample in samples:
        assert fast.is_valid(sample) == committed.is_valid(sample)


def test_engines_disagreeing_still_yields_an_error(corpus, monkeypatch):
    dashboard, path = find(corpus, of_type("note"))
    at(dashboard, path)["title"] = "x"

    class Silent:
        def iter_errors(self, instance):
            return iter(())

    monkeypatch.setattr(checker, "_precise_validator", lambda: Silent())
    errors = errors_of(dashboard)
    assert [(f.rule, f.path) for f in errors] == [("S001", path)]  # less precise, but never silent
    assert errors[0].message.startswith("note widget: ")


def test_overlapping_variants_explain_the_closest_one(corpus):
    """A wildcard request fits several variants; the message names the one property that is wrong."""
    dashboard, path = find(corpus, lambda d: d.get("type") == "wildcard" and with_requests(d)
                           and "formulas" in d["requests"][0])
    at(dashboard, path)["requests"][0]["bogus"] = 1
    [finding] = check(dashboard)
    assert (finding.rule, finding.path) == ("S003", (*path, "requests", 0, "bogus"))
    assert finding.message.startswith("wildcard widget: 'bogus' is not in Datadog's published API spec")


def test_time_variant_with_a_missing_field(corpus):
    dashboard, path = find(corpus, of_type("timeseries"))
    at(dashboard, path)["time"] = {"type": "live", "unit": "hour"}
    error = only_error(dashboard)
    assert error.path == (*path, "time")
    assert error.message == "timeseries widget: 'value' is required"


def test_unknown_widget_type_inside_a_group_is_located(corpus):
    dashboard, path = find(corpus, lambda d: d.get("type") == "group" and d.get("widgets"))
    at(dashboard, path)["widgets"][0]["definition"] = {"type": "flame_graph", "requests": [{"anything": 1}]}
    found = check(dashboard)
    assert [(f.rule, f.path) for f in found] == [("S002", (*path, "widgets", 0, "definition", "type"))]


def test_empty_widget_time_is_accepted(corpus):
    dashboard, path = find(corpus, of_type("query_value"))
    at(dashboard, path)["time"] = {}
    assert errors_of(dashboard) == []


# --- near misses are errors with "did you mean"; names far from the spec are warnings ---------------------


def only_finding(dashboard: dict):
    found = check(dashboard)
    assert len(found) == 1, [f"{f.rule} {f.jsonpath}: {f.message}" for f in found]
    return found[0]


def test_misspelt_widget_property(corpus):
    dashboard, path = find(corpus, of_type("timeseries"))
    at(dashboard, path)["show_legnd"] = True
    error = only_error(dashboard)
    assert error.path == (*path, "show_legnd")
    assert error.message == "timeseries widget: 'show_legnd' is not allowed; did you mean 'show_legend'?"


def test_misspelt_enum_value(corpus):
    dashboard, path = find(corpus, lambda d: d.get("type") == "timeseries" and with_requests(d))
    at(dashboard, path)["requests"][0]["display_type"] = "linez"
    error = only_error(dashboard)
    assert error.path == (*path, "requests", 0, "display_type")
    assert error.message.endswith("; did you mean 'line'?")


def test_misspelt_palette(corpus):
    dashboard, path = find(corpus, lambda d: d.get("type") == "timeseries" and with_requests(d)
                           and isinstance(d["requests"][0].get("style"), dict))
    at(dashboard, path)["requests"][0]["style"]["palette"] = "dog_clasic"
    assert errors_of(dashboard) == []  # the spec takes any string as a series palette: a rule knows the names
    [error] = [f for f in check_dashboard(dashboard) if f.is_error]
    assert (error.rule, error.path) == ("R402", (*path, "requests", 0, "style", "palette"))
    assert error.message.endswith("; did you mean 'dog_classic'?")


def test_misspelt_widget_type(corpus):
    dashboard, path = find(corpus, of_type("timeseries"))
    at(dashboard, path)["type"] = "timeseris"
    error = only_error(dashboard)
    assert error.path == (*path, "type")
    assert error.message == "widget: type 'timeseris' is not a widget type; did you mean 'timeseries'?"


def test_property_far_from_the_spec_is_a_warning(corpus):
    dashboard, path = find(corpus, of_type("timeseries"))
    at(dashboard, path)["sparkline_mode"] = "compact"
    finding = only_finding(dashboard)
    assert (finding.rule, finding.severity, finding.path) == ("S003", Severity.WARNING, (*path, "sparkline_mode"))
    assert finding.hint.startswith("allowed here: ")


def test_enum_value_far_from_the_spec_is_a_warning(corpus):
    dashboard, path = find(corpus, lambda d: d.get("type") == "timeseries" and with_requests(d))
    at(dashboard, path)["requests"][0]["display_type"] = "stacked_area"
    finding = only_finding(dashboard)
    assert (finding.rule, finding.path) == ("S003", (*path, "requests", 0, "display_type"))
    assert finding.hint.startswith("known values: 'area', 'bars', 'line', 'overlay'")


def test_curated_refusal_of_an_empty_event_size(corpus):
    dashboard, path = find(corpus, of_type("event_stream"))
    at(dashboard, path)["event_size"] = ""
    error = only_error(dashboard)
    assert error.hint == "event_size is 's' or 'l'; leave it out for the default"


# --- every curated refusal is live: it turns what would be a spec gap into an error with its hint -----------


def _refusal_sample(corpus, refusal: refusals.Refusal) -> tuple[dict, Path_]:
    """A corpus dashboard mutated the way `refusal` describes, and the path of the expected error."""
    if refusal.kind == "property":
        if refusal.widget == refusals.ANYWHERE:
            dashboard = copy.deepcopy(corpus[sorted(corpus)[0]])
            dashboard[refusal.prop] = "x"
            return dashboard, (refusal.prop,)
        dashboard, path = find(corpus, of_type(refusal.widget))
        at(dashboard, path)[refusal.prop] = "16"
        return dashboard, (*path, refusal.prop)
    if refusal.kind == "value":
        kind = {"event_size": "event_stream", "display_type": "timeseries"}[refusal.prop]
        dashboard, path = find(corpus, lambda d: d.get("type") == kind
                               and (refusal.prop == "event_size" or with_requests(d)))
        target = at(dashboard, path) if refusal.prop == "event_size" else at(dashboard, path)["requests"][0]
        target[refusal.prop] = refusal.value
        where = (*path, refusal.prop) if refusal.prop == "event_size" else (*path, "requests", 0, refusal.prop)
        return dashboard, where
    dashboard, path = find(corpus, of_type(refusal.widget))
    at(dashboard, path)[refusal.where_key] = {"mark": "bar"}
    return dashboard, (*path, refusal.where_key)


@pytest.mark.parametrize("refusal", refusals.REFUSALS, ids=lambda r: r.name)
def test_each_curated_refusal_is_an_error_with_its_hint(corpus, refusal):
    assert refusal.evidence and refusal.hint
    dashboard, path = _refusal_sample(corpus, refusal)
    errors = [f for f in check(dashboard) if f.is_error and f.path == path and f.hint == refusal.hint]
    assert errors, [f"{f.rule} {f.jsonpath}: {f.message} ({f.hint})" for f in check(dashboard)]
    assert {f.rule for f in errors} == {"S001"}
    if refusal.kind == "required":
        assert any(f"'{refusal.prop}' is required" in f.message for f in errors)
