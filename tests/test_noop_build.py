"""A no-op build is answered from the last build's record (`noop_build.replay`), printing what the full build
printed with its exit code; anything the result depends on that changed sends the run to the full build."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import layered_project

from metta_dash import noop_build
from metta_dash.cli import main

DASHBOARD = """
local lib = import 'lib.libsonnet';
{ title: lib.title, layout_type: 'ordered',
  widgets: [{ definition: { type: 'note', content: lib.note } }] }
"""


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return layered_project(tmp_path, {"first.jsonnet": DASHBOARD})


def built(capsys, *args: str) -> tuple[int, str]:
    """A full build's exit code and what it printed."""
    code = main(["build", *args])
    return code, capsys.readouterr().out


def replayed(capsys, *args: str) -> tuple[int, str] | None:
    """What the no-op path answers: None when it declines, else the exit code and what it printed."""
    code = noop_build.replay(["build", *args])
    printed = capsys.readouterr().out
    if code is None:
        assert printed == ""
        return None
    return code, printed


def test_a_rerun_prints_what_the_build_printed_with_its_exit_code(project, capsys):
    first = built(capsys)
    assert first[0] == 0 and "1 file checked" in first[1]
    assert replayed(capsys) == first
    assert replayed(capsys) == first  # the replay writes nothing that would change the next one


def test_warnings_and_errors_are_replayed_with_exit_code_1(project, capsys):
    (project / "dashboards" / "second.jsonnet").write_text(
        "{ title: 'Two', layout_type: 'ordered', widgets: [{ definition: { type: 'notes' } }] }"
    )
    first = built(capsys)
    assert first[0] == 1 and "error" in first[1]
    assert replayed(capsys) == first


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_every_format_is_replayed_as_printed(project, capsys, fmt):
    first = built(capsys, "--format", fmt)
    assert replayed(capsys, "--format", fmt) == first
    assert replayed(capsys) is None  # another command line is another build


def test_a_terminal_gets_the_coloured_report_unless_no_color(project, capsys, monkeypatch):
    (project / "dashboards" / "second.jsonnet").write_text(
        "{ title: 'Two', layout_type: 'ordered', widgets: [{ definition: { type: 'notes' } }] }"
    )
    built(capsys)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code = main(["build"])
    coloured = capsys.readouterr().out
    assert "\033[" in coloured
    assert replayed(capsys) == (code, coloured)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in replayed(capsys)[1]


def test_each_command_line_keeps_its_own_record(project, capsys):
    plain, annotated = built(capsys), built(capsys, "--format", "github")
    assert replayed(capsys) == plain  # the other command line did not replace it
    assert replayed(capsys, "--format", "github") == annotated
    for index in range(noop_build.KEEP + 2):
        built(capsys, "--ext-str", f"unused={index}")
    assert len(list((project / noop_build.RECORDS).glob("*.json"))) == noop_build.KEEP
    assert replayed(capsys, "--ext-str", f"unused={noop_build.KEEP + 1}") is not None


def test_another_command_line_or_folder_is_not_replayed(project, capsys, monkeypatch):
    built(capsys, "--ext-str", "env=prod")
    assert replayed(capsys, "--ext-str", "env=staging") is None
    assert replayed(capsys, "--ext-str", "env=prod") is not None
    monkeypatch.chdir(project / "dashboards")
    assert replayed(capsys, "--ext-str", "env=prod") is None


def test_a_deep_import_edit_is_seen_even_with_size_and_mtime_kept(project, capsys):
    built(capsys)
    deep = project / "components" / "deep.libsonnet"
    before = deep.stat()
    deep.write_text("{ title: 'Six' }")  # same size
    os.utime(deep, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert deep.stat().st_size == before.st_size and deep.stat().st_mtime_ns == before.st_mtime_ns
    assert replayed(capsys) is None
    built(capsys)
    assert json.loads((project / "build" / "dashboards" / "first.json").read_text())["title"] == "Six"
    assert replayed(capsys) is not None


def test_an_edit_undone_is_a_no_op_again(project, capsys):
    first = built(capsys)
    deep = project / "components" / "deep.libsonnet"
    deep.write_text("{ title: 'Two' }")
    assert replayed(capsys) is None
    deep.write_text("{ title: 'One' }")
    assert replayed(capsys) == first  # content, not mtime, decides


@pytest.mark.parametrize("change", [
    "source", "new source", "removed source", "settings", "engine setting", "parent settings", "registry",
    "shadowing import", "deleted output", "edited output", "installed package", "metta-dash version",
])
def test_a_change_to_anything_the_build_depends_on_is_not_replayed(project, capsys, monkeypatch, change):
    built(capsys)
    dashboards, output = project / "dashboards", project / "build" / "dashboards" / "first.json"
    if change == "source":
        (dashboards / "first.jsonnet").write_text(DASHBOARD.replace("lib.title", "'Other'"))
    elif change == "new source":
        (dashboards / "second.jsonnet").write_text(DASHBOARD)
    elif change == "removed source":
        (dashboards / "first.jsonnet").unlink()
    elif change == "settings":
        (project / "pyproject.toml").write_text('[tool.metta-dash]\n[tool.metta-dash.severity]\nC004 = "off"\n')
    elif change == "engine setting":
        (project / "pyproject.toml").write_text('[tool.metta-dash]\nengine = "jsonnet"\n')
    elif change == "parent settings":  # a project found nearer the working folder
        monkeypatch.chdir(dashboards)
        built(capsys)
        (dashboards / "pyproject.toml").write_text("[tool.metta-dash]\ndashboards = '.'\n")
    elif change == "registry":
        (dashboards / "registry.json").write_text(
            json.dumps({"version": 1, "dashboards": {"first": {"id": "abc-def-ghi"}}})
        )
    elif change == "shadowing import":  # the dashboard's own folder comes before the components folder
        (dashboards / "lib.libsonnet").write_text("{ title: 'Shadow', note: 'x' }")
    elif change == "deleted output":
        output.unlink()
    elif change == "edited output":
        output.write_text(output.read_text().replace('"title"', '"title" '))
    elif change == "installed package":
        site = project.parent / f"{project.name}-site"
        site.mkdir()
        monkeypatch.syspath_prepend(str(site))
        built(capsys)
        (site / "newer_engine.py").write_text("")
    elif change == "metta-dash version":
        monkeypatch.setattr("metta_dash.__version__", "99.0.0")
    assert replayed(capsys) is None


def test_a_retargeted_components_link_is_not_replayed(project, capsys):
    (project / "pyproject.toml").write_text('[tool.metta-dash]\ncomponents = "linked"\n')
    other = project / "other"
    other.mkdir()
    for name in ("lib.libsonnet", "deep.libsonnet"):
        (other / name).write_text((project / "components" / name).read_text().replace("One", "Two"))
    (project / "linked").symlink_to(project / "components")
    built(capsys)
    assert replayed(capsys) is not None
    (project / "linked").unlink()
    (project / "linked").symlink_to(other)
    assert replayed(capsys) is None


def test_a_retargeted_source_link_is_not_replayed(project, capsys):
    (project / "elsewhere").mkdir()
    for name, title in (("one.jsonnet", "lib.title"), ("two.jsonnet", "'Two'")):
        (project / "elsewhere" / name).write_text(DASHBOARD.replace("lib.title", title))
    (project / "dashboards" / "first.jsonnet").unlink()
    (project / "dashboards" / "first.jsonnet").symlink_to(project / "elsewhere" / "one.jsonnet")
    built(capsys)
    assert replayed(capsys) is not None
    (project / "dashboards" / "first.jsonnet").unlink()
    (project / "dashboards" / "first.jsonnet").symlink_to(project / "elsewhere" / "two.jsonnet")
    assert replayed(capsys) is None


def test_the_engine_build_in_use_is_recorded_and_checked(project, capsys, tmp_path_factory):
    from metta_dash import engines

    built(capsys, "--engine", "rjsonnet")
    record_path = Path(noop_build.record_path(str(project), ["build", "--engine", "rjsonnet"], os.getcwd()))
    record = json.loads(record_path.read_text())
    module = engines.get("rjsonnet").module.__file__
    assert record["stats"] == {module: noop_build.file_stat(module)}
    stand_in = tmp_path_factory.mktemp("engine") / "engine.so"  # an engine file this test may replace
    stand_in.write_bytes(b"one build")
    record["stats"] = {str(stand_in): noop_build.file_stat(str(stand_in))}
    record_path.write_text(json.dumps(record))
    assert replayed(capsys, "--engine", "rjsonnet") is not None
    stand_in.write_bytes(b"another build")
    assert replayed(capsys, "--engine", "rjsonnet") is None


def test_an_edited_metta_dash_file_changes_the_fingerprint(tmp_path, monkeypatch):
    package = tmp_path / "metta_dash"
    package.mkdir()
    (package / "noop_build.py").write_text("")
    (package / "rule.py").write_text("a = 1\n")
    monkeypatch.setattr(noop_build, "__file__", str(package / "noop_build.py"))
    before = noop_build.code_fingerprint()
    (package / "rule.py").write_text("a = 22\n")
    assert noop_build.code_fingerprint() != before


def test_what_cannot_be_replayed_leaves_no_record(project, capsys):
    record = Path(noop_build.record_path(str(project), ["build"], os.getcwd()))
    built(capsys)
    assert record.is_file()
    (project / "dashboards" / "broken.jsonnet").write_text("{ title: error 'broken' }")
    assert built(capsys)[0] == 1
    assert not record.exists()  # a failed compile's inputs are not known
    (project / "dashboards" / "broken.jsonnet").unlink()
    first = built(capsys)
    for args in (["--no-cache"], ["dashboards/first.jsonnet"]):
        built(capsys, *args)
        assert not Path(noop_build.record_path(str(project), ["build", *args], os.getcwd())).exists()
    assert replayed(capsys) == first  # what they wrote is what the whole-project build wrote


def test_an_output_a_rerun_would_refuse_to_overwrite_is_not_replayed(project, capsys):
    (project / "pyproject.toml").write_text('[tool.metta-dash]\noutput = "out"\n')
    assert built(capsys)[0] == 0
    assert replayed(capsys) is None
    assert main(["build"]) == 2  # an output outside build/ exists: the full build refuses, as it did before
    assert "refusing to overwrite" in capsys.readouterr().err
    assert built(capsys, "--force")[0] == 0
    assert replayed(capsys, "--force") is not None


def test_a_damaged_record_is_only_a_miss(project, capsys):
    built(capsys)
    record = Path(noop_build.record_path(str(project), ["build"], os.getcwd()))
    for damage in ("{ not json", "[]", json.dumps({"format": 1, "argv": ["build"]}), ""):
        record.write_text(damage)
        assert replayed(capsys) is None


def test_a_build_whose_compile_printed_traces_is_neither_cached_nor_replayed(project, capfd):
    """std.trace writes to stderr while compiling: a result taken from the cache or a replay would not print
    it, so such a source compiles every time (the trace is a debugging aid the author wants to see)."""
    (project / "dashboards" / "traced.jsonnet").write_text(
        "std.trace('seen %d' % 1, { title: 'T', layout_type: 'ordered', "
        "widgets: [{ definition: { type: 'note', content: 'x' } }] })"
    )
    first = main(["build"])
    printed = capfd.readouterr()
    assert "seen 1" in printed.err
    assert noop_build.replay(["build"]) is None
    assert capfd.readouterr().out == ""
    assert (main(["build"]), capfd.readouterr()) == (first, printed)  # the same trace, not a cached silence
    (project / "dashboards" / "first.jsonnet").write_text(DASHBOARD + "\n")  # another source changed
    assert main(["build"]) == first
    assert "seen 1" in capfd.readouterr().err


def test_an_ascii_stdout_gets_the_bytes_the_build_would_print(project, capsys, monkeypatch):
    """click prints UTF-8 to a stdout set to ASCII (PYTHONIOENCODING=ascii:replace) rather than lose text:
    a replay must not print '?' where the build prints the name."""
    (project / "dashboards" / "second.jsonnet").write_text(
        "{ title: 'Two', layout_type: 'ordered', widgets: [{ definition: { type: 'timeseries', "
        "title: 'Débit', requests: [{ q: 'avg:cpu{$zé}' }] } }] }"
    )
    built(capsys)

    def printed(run) -> tuple[int | None, bytes]:
        stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="replace", write_through=True)
        monkeypatch.setattr(sys, "stdout", stream)
        code = run()
        return code, stream.buffer.getvalue()

    full = printed(lambda: main(["build", "--no-cache"]))
    assert "Débit".encode() in full[1]
    replay = printed(lambda: noop_build.replay(["build"]))
    assert replay in (full, (None, b""))


def test_a_record_with_a_broken_exit_code_prints_nothing(project, capsys):
    """A damaged record must not print its report and then send the run to the build, which prints it again."""
    built(capsys)
    record = Path(noop_build.record_path(str(project), ["build"], os.getcwd()))
    for code in ("one", None, [0]):
        record.write_text(json.dumps({**json.loads(record.read_text()), "exit_code": code}))
        assert replayed(capsys) is None


@pytest.mark.parametrize("special", ["fifo", "device"])
def test_a_record_naming_a_pipe_or_device_is_a_miss_without_reading_it(project, capsys, special):
    """A damaged or planted record naming a FIFO (reading blocks for ever) or /dev/zero (never ends) must not
    hang the build: only regular files are read."""
    built(capsys)
    if special == "fifo":
        target = str(project / "pipe")
        os.mkfifo(target)
    else:
        target = "/dev/zero"
        if not os.path.exists(target):
            pytest.skip("no /dev/zero here")
    record = Path(noop_build.record_path(str(project), ["build"], os.getcwd()))
    content = json.loads(record.read_text())
    content["files"] = {target: "0" * 64, **content["files"]}
    record.write_text(json.dumps(content))
    assert noop_build.file_state(target) == noop_build.UNREADABLE
    assert noop_build.file_state(str(project)) == noop_build.FOLDER
    assert replayed(capsys) is None


class Hung(BaseException):
    """Raised by the alarm below: past the replay's `except Exception`, so a hang fails the test."""


@pytest.fixture
def hang_alarm():
    """Fails whatever blocks for more than 2 seconds (a read of a FIFO nobody writes)."""
    def fail(*_):
        raise Hung

    previous = signal.signal(signal.SIGALRM, fail)
    signal.setitimer(signal.ITIMER_REAL, 2)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def test_a_record_or_cache_entry_that_is_a_fifo_is_a_miss(project, capsys, hang_alarm):
    """A record or cache entry replaced by a FIFO (or a link to /dev/zero: a cache folder can arrive with a
    clone) must not block the build: it is not a regular file, so it is no record."""
    first = built(capsys)

    def planted(path):
        os.unlink(path)
        os.mkfifo(path)

    planted(noop_build.record_path(str(project), ["build"], os.getcwd()))
    assert replayed(capsys) is None
    entries = list((project / ".cache" / "metta-dash").glob("*.json"))
    assert entries
    for entry in entries:
        planted(entry)
    assert built(capsys) == first


def test_ctrl_c_during_a_replay_is_reported_as_interrupted(project, capsys, monkeypatch):
    built(capsys)

    def interrupted(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(noop_build, "_unchanged", interrupted)
    assert noop_build.replay(["build"]) == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_the_executable_replays_byte_for_byte_and_keeps_outputs(project):
    executable = Path(sys.executable).parent / "metta-dash"
    if not executable.is_file():
        pytest.skip("metta-dash is not installed beside this interpreter")
    (project / "dashboards" / "second.jsonnet").write_text(
        "{ title: 'Two', layout_type: 'ordered', widgets: [{ definition: { type: 'notes' } }] }"
    )

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(executable), *args], cwd=project, capture_output=True, text=True)

    full = run("build")
    outputs = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (project / "build" / "dashboards").iterdir()}
    again = run("build")
    assert (again.returncode, again.stdout, again.stderr) == (full.returncode, full.stdout, full.stderr)
    assert full.returncode == 1
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (project / "build" / "dashboards").iterdir()} \
        == outputs
    no_cache = run("build", "--no-cache")
    assert (no_cache.returncode, no_cache.stdout) == (full.returncode, full.stdout)
