"""The Datadog client against the local emulator, over real HTTP."""

from __future__ import annotations

import logging
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

import pytest

from metta_dash.datadog import (
    AuthError,
    Client,
    DashboardNotFound,
    DatadogError,
    resolve_api_url,
    widget_for_error,
)

API_KEY = "api-key-7d3f9a1c0b"
APP_KEY = "app-key-e5b28c46d1"


def dashboard(title: str = "Checkout latency", **extra) -> dict:
    return {
        "title": title,
        "layout_type": "ordered",
        "widgets": [
            {"definition": {"type": "note", "content": "Owned by the checkout team"}},
            {
                "definition": {
                    "type": "group",
                    "title": "Latency",
                    "layout_type": "ordered",
                    "widgets": [
                        {
                            "definition": {
                                "type": "timeseries",
                                "title": "p99",
                                "requests": [{"q": "p99:checkout.latency{*}", "display_type": "line"}],
                            }
                        }
                    ],
                }
            },
        ],
        **extra,
    }


@pytest.fixture
def emulator(dd_emulator):
    dd_emulator.api_key, dd_emulator.app_key = API_KEY, APP_KEY
    return dd_emulator


@pytest.fixture
def client(emulator):
    with Client(api_url=emulator.url, api_key=API_KEY, app_key=APP_KEY, retries=3, backoff=0.01) as dd_client:
        yield dd_client


def assert_no_keys(exc: BaseException) -> None:
    for text in (str(exc), repr(exc), "".join(traceback.format_exception(exc)), getattr(exc, "hint", "")):
        assert API_KEY not in text and APP_KEY not in text


def test_round_trip_create_get_update_list_delete(client, emulator):
    created = client.create(dashboard())
    dashboard_id = created["id"]
    assert created["url"].startswith(f"/dashboard/{dashboard_id}/")
    assert created["modified_at"] and created["created_at"]

    fetched = client.get(dashboard_id)
    assert fetched == created
    inner = fetched["widgets"][1]["definition"]["widgets"][0]
    assert isinstance(inner["id"], int)
    assert inner["definition"]["requests"][0]["style"]["palette"] == "dog_classic"

    updated = client.update(dashboard_id, dashboard(title="Checkout latency (p99)"))
    assert updated["id"] == dashboard_id
    assert updated["title"] == "Checkout latency (p99)"
    assert updated["modified_at"] > created["modified_at"]
    assert updated["created_at"] == created["created_at"]

    summaries = client.list()
    assert [(s["id"], s["title"]) for s in summaries] == [(dashboard_id, "Checkout latency (p99)")]
    assert "widgets" not in summaries[0]

    client.delete(dashboard_id)
    assert client.get(dashboard_id) is None
    assert [(r.method, r.status) for r in emulator.requests] == [
        ("POST", 200),
        ("GET", 200),
        ("PUT", 200),
        ("GET", 200),
        ("DELETE", 200),
        ("GET", 404),
    ]
    assert client.requests_made == 6


def test_one_client_serves_many_threads(client, emulator, caplog):
    emulator.latency = 0.02
    with caplog.at_level(logging.WARNING), ThreadPoolExecutor(max_workers=12) as pool:
        created = list(pool.map(lambda n: client.create(dashboard(title=f"D{n}")), range(24)))
    assert len({d["id"] for d in created}) == 24
    assert client.requests_made == 24 == len(emulator.requests)
    assert not [r for r in caplog.records if r.name.startswith("urllib3")]


def test_fields_unknown_to_the_client_models_survive_both_ways(client):
    sent = dashboard()
    sent["widgets"][0]["definition"]["vertical_align"] = "top"
    sent["widgets"][1]["definition"]["widgets"][0]["definition"]["a_field_from_next_year"] = {"x": 1}
    created = client.create(sent)
    fetched = client.get(created["id"])
    inner = fetched["widgets"][1]["definition"]["widgets"][0]["definition"]
    assert inner["a_field_from_next_year"] == {"x": 1}
    assert fetched["widgets"][0]["definition"]["vertical_align"] == "top"


def test_list_reads_every_page(client, emulator):
    for number in range(230):
        emulator.add({"title": f"Dashboard {number}", "layout_type": "ordered", "widgets": []})
    summaries = client.list()
    assert len(summaries) == 230
    assert len({s["id"] for s in summaries}) == 230
    assert [r.query for r in emulator.requests] == [
        "count=100&start=0",
        "count=100&start=100",
        "count=100&start=200",
    ]


def test_get_answers_none_only_for_404(client, emulator):
    assert client.get("abc-def-ghi") is None
    assert [(r.method, r.status) for r in emulator.requests] == [("GET", 404)]


def test_list_at_a_wrong_url_raises_instead_of_answering_empty(emulator):
    with Client(api_url=f"{emulator.url}/proxy", api_key=API_KEY, app_key=APP_KEY) as misplaced:
        with pytest.raises(DatadogError) as caught:
            misplaced.list()
    assert caught.value.status == 404
    assert "DD_API_URL" in caught.value.hint


def test_update_and_delete_of_unknown_id_raise(client):
    with pytest.raises(DashboardNotFound) as update_error:
        client.update("abc-def-ghi", dashboard())
    assert update_error.value.status == 404
    with pytest.raises(DashboardNotFound):
        client.delete("abc-def-ghi")


def test_get_refused_with_403_raises_and_is_not_none(emulator):
    emulator.app_key = "another-app-key"
    with Client(api_url=emulator.url, api_key=API_KEY, app_key=APP_KEY, backoff=0.01) as refused:
        with pytest.raises(AuthError) as caught:
            refused.get("abc-def-ghi")
    assert caught.value.status == 403
    assert caught.value.errors == ["Forbidden"]
    assert "DD_APP_KEY" in caught.value.hint and "DD_API_KEY" in caught.value.hint
    assert_no_keys(caught.value)
    assert len(emulator.requests) == 1  # 403 is not retried


def test_keys_stay_out_of_debug_logs(emulator, caplog):
    emulator.app_key = "another-app-key"
    with Client(api_url=emulator.url, api_key=API_KEY, app_key=APP_KEY, backoff=0.01) as refused:
        # The client's Configuration quiets these loggers; turn them fully on after it is built.
        with caplog.at_level(logging.DEBUG, "urllib3"), caplog.at_level(logging.DEBUG, "datadog_api_client"):
            with pytest.raises(AuthError):
                refused.create(dashboard())
    assert caplog.records  # the HTTP layer did log at debug level
    assert API_KEY not in caplog.text and APP_KEY not in caplog.text


def test_429_twice_then_success_is_retried(client, emulator):
    created = client.create(dashboard())
    before = client.requests_made
    emulator.fail_next(status=429, count=2, reset=0)
    assert client.get(created["id"])["id"] == created["id"]
    assert client.requests_made - before == 3
    assert [r.status for r in emulator.requests[-3:]] == [429, 429, 200]


def test_429_waits_for_x_ratelimit_reset(client, emulator):
    emulator.fail_next(status=429, count=1, reset=1)
    started = time.monotonic()
    assert client.list() == []
    assert time.monotonic() - started >= 0.9


def test_429_on_create_is_retried_without_duplicates(client, emulator):
    emulator.fail_next(status=429, count=1, method="POST", reset=0)
    client.create(dashboard())
    assert [r.status for r in emulator.requests] == [429, 200]
    assert len(emulator.dashboards) == 1


def test_500_then_success_is_retried(client, emulator):
    emulator.fail_next(status=500, count=1)
    assert client.list() == []
    assert [r.status for r in emulator.requests] == [500, 200]
    assert client.requests_made == 2


def test_5xx_on_create_is_not_replayed(client, emulator):
    # The server may have created the dashboard before failing: sending it again would duplicate it.
    emulator.fail_next(status=502, count=1, method="POST")
    with pytest.raises(DatadogError) as caught:
        client.create(dashboard())
    assert caught.value.status == 502
    assert [(r.method, r.status) for r in emulator.requests] == [("POST", 502)]


def test_persistent_503_raises_after_retries(emulator):
    emulator.fail_next(status=503, count=10)
    with Client(api_url=emulator.url, api_key=API_KEY, app_key=APP_KEY, retries=2, backoff=0.01) as dd_client:
        with pytest.raises(DatadogError) as caught:
            dd_client.get("abc-def-ghi")
        assert dd_client.requests_made == 3
    assert caught.value.status == 503
    assert caught.value.errors == ["Service Unavailable"]
    assert len(emulator.requests) == 3
    assert_no_keys(caught.value)


def test_persistent_429_raises_rate_limited(emulator):
    emulator.fail_next(status=429, count=10, reset=0)
    with Client(api_url=emulator.url, api_key=API_KEY, app_key=APP_KEY, retries=1, backoff=0.01) as dd_client:
        with pytest.raises(DatadogError) as caught:
            dd_client.get("abc-def-ghi")
    assert caught.value.status == 429
    assert "rate limited" in caught.value.message


def test_400_errors_are_parsed_and_mapped_to_the_widget(client):
    bad = dashboard()
    bad["widgets"][1]["definition"]["widgets"].append({"definition": {"type": "note", "content": "x", "title": "t"}})
    with pytest.raises(DatadogError) as caught:
        client.create(bad)
    error = caught.value
    assert error.status == 400
    assert error.errors == [
        "Invalid widget definition at position 1 of type group. Error: Invalid inner widget definition at "
        "position 1 of type note. Error: Additional properties are not allowed ('title' was unexpected)"
    ]
    assert error.errors[0] in error.message
    assert widget_for_error(bad, error.errors[0]) == (("widgets", 1, "definition", "widgets", 1), "t", "note")
    assert_no_keys(error)


def test_unreachable_server_raises_with_no_status():
    with Client(api_url="http://127.0.0.1:9", api_key=API_KEY, app_key=APP_KEY, retries=0) as dd_client:
        with pytest.raises(DatadogError) as caught:
            dd_client.get("abc-def-ghi")
    assert caught.value.status is None
    assert "127.0.0.1:9" in caught.value.message
    assert_no_keys(caught.value)


def test_slow_answers_hit_the_timeout(emulator):
    emulator.latency = 0.5
    with Client(api_url=emulator.url, api_key=API_KEY, app_key=APP_KEY, timeout=0.1, retries=0) as dd_client:
        with pytest.raises(DatadogError) as caught:
            dd_client.list()
    assert caught.value.status is None


def test_missing_app_key_names_the_variable(monkeypatch):
    monkeypatch.setenv("DD_API_KEY", API_KEY)
    monkeypatch.delenv("DD_APP_KEY", raising=False)
    with pytest.raises(AuthError) as caught:
        Client(api_url="http://127.0.0.1:9")
    assert "DD_APP_KEY" in caught.value.message
    assert_no_keys(caught.value)


def test_missing_api_key_names_the_variable(monkeypatch):
    monkeypatch.delenv("DD_API_KEY", raising=False)
    monkeypatch.setenv("DD_APP_KEY", APP_KEY)
    with pytest.raises(AuthError) as caught:
        Client(api_url="http://127.0.0.1:9")
    assert "DD_API_KEY" in caught.value.message


def test_keys_and_url_come_from_the_environment(dd_emulator):
    with Client() as dd_client:
        assert dd_client.api_url == dd_emulator.url
        assert dd_client.list() == []
    assert repr(dd_client) == f"Client(api_url={dd_emulator.url!r})"


@pytest.mark.parametrize(
    ("env", "api_url", "site", "expected"),
    [
        ({}, None, None, "https://api.datadoghq.com"),
        ({"DD_SITE": "datadoghq.eu"}, None, None, "https://api.datadoghq.eu"),
        ({"DD_SITE": "datadoghq.eu"}, None, "us5.datadoghq.com", "https://api.us5.datadoghq.com"),
        ({"DD_SITE": "datadoghq.eu", "DD_API_URL": "http://localhost:8125/"}, None, "x", "http://localhost:8125"),
        ({"DD_API_URL": "http://localhost:8125"}, "http://127.0.0.1:1", None, "http://127.0.0.1:1"),
    ],
)
def test_api_url_resolution(monkeypatch, env, api_url, site, expected):
    for name in ("DD_SITE", "DD_API_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert resolve_api_url(api_url, site) == expected


GROUPED = {
    "widgets": [
        {"definition": {"type": "note", "content": "x"}},
        {
            "definition": {
                "type": "group",
                "title": "Errors",
                "widgets": [
                    {"definition": {"type": "note", "content": "y"}},
                    {"definition": {"type": "log_stream", "title": "Recent errors"}},
                ],
            }
        },
        {"definition": {"type": "timeseries", "title": "Requests"}},
    ]
}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Invalid widget definition at position 2 of type timeseries. Error: 'lines' is not one of ['line']",
            (("widgets", 2), "Requests", "timeseries"),
        ),
        (
            "Invalid widget definition at position 1 of type group. Error: Invalid inner widget definition at "
            "position 1 of type log_stream. Error: {'field': 'status_line'} is not of type 'string'.",
            (("widgets", 1, "definition", "widgets", 1), "Recent errors", "log_stream"),
        ),
        (
            "Invalid inner widget definition at position 1 of type log_stream. Error: bad",
            (("widgets", 1, "definition", "widgets", 1), "Recent errors", "log_stream"),
        ),
        ("Invalid widget definition at position 7 of type note. Error: bad", (("widgets", 7), None, "note")),
        ("Invalid tag format. Valid tag keys are: team, ai.", None),
        ("Invalid inner widget definition at position 5 of type note. Error: bad", None),
    ],
)
def test_widget_for_error(message, expected):
    assert widget_for_error(GROUPED, message) == expected
