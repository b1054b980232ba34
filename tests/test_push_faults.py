"""A wrong setting, a key pasted with a newline, a proxy answering garbage, a one-hour rate limit: each
ends in a clear message naming the variable or the endpoint, with nothing written and no secret shown.
Real client, real HTTP, the emulator steered into each fault.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_push_concurrency import finish, start_cli
from test_sync import make_dashboard, new_project, write_source
from test_sync import registry_ids as ids

from metta_dash import sync
from metta_dash.cli import main


@pytest.fixture
def project(tmp_path, monkeypatch, dd_emulator) -> Path:
    new_project(tmp_path, {"pr_health": make_dashboard("PR Health"), "deploys": make_dashboard("Deploys")})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def new_writes(emulator) -> list:
    return [(r.method, r.path) for r in emulator.writes]


# -- secrets -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "suffix"),
    [("DD_APP_KEY", "\n"), ("DD_API_KEY", " "), ("DD_APP_KEY", "\x07"), ("DD_API_KEY", "\u20ac"),
     ("DD_APP_KEY", "\u201d")],
)
def test_a_key_with_whitespace_or_controls_is_refused_by_name_never_shown(
    project, dd_emulator, monkeypatch, capsys, variable, suffix
):
    key = dd_emulator.app_key if variable == "DD_APP_KEY" else dd_emulator.api_key
    monkeypatch.setenv(variable, key + suffix)
    code = main(["push"])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"error: {variable} contains" in err
    assert key not in out + err
    assert dd_emulator.requests == []


def test_exception_texts_are_redacted_wherever_they_come_from(project, dd_emulator, monkeypatch, capsys):
    def leak(*args, **kwargs):
        raise RuntimeError(f"header DD-APPLICATION-KEY: {dd_emulator.app_key} rejected")

    monkeypatch.setattr(sync, "push", leak)
    assert main(["push"]) == 3
    err = capsys.readouterr().err
    assert "unexpected error: RuntimeError: header DD-APPLICATION-KEY: [redacted] rejected" in err
    assert dd_emulator.app_key not in err
    assert main(["--verbose", "push"]) == 3
    assert dd_emulator.app_key not in capsys.readouterr().err


def test_a_server_error_echoing_a_key_is_redacted(project, dd_emulator, capsys):
    dd_emulator.fail_next(400, count=5, method="POST", body={"errors": [f"bad key {dd_emulator.api_key}"]})
    assert main(["push"]) == 1
    out = capsys.readouterr().out
    assert "bad key [redacted]" in out and dd_emulator.api_key not in out


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("api.datadoghq.eu", "is not an http(s) URL"),
        ("http://api.datadoghq.eu", "uses plain http"),
        ("http://10.1.2.3:8125", "uses plain http"),
        ("ftp://api.datadoghq.eu", "is not an http(s) URL"),
    ],
)
def test_the_api_url_must_be_https_unless_loopback(project, dd_emulator, capsys, url, message):
    assert main(["push", "--api-url", url]) == 2
    assert message in capsys.readouterr().err
    assert dd_emulator.requests == []


# -- answers that are not Datadog's ------------------------------------------------------------------


def test_an_empty_200_on_get_fails_that_dashboard_and_writes_nothing(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    registered = ids(project)
    write_source(project, "deploys", make_dashboard("Deploys", widgets=5))
    dd_emulator.clear_requests()
    dd_emulator.fail_next(200, method="GET", path=registered["deploys"], body="")
    capsys.readouterr()
    assert main(["push"]) == 1
    out = capsys.readouterr().out
    assert f"could not get dashboard {registered['deploys']}: the answer from" in out and "it is empty" in out
    assert new_writes(dd_emulator) == [] and ids(project) == registered


@pytest.mark.parametrize("body", ["<html>proxy login</html>", '{"dashboards": "none"}', "[]", '{"dashboards": [{}]}'])
def test_a_wrong_shaped_list_answer_is_an_error_naming_the_endpoint(project, dd_emulator, capsys, body):
    dd_emulator.fail_next(200, method="GET", path=r"/dashboard$", body=body)
    assert main(["push"]) == 1
    out = capsys.readouterr().out
    assert "could not list dashboards: the answer from" in out
    assert new_writes(dd_emulator) == [] and ids(project) == {}


def test_an_id_null_answer_to_a_create_is_never_recorded_and_the_next_push_adopts(project, dd_emulator, capsys):
    dd_emulator.fail_next(None, method="POST", body={"id": None, "title": "PR Health", "widgets": []})
    assert main(["push", "pr_health"]) == 1
    assert "its 'id' is None, not a dashboard ID" in capsys.readouterr().out
    assert ids(project) == {}
    assert main(["push", "pr_health"]) == 0  # served all the same: found by its title, not created twice
    assert [d["title"] for d in dd_emulator.dashboards.values()] == ["PR Health"]
    assert ids(project)["pr_health"] in dd_emulator.dashboards


def test_export_of_an_empty_answer_writes_no_file(project, dd_emulator, capsys):
    stored = dd_emulator.add(make_dashboard("Made in the UI"))
    dd_emulator.fail_next(200, method="GET", body="")
    target = project / "build" / "ui.json"
    assert main(["export", stored["id"], "-o", str(target)]) == 1
    assert "it is empty" in capsys.readouterr().err
    assert not target.exists()


def test_a_404_on_the_get_of_an_adoption_candidate_creates_no_duplicate(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    candidate = ids(project)["deploys"]
    (project / "dashboards" / "registry.json").unlink()
    dd_emulator.clear_requests()
    dd_emulator.fail_next(404, method="GET", path=candidate)
    capsys.readouterr()
    assert main(["push"]) == 1
    assert f"dashboard {candidate}, titled 'Deploys', was listed but its GET answered 404" in capsys.readouterr().out
    assert [m for m, _ in new_writes(dd_emulator)] == []
    assert sorted(d["title"] for d in dd_emulator.dashboards.values()) == ["Deploys", "PR Health"]


# -- bounded waits -----------------------------------------------------------------------------------


def test_a_one_hour_rate_limit_reset_stops_at_once_saying_why(project, dd_emulator):
    dd_emulator.fail_next(429, count=10, method="GET", reset=3600)
    started = time.monotonic()
    code, out, err = finish(start_cli(project, "push"))
    assert time.monotonic() - started < 30
    assert code == 1
    assert "asks to wait 3600 s (X-RateLimit-Reset)" in out and "more than the 60 s" in out
    assert new_writes(dd_emulator) == []


def test_a_shorter_rate_limit_wait_is_announced(project, dd_emulator, capsys):
    dd_emulator.fail_next(429, method="GET", reset=2)
    assert main(["push"]) == 0
    assert "rate limited by Datadog (HTTP 429): waiting 2 s" in capsys.readouterr().err


def test_the_rate_limit_cap_is_a_setting(project, dd_emulator, capsys):
    (project / "pyproject.toml").write_text("[tool.metta-dash]\nmax_rate_limit_wait = 1\n")
    dd_emulator.fail_next(429, method="GET", reset=2)
    assert main(["push"]) == 1
    assert "more than the 1 s this tool waits at once" in capsys.readouterr().out


@pytest.mark.parametrize("where", ["option", "setting"])
def test_timeout_bounds_a_slow_answer(project, dd_emulator, where):
    args = ["push", "--timeout", "0.5"] if where == "option" else ["push"]
    if where == "setting":
        (project / "pyproject.toml").write_text("[tool.metta-dash]\ntimeout = 0.5\n")
    dd_emulator.fail_next(None, method="GET", delay=3)
    started = time.monotonic()
    assert main(args) == 0  # the slow request times out after 0.5 s and is retried at once
    assert time.monotonic() - started < 2.5
