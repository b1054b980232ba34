"""`metta-dash metrics`: the metrics each widget reads, and whether Datadog saw them lately, through the real
client over loopback HTTP to the emulator's metrics endpoints."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from metta_dash import metric_check
from metta_dash.cli import main
from metta_dash.datadog import AuthError, Client
from metta_dash.testing import Emulator

REPO = Path(__file__).resolve().parent.parent
NOW = time.time()
DAY = 86400
COLLECTOR_METRICS = ["collector.duration_seconds", "collector.error_count", "collector.metrics_published",
                     "collector.success"]


@pytest.mark.parametrize(("query", "names"), [
    ("avg:github.prs.open{$env}", ["github.prs.open"]),
    ("sum:collector.error_count{$env,$collector} by {collector}.rollup(sum)", ["collector.error_count"]),
    ("sum:collector.duration_seconds{*} by {collector}.rollup(count, 3600)", ["collector.duration_seconds"]),
    ("abs(avg:a.b{host:x}) + max:c.d{*} / 2", ["a.b", "c.d"]),
    ("top(avg:system.cpu.user{env:prod} by {host}, 10, 'mean', 'desc'), avg:system.cpu.user{*}", ["system.cpu.user"]),
    ("a.bare{*}", ["a.bare"]),
    ("p95:trace.http.request{service:web}", ["trace.http.request"]),
])
def test_metric_names_of_a_query(query, names):
    assert metric_check.metric_names(query) == names


def test_metric_uses_name_each_widget_and_skip_other_data_sources():
    dashboard = {"widgets": [
        {"definition": {"type": "group", "title": "G", "widgets": [
            {"definition": {"type": "timeseries", "title": "CPU", "requests": [{"queries": [
                {"data_source": "metrics", "name": "a", "query": "avg:system.cpu.user{*}"},
                {"data_source": "logs", "name": "b", "search": {"query": "status:error"}},
            ]}]}},
        ]}},
        {"definition": {"type": "query_value", "requests": [{"q": "sum:x.y{*} + sum:x.z{*}"}]}},
        {"definition": {"type": "note", "content": "avg:not.a.query{*}"}},
    ]}
    uses = metric_check.metric_uses("board", dashboard)
    assert [(u.metric, u.path, u.title, u.widget_type) for u in uses] == [
        ("system.cpu.user", "$.widgets[0].definition.widgets[0]", "CPU", "timeseries"),
        ("x.y", "$.widgets[1]", None, "query_value"),
        ("x.z", "$.widgets[1]", None, "query_value"),
    ]


def test_metric_uses_read_the_named_requests_of_hostmaps_and_scatterplots():
    dashboard = {"widgets": [
        {"definition": {"type": "hostmap", "requests": {"fill": {"q": "avg:system.load.1{*} by {host}"},
                                                        "size": {"q": "avg:system.mem.used{*} by {host}"}}}},
        {"definition": {"type": "scatterplot", "title": "S", "requests": {"x": {"q": "avg:a.x{*} by {host}"},
                                                                         "y": {"q": "avg:a.y{*} by {host}"}}}},
    ]}
    assert [(u.metric, u.path) for u in metric_check.metric_uses("board", dashboard)] == [
        ("system.load.1", "$.widgets[0]"), ("system.mem.used", "$.widgets[0]"),
        ("a.x", "$.widgets[1]"), ("a.y", "$.widgets[1]"),
    ]


def test_every_project_dashboard_lists_its_metrics(project_dashboards):
    for name, checked in project_dashboards.items():
        uses = metric_check.metric_uses(name, checked.dashboard)
        assert uses, f"{name} reads no metric"
        assert all("{" not in u.metric and not u.metric.startswith("$") for u in uses)
    collector = {u.metric for u in metric_check.metric_uses("c", project_dashboards["collector_health"].dashboard)}
    assert sorted(collector) == COLLECTOR_METRICS


@pytest.fixture
def seeded():
    with Emulator(api_key="k-metrics-1", app_key="a-metrics-1") as emulator:
        emulator.add_metric("m.live", [(NOW - 3 * DAY, 4.0), (NOW - 3600, 2.0)])
        emulator.add_metric("m.old", [(NOW - 30 * DAY, 1.0)])  # known, silent for the last 7 days
        emulator.add_metric("m.zero", [])  # known, never a point
        yield emulator
    assert not emulator.internal_errors


def client_for(emulator: Emulator, **kwargs) -> Client:
    return Client(api_url=emulator.url, api_key=emulator.api_key, app_key=emulator.app_key, **kwargs)


def test_live_silent_and_unknown_metrics(seeded):
    with client_for(seeded) as client:
        found = metric_check.check_metrics(client, ["m.live", "m.old", "m.zero", "m.typo"], days=7, now=NOW)
    assert {name: status.state for name, status in found.items()} == {
        "m.live": "live", "m.old": "silent", "m.zero": "silent", "m.typo": "unknown",
    }
    # The start (00:00 UTC) of the day of its latest point: daily buckets are aligned to UNIX time.
    assert found["m.live"].last_seen == (NOW - 3600) // DAY * DAY
    # One query per metric; the metadata only for those without a point.
    paths = sorted(r.path for r in seeded.requests)
    assert paths.count("/api/v1/query") == 4
    assert sorted(p for p in paths if p.startswith("/api/v1/metrics/")) == [
        "/api/v1/metrics/m.old", "/api/v1/metrics/m.typo", "/api/v1/metrics/m.zero"]
    query = next(r for r in seeded.requests if r.path == "/api/v1/query")
    assert "rollup%28count%2C+86400%29" in query.query or "rollup(count, 86400)" in query.query


def test_a_longer_window_finds_an_older_point(seeded):
    with client_for(seeded) as client:
        assert metric_check.check_metrics(client, ["m.old"], days=31, now=NOW)["m.old"].state == "live"


def test_an_api_error_marks_that_metric_and_the_others_go_on(seeded):
    seeded.fail_next(500, count=1, path=r"^/api/v1/query$")
    with client_for(seeded, retries=0) as client:
        found = metric_check.check_metrics(client, ["m.live", "m.old"], days=7, jobs=1, now=NOW)
    failed = [s for s in found.values() if s.state == "failed"]
    assert len(failed) == 1 and "HTTP 500" in failed[0].error
    assert [s.state for s in found.values() if s.state != "failed"] in (["live"], ["silent"])


@pytest.mark.parametrize(("body", "said"), [
    ("", "it is empty"),
    ("<html>proxy</html>", "it is not JSON"),
    ({"status": "ok"}, "it has no `series` list"),
    ({"status": "error", "error": "Rate of queries too high", "series": []}, "Rate of queries too high"),
])
def test_an_answer_that_is_not_a_query_result_fails_that_metric(seeded, body, said):
    seeded.fail_next(None, count=1, path=r"^/api/v1/query$", body=body)
    with client_for(seeded, retries=0) as client:
        found = metric_check.check_metrics(client, ["m.live"], days=7, now=NOW)
    assert found["m.live"].state == "failed" and said in found["m.live"].error


def test_ctrl_c_stops_the_checks_not_yet_started(seeded):
    def interrupt(done, total, name):
        raise KeyboardInterrupt

    names = [f"m.{i}" for i in range(30)]
    with client_for(seeded) as client, pytest.raises(KeyboardInterrupt):
        metric_check.check_metrics(client, names, days=7, jobs=2, now=NOW, progress=interrupt)
    assert len([r for r in seeded.requests if r.path == "/api/v1/query"]) < len(names)


def test_a_rate_limit_is_waited_out(seeded):
    seeded.fail_next(429, count=1, path=r"^/api/v1/query$", reset=1)
    with client_for(seeded) as client:
        started = time.monotonic()
        found = metric_check.check_metrics(client, ["m.live"], days=7, now=NOW)
    assert found["m.live"].state == "live" and time.monotonic() - started >= 0.9


def test_refused_keys_stop_every_check(seeded):
    with Client(api_url=seeded.url, api_key="wrong", app_key="wrong", retries=0) as client:
        with pytest.raises(AuthError) as caught:
            metric_check.check_metrics(client, [f"m.{i}" for i in range(20)], days=7, jobs=2, now=NOW)
    assert "wrong" not in str(caught.value)
    assert len(seeded.requests) < 20  # the pending checks were cancelled


def test_checks_run_concurrently_and_bounded():
    names = [f"m.{i}" for i in range(6)]
    with Emulator(latency=0.25) as emulator:
        for name in names:
            emulator.add_metric(name, [(NOW - 60, 1.0)])
        with Client(api_url=emulator.url, api_key="k", app_key="a") as client:
            timings = {}
            for jobs in (1, 6):
                started = time.monotonic()
                metric_check.check_metrics(client, names, days=1, jobs=jobs, now=NOW)
                timings[jobs] = time.monotonic() - started
    assert timings[1] >= 6 * 0.25
    assert timings[6] < timings[1] / 2


def test_days_must_be_positive(seeded):
    with client_for(seeded) as client, pytest.raises(ValueError):
        metric_check.check_metrics(client, ["m.live"], days=0)


# -- the command ---------------------------------------------------------------------------------------------

@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def seed_collectors(emulator: Emulator, silent: str | None = None, unknown: str | None = None) -> None:
    for name in COLLECTOR_METRICS:
        if name == unknown:
            continue
        emulator.add_metric(name, [] if name == silent else [(time.time() - 3600, 1.0)])


def test_the_command_reports_the_widgets_reading_a_silent_metric(in_repo, dd_emulator, capsys):
    seed_collectors(dd_emulator, silent="collector.metrics_published", unknown="collector.success")
    assert main(["metrics", "collector_health", "--days", "3"]) == 1
    out = capsys.readouterr().out
    assert "silent   collector.metrics_published: no point in the last 3 days" in out
    assert "read by query_value 'Metrics Published (last runs)'" in out
    assert "unknown  collector.success: Datadog has never seen this metric" in out
    assert "read by query_table 'Collector Status and Last Seen' $.widgets[1].definition.widgets[3]" in out
    assert "live     collector.error_count" in out
    assert "4 metric(s) in 1 dashboard(s) over 3 days: 2 live, 1 silent, 1 unknown, 0 could not be checked" in out


def test_the_command_exits_0_when_every_metric_is_live(in_repo, dd_emulator, capsys):
    seed_collectors(dd_emulator)
    assert main(["metrics", "collector_health", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["version"] == 1 and document["days"] == 7
    rows = document["dashboards"]["collector_health"]
    assert [row["metric"] for row in rows] == COLLECTOR_METRICS
    assert {row["state"] for row in rows} == {"live"}
    assert all(row["widgets"] and row["widgets"][0]["path"].startswith("$.widgets[") for row in rows)


def test_an_api_error_fails_the_command_naming_the_metric(in_repo, dd_emulator, capsys):
    seed_collectors(dd_emulator)
    dd_emulator.fail_next(400, count=1, path=r"^/api/v1/query$")
    assert main(["metrics", "collector_health"]) == 1
    out = capsys.readouterr().out
    assert "failed   collector." in out and "HTTP 400" in out and "1 could not be checked" in out


def test_listing_needs_no_keys_and_no_network(in_repo, monkeypatch, capsys):
    monkeypatch.delenv("DD_API_KEY", raising=False)
    monkeypatch.delenv("DD_APP_KEY", raising=False)
    assert main(["metrics", "--list", "collector_health"]) == 0
    assert "collector.error_count  (3 widget(s))" in capsys.readouterr().out


def test_missing_keys_name_the_variable(in_repo, monkeypatch, capsys):
    monkeypatch.delenv("DD_API_KEY", raising=False)
    monkeypatch.setenv("DD_APP_KEY", "x")
    assert main(["metrics", "collector_health"]) != 0
    assert "DD_API_KEY is not set" in capsys.readouterr().err


def test_an_unknown_dashboard_name_is_a_usage_error(in_repo, capsys):
    assert main(["metrics", "colector_health", "--list"]) == 2


def test_the_emulator_command_refuses_a_malformed_metrics_file(tmp_path, capsys):
    from metta_dash.testing.__main__ import main as emulator_main

    bad = tmp_path / "metrics.json"
    bad.write_text('{"m.live": [1, 2]}')
    with pytest.raises(SystemExit) as exited:
        emulator_main(["--metrics", str(bad)])
    assert exited.value.code == 2
    assert 'expected {"metric.name": [[seconds ago, value], ...], ...}' in capsys.readouterr().err
