"""The Dashboards API emulator, spoken to over plain HTTP (no metta-dash client in the way)."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from metta_dash import server_defaults
from metta_dash.testing import Emulator, Rejected, check_dashboard

DASHBOARD_ID = re.compile(r"^[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}$")


def call(emulator, method, path, body=None, *, keys=None, query=""):
    api_key, app_key = keys if keys is not None else (emulator.api_key, emulator.app_key)
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["DD-API-KEY"] = api_key
    if app_key:
        headers["DD-APPLICATION-KEY"] = app_key
    data = json.dumps(body).encode() if body is not None else None
    url = f"{emulator.url}{path}{'?' + query if query else ''}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def ordered(*widgets, **extra):
    return {"title": "Payments", "layout_type": "ordered", "widgets": list(widgets), **extra}


def note(**extra):
    return {"definition": {"type": "note", "content": "Runbook: see wiki", **extra}}


def group(*widgets, **extra):
    return {"definition": {"type": "group", "layout_type": "ordered", "title": "G", "widgets": list(widgets), **extra}}


def timeseries(**extra):
    return {"definition": {"type": "timeseries", "requests": [{"q": "avg:payments.count{*}"}], **extra}}


def test_create_assigns_ids_urls_timestamps_author_and_defaults(dd_emulator):
    status, _, created = call(dd_emulator, "POST", "/api/v1/dashboard", ordered(note(), group(timeseries(), note())))
    assert status == 200
    assert DASHBOARD_ID.match(created["id"])
    assert created["url"] == f"/dashboard/{created['id']}/payments"
    assert created["author_handle"] == dd_emulator.author_handle
    assert created["created_at"] == created["modified_at"]
    assert created["reflow_type"] == "auto"
    assert created["description"] is None and created["template_variable_presets"] is None
    widget_ids = [w["id"] for w in server_defaults.iter_widgets(created["widgets"])]
    assert len(widget_ids) == 4 and len(set(widget_ids)) == 4 and all(isinstance(i, int) for i in widget_ids)
    table = server_defaults.load()
    assert created["widgets"][0]["definition"] == {
        "type": "note",
        "content": "Runbook: see wiki",
        **table["widgets"]["note"],
    }
    inner = created["widgets"][1]["definition"]["widgets"][0]["definition"]
    assert inner["requests"][0]["style"] == table["request"]["style"]
    assert inner["yaxis"] == table["widgets"]["timeseries"]["yaxis"]
    assert dd_emulator.dashboards[created["id"]] == created


def test_values_sent_win_over_defaults(dd_emulator):
    sent = ordered(timeseries(yaxis={"scale": "log"}, legend_layout="vertical"), reflow_type="fixed")
    sent["widgets"][0]["layout"] = {"x": 0, "y": 0, "width": 6, "height": 3}
    _, _, created = call(dd_emulator, "POST", "/api/v1/dashboard", sent)
    definition = created["widgets"][0]["definition"]
    assert created["reflow_type"] == "fixed"
    assert definition["legend_layout"] == "vertical"
    assert definition["yaxis"]["scale"] == "log" and definition["yaxis"]["include_zero"] is True


def test_free_dashboards_get_no_reflow_type(dd_emulator):
    widget = {**note(), "layout": {"x": 0, "y": 0, "width": 30, "height": 10}}
    _, _, created = call(dd_emulator, "POST", "/api/v1/dashboard", {**ordered(widget), "layout_type": "free"})
    assert "reflow_type" not in created


def test_update_keeps_id_created_at_and_sent_widget_ids(dd_emulator):
    _, _, created = call(dd_emulator, "POST", "/api/v1/dashboard", ordered(note()))
    body = copy.deepcopy(created)
    body["title"] = "Payments v2"
    body["widgets"].append(timeseries())
    status, _, updated = call(dd_emulator, "PUT", f"/api/v1/dashboard/{created['id']}", body)
    assert status == 200
    assert updated["id"] == created["id"] and updated["created_at"] == created["created_at"]
    assert updated["modified_at"] > created["modified_at"]
    assert updated["widgets"][0]["id"] == created["widgets"][0]["id"]
    assert isinstance(updated["widgets"][1]["id"], int)
    assert updated["url"].endswith("/payments-v2")


def test_update_cannot_change_layout_type(dd_emulator):
    _, _, created = call(dd_emulator, "POST", "/api/v1/dashboard", ordered(note()))
    free = {**ordered({**note(), "layout": {"x": 0, "y": 0, "width": 4, "height": 4}}), "layout_type": "free"}
    status, _, answer = call(dd_emulator, "PUT", f"/api/v1/dashboard/{created['id']}", free)
    assert status == 400
    assert "layout_type" in answer["errors"][0]
    assert dd_emulator.dashboards[created["id"]]["layout_type"] == "ordered"


def test_list_returns_summaries_without_widgets_and_pages(dd_emulator):
    for number in range(5):
        dd_emulator.add(ordered(note(), title=f"Dashboard {number}"))
    status, _, answer = call(dd_emulator, "GET", "/api/v1/dashboard")
    assert status == 200
    assert [d["title"] for d in answer["dashboards"]] == [f"Dashboard {n}" for n in range(5)]
    assert set(answer["dashboards"][0]) == {
        "id",
        "title",
        "description",
        "layout_type",
        "url",
        "author_handle",
        "created_at",
        "modified_at",
        "is_read_only",
    }
    _, _, page = call(dd_emulator, "GET", "/api/v1/dashboard", query="start=3&count=10")
    assert [d["title"] for d in page["dashboards"]] == ["Dashboard 3", "Dashboard 4"]


def test_delete_answers_the_deleted_id_then_404(dd_emulator):
    stored = dd_emulator.add(ordered(note()))
    status, _, answer = call(dd_emulator, "DELETE", f"/api/v1/dashboard/{stored['id']}")
    assert (status, answer) == (200, {"deleted_dashboard_id": stored["id"]})
    status, _, answer = call(dd_emulator, "GET", f"/api/v1/dashboard/{stored['id']}")
    assert status == 404
    assert answer == {"errors": [f"Dashboard with ID {stored['id']} not found"]}


@pytest.mark.parametrize(
    "keys",
    [(None, None), ("emulator-api-key-5f1c", None), ("wrong", "emulator-app-key-9b7e"), ("emulator-api-key-5f1c", "x")],
)
def test_wrong_or_missing_keys_get_403(dd_emulator, keys):
    status, _, answer = call(dd_emulator, "GET", "/api/v1/dashboard", keys=keys)
    assert (status, answer) == (403, {"errors": ["Forbidden"]})


def test_emulator_without_configured_keys_accepts_any_non_empty_keys():
    with Emulator() as emulator:
        assert call(emulator, "GET", "/api/v1/dashboard", keys=("a", "b"))[0] == 200
        assert call(emulator, "GET", "/api/v1/dashboard", keys=("a", ""))[0] == 403


def test_unknown_paths_and_methods(dd_emulator):
    assert call(dd_emulator, "GET", "/api/v1/monitor")[0] == 404
    assert call(dd_emulator, "PATCH", "/api/v1/dashboard/abc-def-ghi")[0] == 404
    stored = dd_emulator.add(ordered(note()))
    assert call(dd_emulator, "PATCH", f"/api/v1/dashboard/{stored['id']}", {})[0] == 405


REJECTED = [
    (
        ordered(note(title="Runbook")),
        "position 0 of type note. Error: Additional properties are not allowed ('title' was unexpected)",
    ),
    (ordered(group(note(), title_size="16")), "('title_size' was unexpected)"),
    (ordered(timeseries(custom_unit="ms")), "('custom_unit' was unexpected)"),
    (
        ordered(note(), group(note(), timeseries(requests=[{"q": "a", "display_type": "lines"}]))),
        "position 1 of type group. Error: Invalid inner widget definition at position 1 of type timeseries. "
        "Error: 'lines' is not one of",
    ),
    (ordered({"definition": {"type": "note"}}), "'content' is a required property"),
    (ordered({"definition": {"type": "query_value", "requests": [{"q": "a"}, {"q": "b"}]}}), "is too long"),
    (ordered({"definition": {"type": "bogus"}}), "is not valid under any of the given schemas"),
    (
        ordered(group({"definition": {"type": "table", "requests": []}})),
        "Widget type 'table' is not allowed in group widgets",
    ),
    (ordered(group(group(note()))), "Widget type 'group' is not allowed in group widgets"),
    (ordered(timeseries(title=3)), "'title' is not of type 'string'"),
    (ordered(note(), reflow_type="fixed"), "MSL widget out of grid. 'x' is a required property"),
    ({**ordered(note()), "layout_type": "free"}, "'layout' is a required property"),
    (
        {**ordered({**group(note()), "layout": {"x": 0, "y": 0, "width": 4, "height": 4}}), "layout_type": "free"},
        "Group widgets are not allowed on free layout dashboards",
    ),
    (
        ordered({"definition": {"type": "distribution", "requests": [{"style": {"palette": "dog_classic"}}]}}),
        "[{'style': {'palette': 'dog_classic'}}] is not valid under any of the given schemas",
    ),
    (
        ordered(timeseries(requests=[{"queries": [{"data_source": "metrics", "name": "a", "query": "q"}]}])),
        "'response_format' is a required property",
    ),
    (
        ordered({"definition": {"type": "log_stream", "columns": [{"field": "status_line", "width": "auto"}]}}),
        "{'field': 'status_line', 'width': 'auto'} is not of type 'string' at columns[0]",
    ),
    (
        ordered(
            {
                "definition": {
                    "type": "list_stream",
                    "requests": [
                        {
                            "columns": [],
                            "response_format": "event_list",
                            "query": {"data_source": "event_stream", "query_string": "x", "event_size": ""},
                        }
                    ],
                }
            }
        ),
        "'' is not one of ['l', 's'] at requests[0].query.event_size",
    ),
    (ordered(note(), tags=["env:prod"]), "Invalid tag format. Valid tag keys are: team, ai."),
    (ordered(note(), tags=[f"team:t{n}" for n in range(6)]), "at most 5 tags"),
    (
        ordered(note(), template_variables=[{"name": "env", "default": "a", "defaults": ["a"]}]),
        "'template_variables' is invalid",
    ),
    (ordered(note(), template_variables=[{"name": "env", "defaults": [""]}]), "'template_variables' is invalid"),
    (ordered(note(), layout_type="sideways"), "'sideways' is not one of ['free', 'ordered']"),
    ({"title": "x", "layout_type": "ordered"}, "'widgets' is a required property"),
    (ordered(note(), is_read_only=True), "is_read_only is deprecated"),
    (ordered({**note(), "layout": {"x": 0, "y": 0, "width": 4}}), "'height' is a required property"),
    (
        ordered({"definition": {"type": "wildcard", "requests": [], "specification": {"mark": "bar"}}}),
        "'contents' is a required property",
    ),
]


@pytest.mark.parametrize(("body", "expected"), REJECTED)
def test_bodies_the_server_refuses_get_400_in_datadogs_format(dd_emulator, body, expected):
    status, _, answer = call(dd_emulator, "POST", "/api/v1/dashboard", body)
    assert status == 400
    assert len(answer["errors"]) == 1 and expected in answer["errors"][0]
    assert dd_emulator.dashboards == {}


def test_bodies_that_are_not_json_get_400(dd_emulator):
    request = urllib.request.Request(
        f"{dd_emulator.url}/api/v1/dashboard",
        data=b"{not json",
        method="POST",
        headers={"DD-API-KEY": dd_emulator.api_key, "DD-APPLICATION-KEY": dd_emulator.app_key},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 400


def test_accepts_what_the_spec_is_stricter_about(dd_emulator):
    formula_request = {
        "response_format": "scalar",
        "queries": [{"data_source": "metrics", "name": "a", "query": "avg:q{*}", "aggregator": "avg"}],
        "formulas": [{"formula": "a"}],
        "sort": {"count": 10, "order_by": [{"type": "formula", "order": "desc"}]},  # no index
    }
    list_request = {"columns": [], "response_format": "event_list", "query": {"data_source": "logs_stream"}}
    body = ordered(
        {"definition": {"type": "list_stream", "requests": [list_request, list_request]}},
        {"definition": {"type": "flame_graph", "requests": []}},
        timeseries(time={"type": "daily", "offset": 0}),
        {"definition": {"type": "query_value", "requests": [{"q": "a", "conditional_formats": [{}]}]}},
        {"definition": {"type": "query_table", "requests": [formula_request]}},
        tabs=[{"name": "Overview", "widget_ids": ["@1", "@2"]}],
    )
    status, _, answer = call(dd_emulator, "POST", "/api/v1/dashboard", body)
    assert status == 200, answer


def test_every_corpus_dashboard_is_accepted(corpus):
    # Shipped dashboards carry the deprecated is_read_only, which a push leaves out (normalisation strips it).
    refused = {}
    for name, dashboard in corpus.items():
        body = {key: value for key, value in dashboard.items() if key != "is_read_only"}
        try:
            check_dashboard(body)
        except Rejected as exc:
            refused[name] = exc.message
    assert refused == {}


def test_fail_next_answers_429_with_rate_limit_headers_then_recovers(dd_emulator):
    dd_emulator.fail_next(status=429, count=2, reset=7)
    for _ in range(2):
        status, headers, answer = call(dd_emulator, "GET", "/api/v1/dashboard")
        assert status == 429
        assert headers["X-RateLimit-Reset"] == "7"
        assert headers["X-RateLimit-Remaining"] == "0"
        assert {"X-RateLimit-Limit", "X-RateLimit-Period"} <= set(headers)
        assert answer["errors"]
    assert call(dd_emulator, "GET", "/api/v1/dashboard")[0] == 200
    assert [r.status for r in dd_emulator.requests] == [429, 429, 200]


def test_faults_can_target_a_method_and_path(dd_emulator):
    stored = dd_emulator.add(ordered(note()))
    dd_emulator.fail_next(status=503, count=1, method="PUT", path=r"/dashboard/")
    assert call(dd_emulator, "GET", f"/api/v1/dashboard/{stored['id']}")[0] == 200
    assert call(dd_emulator, "POST", "/api/v1/dashboard", ordered(note()))[0] == 200
    status, _, answer = call(dd_emulator, "PUT", f"/api/v1/dashboard/{stored['id']}", ordered(note()))
    assert (status, answer) == (503, {"errors": ["Service Unavailable"]})
    assert call(dd_emulator, "PUT", f"/api/v1/dashboard/{stored['id']}", ordered(note()))[0] == 200
    dd_emulator.fail_next(status=500, count=3)
    dd_emulator.clear_faults()
    assert call(dd_emulator, "GET", "/api/v1/dashboard")[0] == 200


def test_faults_come_before_auth(dd_emulator):
    dd_emulator.fail_next(status=500)
    assert call(dd_emulator, "GET", "/api/v1/dashboard", keys=("x", "y"))[0] == 500


def test_latency_is_added_to_every_answer(dd_emulator):
    dd_emulator.latency = 0.05
    started = time.monotonic()
    for _ in range(3):
        call(dd_emulator, "GET", "/api/v1/dashboard")
    assert time.monotonic() - started >= 0.15


def test_requests_are_recorded_and_writes_told_apart(dd_emulator):
    call(dd_emulator, "GET", "/api/v1/dashboard", query="count=100&start=0")
    _, _, created = call(dd_emulator, "POST", "/api/v1/dashboard", ordered(note()))
    call(dd_emulator, "DELETE", f"/api/v1/dashboard/{created['id']}")
    requests = dd_emulator.requests
    assert [(r.method, r.path, r.status) for r in requests] == [
        ("GET", "/api/v1/dashboard", 200),
        ("POST", "/api/v1/dashboard", 200),
        ("DELETE", f"/api/v1/dashboard/{created['id']}", 200),
    ]
    assert requests[0].query == "count=100&start=0"
    assert requests[1].body == ordered(note())
    assert [r.method for r in dd_emulator.writes] == ["POST", "DELETE"]
    dd_emulator.clear_requests()
    assert dd_emulator.requests == [] and dd_emulator.writes == []


def test_edit_simulates_a_ui_change(dd_emulator):
    stored = dd_emulator.add(ordered(note()))

    def retitle(dashboard):
        dashboard["title"] = "Edited in the UI"
        dashboard["widgets"].append(note())

    edited = dd_emulator.edit(stored["id"], retitle)
    assert edited["title"] == "Edited in the UI"
    assert edited["modified_at"] > stored["modified_at"]
    assert isinstance(edited["widgets"][1]["id"], int)
    _, _, fetched = call(dd_emulator, "GET", f"/api/v1/dashboard/{stored['id']}")
    assert fetched == edited
    assert dd_emulator.requests[-1].method == "GET"  # edits are not requests


def test_concurrent_creates_get_distinct_ids(dd_emulator):
    results = []

    def create(number):
        results.append(call(dd_emulator, "POST", "/api/v1/dashboard", ordered(note(), title=f"D{number}")))

    threads = [threading.Thread(target=create, args=(n,)) for n in range(48)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _, _ in results] == [200] * 48
    assert len({answer["id"] for _, _, answer in results}) == 48
    assert len({answer["modified_at"] for _, _, answer in results}) == 48
    assert len(dd_emulator.dashboards) == 48 and len(dd_emulator.requests) == 48


def test_command_line_serves_until_stopped():
    process = subprocess.Popen(
        [sys.executable, "-m", "metta_dash.testing", "--port", "0", "--fail-status", "503", "--fail-count", "1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", banner).group(0)

        class Remote:
            api_key, app_key = "any-api-key", "any-app-key"

        Remote.url = url
        assert call(Remote, "GET", "/api/v1/dashboard")[0] == 503
        status, _, answer = call(Remote, "GET", "/api/v1/dashboard")
        assert (status, answer) == (200, {"dashboards": []})
    finally:
        process.terminate()
        assert process.wait(timeout=5) == 0


def test_a_defect_in_the_emulator_answers_500_and_keeps_the_trace(monkeypatch):
    with Emulator(api_key="a", app_key="b") as emulator:
        monkeypatch.setattr(emulator, "_list", lambda query: 1 / 0)
        status, _, answer = call(emulator, "GET", "/api/v1/dashboard")
        assert (status, answer) == (500, {"errors": ["Internal Server Error"]})
        assert "ZeroDivisionError" in emulator.internal_errors[0]
        assert emulator.requests[0].status == 500


def test_the_command_line_serves_faults_with_custom_bodies():
    import json as json_module
    import subprocess
    import sys
    import urllib.request

    process = subprocess.Popen(
        [sys.executable, "-m", "metta_dash.testing", "--fail-status", "200", "--fail-body", "", "--fail-count", "1"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        url = process.stdout.readline().split("DD_API_URL=")[1].rstrip(")\n")
        keys = {"DD-API-KEY": "a", "DD-APPLICATION-KEY": "b"}
        request = urllib.request.Request(f"{url}/api/v1/dashboard", headers=keys)
        with urllib.request.urlopen(request) as answer:
            assert answer.status == 200 and answer.read() == b""
        with urllib.request.urlopen(request) as answer:
            assert json_module.loads(answer.read()) == {"dashboards": []}
    finally:
        process.terminate()
        process.wait(timeout=10)
