"""`watch`: a save rebuilds only the dashboards that import the saved file, within a second, and the preview
served on loopback follows."""

from __future__ import annotations

import json
import queue
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from metta_dash import compile as jsonnet
from metta_dash import settings as project_settings
from metta_dash.watch import Watcher, serve


def dashboard(title_expression: str, imports: str = "") -> str:
    return (imports + "{ title: " + title_expression + ", layout_type: 'ordered', "
            "widgets: [{ definition: { type: 'note', content: 'hi' }, layout: { x: 0, y: 0, width: 4, height: 2 } }] }")


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.metta-dash]\n")
    (tmp_path / "components").mkdir()
    (tmp_path / "dashboards").mkdir()
    (tmp_path / "components" / "names.libsonnet").write_text("{ title:: 'First' }")
    (tmp_path / "components" / "wrapper.libsonnet").write_text("import 'names.libsonnet'")
    (tmp_path / "dashboards" / "direct.jsonnet").write_text(
        dashboard("n.title", "local n = import 'names.libsonnet'; "))
    (tmp_path / "dashboards" / "indirect.jsonnet").write_text(
        dashboard("n.title + ' again'", "local n = import 'wrapper.libsonnet'; "))
    (tmp_path / "dashboards" / "alone.jsonnet").write_text(dashboard("'Alone'"))
    return tmp_path


@pytest.fixture
def watching(project):
    settings = project_settings.load(project)
    watcher = Watcher(settings, jsonnet.options_for(settings), (), project / "preview")
    rounds: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(rounds.put, stop), daemon=True)
    thread.start()
    first = rounds.get(timeout=30)
    assert sorted(c.name for c in first.results) == ["alone", "direct", "indirect"]
    _until_watching(project, rounds)
    yield project, rounds
    stop.set()
    thread.join(timeout=10)


def _until_watching(project: Path, rounds: queue.Queue) -> None:
    """Save a component nothing imports until a round reports it: the watcher is then surely listening."""
    probe = project / "components" / "probe.libsonnet"
    for attempt in range(100):
        probe.write_text(f"{{ attempt:: {attempt} }}")
        try:
            assert rounds.get(timeout=0.2).results == []  # imported by nothing: nothing rebuilt
            break
        except queue.Empty:
            continue
    else:
        pytest.fail("the watcher never reported a save")
    time.sleep(0.2)
    while not rounds.empty():  # a save seen as two events gives two rounds
        rounds.get()


def _save_and_wait(path: Path, text: str, rounds: queue.Queue):
    saved = time.monotonic()
    path.write_text(text)
    rebuilt = rounds.get(timeout=10)
    return rebuilt, time.monotonic() - saved


def test_saving_a_component_rebuilds_only_the_dashboards_importing_it_within_a_second(watching):
    project, rounds = watching
    rebuilt, elapsed = _save_and_wait(project / "components" / "names.libsonnet", "{ title:: 'Second' }", rounds)
    assert sorted(c.name for c in rebuilt.results) == ["direct", "indirect"]
    assert elapsed < 1.0, f"rebuilt {elapsed:.2f} s after the save"
    assert {c.name: c.dashboard["title"] for c in rebuilt.results} == {"direct": "Second", "indirect": "Second again"}
    assert "Second again" in (project / "preview" / "indirect.html").read_text(encoding="utf-8")
    time.sleep(0.3)  # a save seen as two events may give a second round: it must not touch 'alone' either
    while not rounds.empty():
        assert "alone" not in {c.name for c in rounds.get().results}


def test_saving_a_dashboard_rebuilds_that_one_and_new_files_are_picked_up(watching):
    project, rounds = watching
    rebuilt, elapsed = _save_and_wait(project / "dashboards" / "alone.jsonnet", dashboard("'Renamed'"), rounds)
    assert [c.name for c in rebuilt.results] == ["alone"] and elapsed < 1.0
    rebuilt, _ = _save_and_wait(project / "dashboards" / "fresh.jsonnet", dashboard("'Fresh'"), rounds)
    assert [c.name for c in rebuilt.results] == ["fresh"]
    assert "fresh.html" in (project / "preview" / "index.html").read_text(encoding="utf-8")


def test_removing_a_component_rebuilds_every_dashboard_and_reports_the_missing_import(watching):
    project, rounds = watching
    (project / "components" / "wrapper.libsonnet").unlink()
    rebuilt = rounds.get(timeout=10)
    assert sorted(c.name or c.source.stem for c in rebuilt.results) == ["alone", "direct", "indirect"]
    broken = [c for c in rebuilt.results if c.source.stem == "indirect"][0]
    assert "wrapper.libsonnet" in broken.findings[0].message


def test_a_broken_save_reports_the_error_and_the_next_save_recovers(watching):
    project, rounds = watching
    rebuilt, _ = _save_and_wait(project / "dashboards" / "alone.jsonnet", "{ title: ", rounds)
    assert [f.rule for c in rebuilt.results for f in c.findings] == ["C001"]
    rebuilt, _ = _save_and_wait(project / "dashboards" / "alone.jsonnet", dashboard("'Back'"), rounds)
    assert rebuilt.results[0].dashboard["title"] == "Back"


def test_the_preview_is_served_on_loopback_with_a_version_for_live_reload(project):
    settings = project_settings.load(project)
    watcher = Watcher(settings, jsonnet.options_for(settings), ("direct",), project / "preview")
    watcher.start()
    server = serve(project / "preview")
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page = urllib.request.urlopen(f"{base}/direct.html", timeout=5).read().decode()
        assert "assets/live.js" in page and 'data-title="' in page
        first = json.load(urllib.request.urlopen(f"{base}/version.json", timeout=5))["version"]
        watcher.rebuild([project / "components" / "names.libsonnet"])
        assert json.load(urllib.request.urlopen(f"{base}/version.json", timeout=5))["version"] != first
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.shutdown()



def test_the_preview_server_refuses_a_host_name_other_than_loopback(project):
    (project / "preview").mkdir(exist_ok=True)
    (project / "preview" / "index.html").write_text("<p>private</p>")
    server = serve(project / "preview")
    try:
        port = server.server_address[1]
        assert urllib.request.urlopen(f"http://localhost:{port}/index.html", timeout=5).status == 200
        rebound = urllib.request.Request(f"http://127.0.0.1:{port}/index.html",
                                         headers={"Host": f"evil.example:{port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(rebound, timeout=5)
        assert refused.value.code == 403
    finally:
        server.shutdown()

def test_a_taken_port_is_a_usage_error_naming_the_option(project):
    from metta_dash.errors import ConfigError

    first = serve(project)
    try:
        with pytest.raises(ConfigError, match="cannot serve the preview on 127.0.0.1") as raised:
            serve(project, first.server_address[1])
        assert "--port" in raised.value.hint
    finally:
        first.shutdown()


def test_the_watch_command_end_to_end(project):
    """`metta-dash watch` as a user runs it: first build, the served preview, a save, Ctrl-C."""
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", "from metta_dash.cli import entry_point; entry_point()", "watch", "--port", "0"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        # A test run started in the background inherits SIGINT ignored; Ctrl-C in a terminal is not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    watchdog = threading.Timer(60, process.kill)  # a hang fails the test instead of blocking the run
    watchdog.start()
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("serving the preview at "):
                break
        url = lines[-1].split(" at ")[1].split("/ ")[0]
        assert "3 files checked: 0 error(s)" in "".join(lines)
        assert "indirect.html" in urllib.request.urlopen(f"{url}/index.html", timeout=5).read().decode()
        probing = threading.Event()

        def probe():  # save a component nothing imports until the watcher reports it
            while not probing.wait(0.2):
                (project / "components" / "probe.libsonnet").write_text(f"{{ at:: {time.monotonic()} }}")

        threading.Thread(target=probe, daemon=True).start()
        for line in process.stdout:
            if line.startswith("changed probe.libsonnet"):
                probing.set()
                break
        time.sleep(0.3)
        (project / "components" / "names.libsonnet").write_text("{ title:: 'Renamed' }")
        for line in process.stdout:
            if line.startswith("changed ") and "names.libsonnet" in line:
                assert line.strip().endswith(": rebuilt direct, indirect")
                break
        assert "Renamed again" in urllib.request.urlopen(f"{url}/indirect.html", timeout=5).read().decode()
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
        # Ctrl-C while waiting for changes stops cleanly (0); during a rebuild it interrupts it (130).
        assert process.returncode in (0, 130), rest
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
