"""One long-lived thread on which rjsonnet evaluates, so that a process can end without freeing its objects.

jrsonnet keeps what an evaluation built in a per-thread object space. Each evaluation frees what the previous
one left there, but the last one's objects are freed only when its thread ends: on the main thread, at process
exit, one object at a time. For a 10,000-widget dashboard that took about 2 s, a third of the whole build, to
free memory the operating system takes back at once anyway. On a daemon thread, the process ends without that
teardown. A long-running process (watch) still holds at most one evaluation's objects, as on the main thread.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

Result = TypeVar("Result")

# jrsonnet recurses natively (deep Jsonnet, deep output): at least the stack a main thread usually has.
STACK_SIZE = 64 * 1024 * 1024

_lock = threading.Lock()
_worker: _Worker | None = None


class _Worker:
    """The thread and its queue of calls; each call's result or exception goes back through the call's own
    reply queue."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.calls: queue.SimpleQueue[tuple[Callable[[], Any], queue.SimpleQueue]] = queue.SimpleQueue()
        previous = threading.stack_size(STACK_SIZE)
        try:
            self.thread = threading.Thread(target=self._serve, name="metta-dash-jsonnet", daemon=True)
            self.thread.start()
        finally:
            threading.stack_size(previous)

    def _serve(self) -> None:
        while True:
            call, reply = self.calls.get()
            try:
                reply.put((True, call()))
            except BaseException as error:  # the caller raises it; this thread serves on
                reply.put((False, error))
            del call, reply  # nothing of a finished call stays referenced while the thread waits


def run(call: Callable[[], Result]) -> Result:
    """`call()` on the engine thread (started on first use, and again in a forked child); its result, or its
    exception raised here. Calls from several threads take turns."""
    global _worker
    with _lock:
        if _worker is None or _worker.pid != os.getpid():
            _worker = _Worker()
        worker = _worker
    if threading.current_thread() is worker.thread:
        return call()
    reply: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()
    worker.calls.put((call, reply))
    done, value = reply.get()
    if not done:
        raise value
    return value
