"""check_dashboard: schema and rules together, one finding per problem, widgets located."""

from __future__ import annotations

from metta_dash.validate import check_dashboard


def test_a_refusal_known_to_schema_and_rules_is_reported_once_by_the_rule():
    dashboard = {
        "title": "t",
        "layout_type": "ordered",
        "template_variables": [{"name": "env", "prefix": "env", "default": "*", "defaults": ["*"]}],
        "widgets": [{"definition": {"type": "timeseries", "title": "Latency", "requests": [
            {"queries": [{"name": "a", "data_source": "metrics", "query": "avg:a{*}"}], "formulas": [{"formula": "a"}]},
        ]}}],
    }
    found = [(f.rule, f.jsonpath) for f in check_dashboard(dashboard)]
    assert found == [
        ("R302", "$.template_variables[0]"),
        ("R204", "$.widgets[0].definition.requests[0]"),
    ]


def test_findings_inside_widgets_name_the_widget():
    dashboard = {
        "title": "t",
        "layout_type": "ordered",
        "widgets": [{"definition": {"type": "group", "title": "Section", "layout_type": "ordered", "widgets": [
            {"definition": {"type": "note", "content": "hi", "title": "Not allowed"}},
        ]}}],
    }
    (finding,) = check_dashboard(dashboard, "dash.json")
    assert finding.jsonpath == "$.widgets[0].definition.widgets[0].definition.title"
    assert (finding.widget_type, finding.widget_title, finding.file) == ("note", "Not allowed", "dash.json")


def test_checking_without_keeping_dashboards_gives_the_same_findings_and_resumes_the_collector(tmp_path):
    import gc
    import json

    from metta_dash import compile as jsonnet
    from metta_dash import settings as project_settings
    from metta_dash.validate import check_sources

    for name, title in (("a", "Fine"), ("b", "Not allowed")):
        (tmp_path / f"{name}.json").write_text(json.dumps({"title": name, "layout_type": "ordered", "widgets": [
            {"definition": {"type": "note", "content": "hi"} | ({"title": title} if name == "b" else {})}]}))
    (tmp_path / "broken.json").write_text("{")
    sources = sorted(tmp_path.glob("*.json"))
    settings = project_settings.load(tmp_path)
    kept = check_sources(sources, settings, jsonnet.options_for(settings))
    dropped = check_sources(sources, settings, jsonnet.options_for(settings), keep_dashboards=False)
    assert [c.findings for c in dropped] == [c.findings for c in kept]
    assert [c.name for c in dropped] == [c.name for c in kept] == ["a", "b", None]
    assert all(c.dashboard is None for c in dropped) and kept[0].dashboard is not None
    assert gc.isenabled()
