"""Ctrl-C during a push: no new write starts, those under way finish and are recorded, and the output says
what was done and what was not. A real `metta-dash push` process, SIGINT sent while creates are slow.
"""

from __future__ import annotations

import signal
import time

from test_push_concurrency import finish, registry_ids, start_cli
from test_sync import make_dashboard, new_project

EIGHT = {f"d{n}": make_dashboard(f"Dashboard {n}") for n in range(8)}


def posts(emulator) -> list:
    return [r for r in emulator.requests if r.method == "POST"]


def test_ctrl_c_stops_new_writes_and_records_those_under_way(tmp_path, dd_emulator):
    project = new_project(tmp_path, EIGHT)
    dd_emulator.fail_next(None, count=100, method="POST", delay=1.0)
    process = start_cli(project, "push", "--jobs", "2")
    deadline = time.monotonic() + 60
    while not posts(dd_emulator) and time.monotonic() < deadline:  # the first create has just been answered
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    code, out, err = finish(process)

    assert code == 130, (out, err)
    created = posts(dd_emulator)
    # Two answered just before the signal, and at most two more already under way (--jobs 2): never all eight.
    assert 2 <= len(created) <= 4
    assert set(registry_ids(project).values()) == set(dd_emulator.dashboards)
    assert len(registry_ids(project)) == len(created)
    assert "interrupted: no new write starts" in err
    not_sent = [line.split()[2] for line in out.splitlines() if line.startswith("not sent")]
    assert len(not_sent) == 8 - len(created)
    assert f"interrupted: {len(created)} dashboard(s) written and recorded; not sent: " in err

    dd_emulator.clear_faults()
    code, out, err = finish(start_cli(project, "push"))
    assert code == 0, (out, err)
    assert sorted(d["title"] for d in dd_emulator.dashboards.values()) == [f"Dashboard {n}" for n in range(8)]
