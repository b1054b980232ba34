"""Which dashboard line made each widget: title literals, query map entries, sections and document order."""

from __future__ import annotations

from metta_dash import source_lines
from metta_dash.findings import Finding, Severity

SOURCE = """local queries = {
  clusters: 'avg:sky.clusters{*}',
  running: 'sum:sky.jobs.running{*}',
  queued: 'sum:sky.jobs.queued{*}',
};
dashboard.new('Jobs')
+ dashboard.withWidgets(layout.stack([
  layout.section('Now', 'vivid_blue', [
    layout.row([
      sky.clusters(queries.clusters),
      sky.running(queries.running),
    ], 6, 2),
  ]),
  layout.section('Trends', 'gray', [
    layout.row([
      sky.states(queries.running, queries.queued),
      sky.clustersTrend(queries.clusters),
      sky.placeholder(),
    ], 4, 3),
  ]),
]))
"""


def widget(kind: str, title: str, *queries: str) -> dict:
    definition = {"type": kind, "title": title,
                  "requests": [{"queries": [{"name": f"q{i}", "query": q} for i, q in enumerate(queries)]}]}
    return {"definition": definition}


def group(title: str, *children: dict) -> dict:
    return {"definition": {"type": "group", "title": title, "widgets": list(children)}}


DASHBOARD = {"title": "Jobs", "widgets": [
    group("Now", widget("query_value", "Clusters", "avg:sky.clusters{*}"),
          widget("query_value", "Running", "sum:sky.jobs.running{*}")),
    group("Trends", widget("timeseries", "States", "sum:sky.jobs.running{*}", "sum:sky.jobs.queued{*}"),
          widget("timeseries", "Clusters over time", "avg:sky.clusters{*}"),
          {"definition": {"type": "note", "content": "Coming soon"}}),
]}


def lines() -> dict:
    return source_lines.widget_lines(DASHBOARD, source_lines.SourceIndex(SOURCE))


def test_sections_by_title_and_widgets_by_the_line_using_their_query():
    found = lines()
    assert found[("widgets", 0)] == 8 and found[("widgets", 1)] == 14
    assert found[("widgets", 0, "definition", "widgets", 0)] == 10
    assert found[("widgets", 0, "definition", "widgets", 1)] == 11


def test_a_widget_of_several_queries_takes_the_line_passing_them_all():
    assert lines()[("widgets", 1, "definition", "widgets", 0)] == 16


def test_a_second_widget_on_the_same_query_takes_the_next_use_within_its_section():
    assert lines()[("widgets", 1, "definition", "widgets", 1)] == 17


def test_a_widget_with_no_evidence_gets_its_section_line():
    assert lines()[("widgets", 1, "definition", "widgets", 2)] == 14


def test_findings_outside_widgets_go_to_the_setter_of_their_key():
    finding = Finding("R1", "x", Severity.ERROR, "m", path=("widgets", 1, "definition", "widgets", 0, "definition"))
    outside = Finding("R2", "y", Severity.ERROR, "m", path=("title",))
    attached = source_lines.attach([finding, outside], DASHBOARD, None, SOURCE)
    assert [f.line for f in attached] == [16, 6]
