"""Compiling Jsonnet: outputs, links through the registry, and every expected failure as a finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from metta_dash import compile as jsonnet
from metta_dash import engines

DASHBOARD = '{ title: "T", layout_type: "ordered", widgets: [] }'


@pytest.fixture(params=list(engines.ENGINES))
def engine(request) -> str:
    """Every behaviour below holds on every engine, in its own wording."""
    return request.param


def compile_source(
    tmp_path: Path, engine: str, text: str | bytes, name: str = "dash.jsonnet", **options
) -> jsonnet.Compiled:
    source = tmp_path / name
    source.write_bytes(text if isinstance(text, bytes) else text.encode())
    return jsonnet.compile_file(source, jsonnet.Options(engine=engine, **options))


def only(compiled: jsonnet.Compiled):
    assert len(compiled.findings) == 1, compiled.findings
    return compiled.findings[0]


def test_one_dashboard_is_named_after_its_file(tmp_path, engine):
    compiled = compile_source(tmp_path, engine, DASHBOARD, "ci_health.jsonnet")
    assert list(compiled.dashboards) == ["ci_health"]
    assert compiled.findings == []


def test_a_file_may_yield_several_dashboards(tmp_path, engine):
    compiled = compile_source(tmp_path, engine, f"{{ prod: {DASHBOARD}, staging: {DASHBOARD} }}")
    assert sorted(compiled.dashboards) == ["prod", "staging"]


def test_ext_vars_and_top_level_args_reach_the_source(tmp_path, engine):
    text = 'function(team) { title: std.extVar("env") + "/" + team, layout_type: "ordered", widgets: [] }'
    compiled = compile_source(tmp_path, engine, text, ext_vars={"env": "prod"}, tla_vars={"team": "ci"})
    assert compiled.dashboards["dash"]["title"] == "prod/ci"


def test_components_resolve_through_the_import_path(tmp_path, engine):
    components = tmp_path / "components"
    components.mkdir()
    (components / "titles.libsonnet").write_text('{ title:: "From component" }')
    text = 'local t = import "titles.libsonnet"; { title: t.title, layout_type: "ordered", widgets: [] }'
    compiled = compile_source(tmp_path, engine, text, import_paths=(components,))
    assert compiled.dashboards["dash"]["title"] == "From component"


def test_runtime_error_names_file_line_and_column(tmp_path, engine):
    finding = only(compile_source(tmp_path, engine, 'local a = 1;\n{ title: error "title is required" }'))
    assert (finding.rule, finding.slug) == ("C001", "jsonnet-error")
    assert finding.file.endswith("dash.jsonnet")
    assert (finding.line, finding.column) == (2, 10)
    assert finding.message == "title is required"


def test_syntax_error_is_called_one(tmp_path, engine):
    finding = only(compile_source(tmp_path, engine, "{ a: }"))
    assert finding.line == 1
    assert "syntax error" in finding.hint


def test_error_raised_in_a_component_names_the_dashboard_line_too(tmp_path, engine):
    (tmp_path / "lib.libsonnet").write_text('{ row(width):: if width > 12 then error "row wider than 12" }\n')
    finding = only(compile_source(tmp_path, engine, 'local lib = import "lib.libsonnet";\n\nlib.row(13)'))
    assert finding.file.endswith("dash.jsonnet") and finding.line == 3
    assert finding.message == "row wider than 12"
    assert "lib.libsonnet:1" in finding.hint


def test_missing_import_says_where_imports_are_looked_for(tmp_path, engine):
    finding = only(compile_source(tmp_path, engine, 'import "nowhere.libsonnet"'))
    assert 'couldn\'t open import "nowhere.libsonnet"' in finding.message
    assert "components folder" in finding.hint
    assert (finding.line, finding.column) == (1, 1)


def test_an_error_the_engine_reports_without_a_place_still_gets_one(tmp_path, engine):
    # rjsonnet words a missing field without any location; the reference engine is asked where it is.
    finding = only(compile_source(tmp_path, engine, 'local o = { a: 1 };\n{ x: o.b }'))
    assert finding.file.endswith("dash.jsonnet")
    assert (finding.line, finding.column) == (2, 6)
    assert "b" in finding.message


def test_a_relative_source_path_is_reported_as_given(tmp_path, engine, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib.libsonnet").write_text('{ row(width):: error "too wide" }\n')
    Path("dash.jsonnet").write_text('local lib = import "lib.libsonnet";\nlib.row(13)')
    finding = only(jsonnet.compile_file(Path("dash.jsonnet"), jsonnet.Options(engine=engine)))
    assert (finding.file, finding.line) == ("dash.jsonnet", 2)
    assert "lib.libsonnet:1" in finding.hint


def test_an_unknown_engine_is_refused_naming_the_choices():
    from metta_dash.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown Jsonnet engine 'v8'") as caught:
        jsonnet.compile_text(Path("dash.jsonnet"), DASHBOARD, jsonnet.Options(engine="v8"))
    assert "rjsonnet" in caught.value.hint


@pytest.mark.parametrize("text, shape", [("[1, 2]", "list"), ('{ title: "no widgets" }', "keys")])
def test_output_that_is_not_a_dashboard(tmp_path, engine, text, shape):
    finding = only(compile_source(tmp_path, engine, text))
    assert finding.slug == "not-a-dashboard"
    assert shape in finding.message


def test_non_utf8_source(tmp_path, engine):
    finding = only(compile_source(tmp_path, engine, b"{ title: '\xff' }"))
    assert finding.slug == "unreadable-source"
    assert "UTF-8" in finding.message


def test_link_resolves_to_the_registered_dashboard(tmp_path, engine):
    text = '{ title: "T", layout_type: "ordered", widgets: [], description: std.native("dashboardUrl")("ci") }'
    compiled = compile_source(tmp_path, engine, text, dashboard_ids={"ci": "abc-def-ghi"})
    assert compiled.dashboards["dash"]["description"] == "/dashboard/abc-def-ghi"
    assert compiled.findings == []


def test_link_to_a_dashboard_without_id_warns_with_a_placeholder(tmp_path, engine):
    text = '{ title: "T", layout_type: "ordered", widgets: [], description: std.native("dashboardUrl")("eval") }'
    compiled = compile_source(tmp_path, engine, text, dashboard_ids={"eval": None})
    assert compiled.dashboards["dash"]["description"] == jsonnet.UNRESOLVED_LINK + "eval"
    finding = only(compiled)
    assert (finding.slug, str(finding.severity)) == ("unresolved-dashboard-link", "warning")


def test_link_to_an_unknown_dashboard_is_a_compile_error(tmp_path, engine):
    text = '{ title: "T", layout_type: "ordered", widgets: [], description: std.native("dashboardUrl")("nope") }'
    finding = only(compile_source(tmp_path, engine, text, dashboard_ids={"ci": "abc"}))
    assert finding.slug == "jsonnet-error"
    assert "no dashboard named 'nope'" in finding.message
    assert finding.line == 1


def test_options_for_a_project_read_the_registry(tmp_path, engine):
    from metta_dash import settings

    (tmp_path / "pyproject.toml").write_text("[tool.metta-dash]\n")
    (tmp_path / "dashboards").mkdir()
    (tmp_path / "dashboards" / "new_one.jsonnet").write_text(DASHBOARD)
    registry = {"version": 1, "dashboards": {"old_one": {"id": "aaa-bbb-ccc"}}}
    (tmp_path / "dashboards" / "registry.json").write_text(json.dumps(registry))
    options = jsonnet.options_for(settings.load(tmp_path))
    assert options.dashboard_ids == {"new_one": None, "old_one": "aaa-bbb-ccc"}
    assert options.import_paths == (tmp_path.resolve() / "components", jsonnet.LIBRARY_PATH)


def test_compiles_on_two_threads_keep_their_own_traces_and_leave_stderr_as_it_was(tmp_path):
    """std.trace is caught by pointing file descriptor 2, which the whole process shares, at a scratch file:
    two compiles at once must not save each other's scratch file as stderr, nor catch each other's traces."""
    import os
    import threading

    entered = {name: threading.Event() for name in ("one", "two")}
    release = {name: threading.Event() for name in ("one", "two")}

    class Tracing:  # an engine that traces, then waits until the test lets it end
        def evaluate(self, filename: str, text: str, **_) -> str:
            name = Path(filename).stem
            os.write(2, f"TRACE: {name}\n".encode())
            entered[name].set()
            release[name].wait(10)
            return DASHBOARD

    before = os.fstat(2)
    runs: dict[str, jsonnet.Evaluation] = {}

    def compile_one(name: str) -> None:
        runs[name] = jsonnet.evaluate(tmp_path / f"{name}.jsonnet", DASHBOARD, jsonnet.Options(), Tracing())

    first = threading.Thread(target=compile_one, args=("one",))
    first.start()
    assert entered["one"].wait(10)
    second = threading.Thread(target=compile_one, args=("two",))
    second.start()
    entered["two"].wait(0.3)  # the second compile's redirection, when it does not wait for the first's end
    release["one"].set()
    first.join(10)
    release["two"].set()
    second.join(10)
    after = os.fstat(2)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
    assert (runs["one"].traces, runs["two"].traces) == (b"TRACE: one\n", b"TRACE: two\n")
