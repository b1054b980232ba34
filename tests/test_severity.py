"""Severity from evidence: newer Datadog features are warnings, near misses and refusals are errors, and
strict mode (`--strict`, `strict = true`) makes what the published spec lacks an error.

The newer-feature fixtures are dashboards of the shapes Datadog's UI and API accept beyond the published
spec (client 2.62.0), none of them from the corpus: each lists under "expected" the warnings it raises.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from metta_dash import settings as project_settings
from metta_dash.cli import main
from metta_dash.errors import ConfigError
from metta_dash.findings import Finding, Severity
from metta_dash.suggest import closest
from metta_dash.validate import check_dashboard

NEWER = Path(__file__).parent / "fixtures" / "newer_features"
NEWER_FILES = sorted(NEWER.glob("*.json"))


def load(path: Path) -> tuple[dict, set[tuple[str, str]]]:
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    return dashboard, {(item["rule"], item["path"]) for item in dashboard.pop("expected")}


@pytest.mark.parametrize("path", NEWER_FILES, ids=lambda p: p.stem)
def test_newer_datadog_features_are_warnings_not_errors(path: Path) -> None:
    dashboard, expected = load(path)
    found = check_dashboard(dashboard)
    assert [f"{f.jsonpath}: {f.message}" for f in found if f.is_error] == []
    assert expected, "a newer-feature fixture names the warnings it raises"
    assert {(f.rule, f.jsonpath) for f in found} == expected


def test_the_newer_features_listed_are_all_covered() -> None:
    assert {p.stem for p in NEWER_FILES} >= {
        "query_table_table_request", "split_group_title_options", "preset_description",
        "list_stream_calculated_fields", "newer_data_source", "conditional_format_palette", "pause_auto_refresh",
        "slo_time", "unnamed_slo_query",
    }


def test_spec_gap_warning_says_what_to_do() -> None:
    dashboard, _ = load(NEWER / "pause_auto_refresh.json")
    [finding] = check_dashboard(dashboard)
    assert (finding.rule, finding.slug, finding.severity) == ("S003", "not-in-spec", Severity.WARNING)
    assert finding.message == (
        "dashboard: 'pause_auto_refresh' is not in Datadog's published API spec (client 2.62.0): "
        "if this is a newer Datadog feature, ignore or exclude it"
    )


def test_missing_required_field_follows_the_unknown_keys_of_its_request() -> None:
    dashboard, _ = load(NEWER / "query_table_table_request.json")
    by_path = {f.jsonpath: f for f in check_dashboard(dashboard)}
    request = "$.widgets[0].definition.requests[0]"
    assert by_path[request].message == (
        "query_table widget: 'response_format' is required when 'queries' is set, but this object holds properties "
        "not in Datadog's published API spec (client 2.62.0): request_type, rows, columns; if it is a newer "
        "Datadog shape, ignore or exclude it"
    )
    assert by_path[request].severity is Severity.WARNING
    assert "'compute' is required, but this request holds" in by_path[f"{request}.queries[0]"].message


def test_missing_required_field_of_a_known_shape_stays_an_error() -> None:
    dashboard, _ = load(NEWER / "query_table_table_request.json")
    request = dashboard["widgets"][0]["definition"]["requests"][0]
    for key in ("request_type", "rows", "columns"):
        del request[key]
    errors = [(f.rule, f.jsonpath) for f in check_dashboard(dashboard) if f.is_error]
    assert ("S001", "$.widgets[0].definition.requests[0].queries[0]") in errors  # 'compute' is required


def strict_settings(tmp_path: Path, extra: str = "") -> project_settings.Settings:
    (tmp_path / "pyproject.toml").write_text(f"[tool.metta-dash]\nstrict = true\n{extra}", encoding="utf-8")
    return project_settings.load(tmp_path)


@pytest.mark.parametrize("path", NEWER_FILES, ids=lambda p: p.stem)
def test_strict_setting_makes_spec_gaps_errors(path: Path, tmp_path: Path) -> None:
    dashboard, _ = load(path)
    findings = strict_settings(tmp_path).apply(check_dashboard(dashboard))
    for finding in findings:
        expected = Severity.ERROR if finding.rule in ("S002", "S003") else Severity.WARNING
        assert finding.severity is expected, finding


def test_a_rules_own_severity_wins_over_strict(tmp_path: Path) -> None:
    settings = strict_settings(tmp_path, '[tool.metta-dash.severity]\nS003 = "warning"\n')
    gap = Finding(rule="S003", slug="not-in-spec", severity=Severity.WARNING, message="m")
    unknown_type = Finding(rule="S002", slug="unknown-widget-type", severity=Severity.WARNING, message="m")
    assert [f.severity for f in settings.apply([gap, unknown_type])] == [Severity.WARNING, Severity.ERROR]


def test_strict_setting_must_be_a_boolean(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.metta-dash]\nstrict = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="strict must be true or false"):
        project_settings.load(tmp_path)


def test_strict_flag_on_the_command_line(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.metta-dash]\n", encoding="utf-8")
    dashboard, _ = load(NEWER / "slo_time.json")
    (tmp_path / "slo.json").write_text(json.dumps(dashboard), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "slo.json"]) == 0
    assert "[S003 not-in-spec]" in capsys.readouterr().out
    assert main(["validate", "--strict", "slo.json"]) == 1
    assert "1 error(s), 0 warning(s)" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "known", "meant"), [
    ("titel", ["title", "type"], "title"),
    ("linez", ["line", "bars", "area"], "line"),
    ("dog_clasic", ["dog_classic", "classic"], "dog_classic"),
    ("timeseris", ["timeseries", "toplist"], "timeseries"),
    ("timeshit", ["timeshift", "top"], "timeshift"),
    ("Line", ["line"], "line"),
    ("time", ["title", "type"], None),  # a newer property of the slo widget, not a typo of title
    ("custom_unit", ["custom_links"], None),
    ("title_size", ["title", "title_align"], None),
    ("x", ["y"], None),
])
def test_near_misses(name: str, known: list[str], meant: str | None) -> None:
    assert closest(name, known) == meant


def test_widget_type_near_miss_is_an_error_and_a_far_one_a_warning() -> None:
    dashboard, _ = load(NEWER / "pause_auto_refresh.json")
    del dashboard["pause_auto_refresh"]
    typo, far = copy.deepcopy(dashboard), copy.deepcopy(dashboard)
    typo["widgets"][0]["definition"]["type"] = "nots"
    far["widgets"][0]["definition"]["type"] = "flame_graph"
    [error] = check_dashboard(typo)
    assert (error.rule, error.severity, error.jsonpath) == ("S001", Severity.ERROR, "$.widgets[0].definition.type")
    assert error.message.endswith("did you mean 'note'?")
    assert [(f.rule, f.severity) for f in check_dashboard(far)] == [("S002", Severity.WARNING)]


def test_rules_command_lists_schema_findings_and_every_rule(capsys) -> None:
    from metta_dash import rules

    assert main(["rules"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == ["S001", "S002", "S003", *(rule.id for rule in rules.all_rules())]
    assert {"R210", "R211", "R212", "R213", "R402"} <= set(listed)


def test_a_far_enum_value_does_not_excuse_a_missing_field_of_a_known_shape() -> None:
    dashboard, _ = load(NEWER / "conditional_format_palette.json")
    del dashboard["widgets"][0]["definition"]["requests"][0]["conditional_formats"][0]["value"]
    graded = {(f.rule, f.jsonpath) for f in check_dashboard(dashboard)}
    formats = "$.widgets[0].definition.requests[0].conditional_formats[0]"
    assert graded == {("S003", f"{formats}.palette"), ("S001", formats)}
