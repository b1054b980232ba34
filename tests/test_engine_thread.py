"""rjsonnet evaluates on one long-lived daemon thread: callers on any thread get their own results and errors."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from metta_dash import compile as jsonnet
from metta_dash import engine_thread, engines


def evaluate(text: str, seen: list[str] | None = None) -> str:
    def import_callback(folder: str, path: str) -> tuple[str, bytes]:
        if seen is not None:
            seen.append(threading.current_thread().name)
        return os.path.join(folder, path), b"{ value: 41 }"

    return engines.get("rjsonnet").evaluate(
        "/project/dash.jsonnet", text, import_callback=import_callback, native_callbacks={},
        ext_vars={}, ext_codes={}, tla_vars={}, tla_codes={},
    )


def test_rjsonnet_evaluates_on_the_engine_thread_not_the_callers():
    seen: list[str] = []
    assert '"answer": 42' in evaluate("{ answer: (import 'lib.libsonnet').value + 1 }", seen)
    assert seen == ["metta-dash-jsonnet"]
    engine_thread_ = next(t for t in threading.enumerate() if t.name == "metta-dash-jsonnet")
    assert engine_thread_.daemon  # the process ends without waiting for it (nor for its teardown)


def test_the_engines_error_reaches_the_caller_and_the_thread_serves_on():
    with pytest.raises(RuntimeError, match="boom"):
        evaluate("error 'boom'")
    assert '"ok": true' in evaluate("{ ok: true }")


def test_callers_on_several_threads_each_get_their_own_result():
    results: dict[int, str] = {}

    def compile_one(number: int) -> None:
        results[number] = evaluate(f"{{ n: {number}, big: std.range(0, 2000) }}")

    threads = [threading.Thread(target=compile_one, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == list(range(6))
    assert all(f'"n": {number}' in text for number, text in results.items())


def test_a_call_made_on_the_engine_thread_runs_there_at_once():
    assert engine_thread.run(lambda: engine_thread.run(lambda: threading.current_thread().name)) \
        == "metta-dash-jsonnet"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_a_forked_child_gets_its_own_engine_thread(tmp_path):
    evaluate("{}")  # the parent's thread exists; a forked child has none of it
    source = tmp_path / "dash.jsonnet"
    source.write_text("{ title: 'T', layout_type: 'ordered', widgets: [] }")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit code
        try:
            compiled = jsonnet.compile_file(source, jsonnet.Options(engine="rjsonnet"))
            os._exit(0 if list(compiled.dashboards) == ["dash"] else 1)
        except BaseException:
            os._exit(2)
    for _ in range(300):  # a child waiting on the parent's thread, which it has not, would hang: 30 s at most
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("the forked child's compile hung")
    assert os.waitstatus_to_exitcode(status) == 0


@pytest.fixture
def interruptible():
    """Ctrl-C raises KeyboardInterrupt here, even in a test run started with SIGINT ignored."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield lambda: signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
    signal.signal(signal.SIGINT, previous)


def test_an_interrupted_caller_stops_the_evaluation_waits_for_it_then_raises(interruptible):
    """Exiting while the engine thread runs native code would crash the interpreter's shutdown: the caller
    asks the evaluation to stop (at its next import), waits for it to end, then raises the interrupt."""
    started, ended = threading.Event(), threading.Event()

    def evaluation() -> str:
        started.set()
        deadline = time.monotonic() + 2  # the interrupt may reach the caller only once this returns
        while not engine_thread.stopping() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # still busy after the interrupt: the caller must wait for this too
        ended.set()
        return "done"

    threading.Thread(target=lambda: started.wait(10) and interruptible(), daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        engine_thread.run(evaluation)
    assert ended.is_set()
    assert engine_thread.run(lambda: "serving") == "serving"
    assert not engine_thread.stopping()


def test_an_interrupted_caller_queued_behind_another_withdraws_its_call_and_leaves_the_other_running(
    interruptible,
):
    """Ctrl-C reaches a caller whose call waits behind another thread's evaluation: that call is withdrawn (it
    never runs) and the caller raises at once, while the other thread's evaluation goes on unstopped."""
    started, release = threading.Event(), threading.Event()
    others: list[object] = []

    def other_evaluation() -> str:
        started.set()
        release.wait(10)
        return "stopped" if engine_thread.stopping() else "finished"

    other = threading.Thread(target=lambda: others.append(engine_thread.run(other_evaluation)))
    other.start()
    started.wait(10)
    ran: list[bool] = []
    threading.Thread(target=lambda: time.sleep(0.2) or interruptible(), daemon=True).start()
    try:
        with pytest.raises(KeyboardInterrupt):
            engine_thread.run(lambda: ran.append(True))
        assert not release.is_set()  # raised without waiting for the evaluation ahead of it
    finally:
        release.set()
        other.join(10)
    assert others == ["finished"]
    assert engine_thread.run(lambda: "serving") == "serving"
    assert ran == []


def test_ctrl_c_during_a_compile_ends_the_build_cleanly(tmp_path):
    """A build interrupted while rjsonnet imports file after file ends as interrupted, without a crash."""
    import subprocess
    import sys

    (tmp_path / "pyproject.toml").write_text("[tool.metta-dash]\n")
    components = tmp_path / "components"
    components.mkdir()
    for number in range(300):
        (components / f"part{number}.libsonnet").write_text(  # ~10 ms each on rjsonnet, several s in all
            f"{{ value: std.foldl(function(sum, x) sum + x, std.range(0, 20000 + {number}), 0) }}"
        )
    parts = ", ".join(f"(import 'part{number}.libsonnet').value" for number in range(300))
    (tmp_path / "dashboards").mkdir()
    (tmp_path / "dashboards" / "slow.jsonnet").write_text(
        f"{{ title: 'Slow', layout_type: 'ordered', widgets: [], description: std.toString([{parts}]) }}"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", "from metta_dash.cli import entry_point; entry_point()", "build", "--no-cache"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(0.8)  # start-up and the first imports
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    # "aborted" (1) as every command reports Ctrl-C, or 130/SIGINT when it comes before the command runs; never
    # the crash of a shutdown under a running engine (SIGABRT "FATAL: exception not rethrown", or SIGSEGV).
    assert process.returncode in (1, 130, -signal.SIGINT), errors
    assert "FATAL" not in errors


def test_a_process_ending_while_background_compiles_run_waits_for_them(tmp_path):
    """Compiles asked for by daemon threads of the program are still running or queued when the main thread
    ends: the running one is stopped at its next import and waited for before the interpreter shuts down (not
    torn down), and the queued one is refused rather than started under the shutdown."""
    import subprocess
    import sys

    for number in range(300):
        (tmp_path / f"part{number}.libsonnet").write_text(
            f"{{ value: std.foldl(function(sum, x) sum + x, std.range(0, 20000 + {number}), 0) }}"
        )
    parts = ", ".join(f"(import 'part{number}.libsonnet').value" for number in range(300))
    (tmp_path / "slow.jsonnet").write_text(f"{{ title: 'Slow', layout_type: 'ordered', widgets: [], x: [{parts}] }}")
    program = (
        "import threading, time\n"
        "from pathlib import Path\n"
        "from metta_dash import compile as jsonnet\n"
        "source = Path('slow.jsonnet')\n"
        "for _ in range(2):  # the second waits behind the first: it must not start once exit has begun\n"
        "    threading.Thread(target=lambda: jsonnet.compile_file(source, jsonnet.Options(engine='rjsonnet')),"
        " daemon=True).start()\n"
        "time.sleep(0.3)\n"
    )
    run = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "FATAL" not in run.stderr
