"""One long-lived thread on which rjsonnet evaluates, so that a process can end without freeing its objects.

jrsonnet keeps what an evaluation built in a per-thread object space. Each evaluation frees what the previous
one left there, but the last one's objects are freed only when its thread ends: on the main thread, at process
exit, one object at a time. For a 10,000-widget dashboard that took about 2 s, a third of the whole build, to
free memory the operating system takes back at once anyway. On a daemon thread, the process ends without that
teardown. A long-running process (watch) still holds at most one evaluation's objects, as on the main thread.

The caller waits for its evaluation to end even when interrupted (Ctrl-C): a process must not exit while the
engine runs native code on the other thread (the interpreter's shutdown would tear that thread down mid-call
and crash). An interrupt asks the evaluation to stop at its next import (see `stopping`), then is raised; a call
still queued behind another thread's is withdrawn instead (never run), and that other evaluation goes on. At
exit, an evaluation still running (one a background thread asked for) is stopped the same way and waited for,
and calls still queued are refused: no evaluation starts while the interpreter shuts down.
"""

from __future__ import annotations

import atexit
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
    """The thread and its queue of calls; each call's outcome goes back through the call's own `_Reply`."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.calls: queue.SimpleQueue[tuple[Callable[[], Any], _Reply]] = queue.SimpleQueue()
        self.stop = threading.Event()
        self.idle = threading.Event()
        self.closing = threading.Event()
        self.running: _Reply | None = None
        previous = threading.stack_size(STACK_SIZE)
        try:
            self.thread = threading.Thread(target=self._serve, name="metta-dash-jsonnet", daemon=True)
            self.thread.start()
        finally:
            threading.stack_size(previous)
        atexit.register(self._finish)

    def _finish(self) -> None:
        if os.getpid() == self.pid:  # a forked child has no such thread
            self.closing.set()  # before `stop`: a call that clears `stop` after this sees it and is refused
            self.stop.set()
            self.idle.wait()

    def _serve(self) -> None:
        while True:
            self.running = None
            self.idle.set()
            call, reply = self.calls.get()
            self.running = reply  # before the checks below: an interrupted caller reads it after cancelling
            self.idle.clear()
            self.stop.clear()
            if reply.cancelled or self.closing.is_set():
                reply.outcome = (False, RuntimeError("evaluation withdrawn: interrupted, or the process is exiting"))
            else:
                try:
                    reply.outcome = (True, call())
                except BaseException as error:  # the caller raises it; this thread serves on
                    reply.outcome = (False, error)
            reply.done.set()
            del call, reply  # nothing of a finished call stays referenced while the thread waits


class _Reply:
    """A call's outcome, kept until read: an interrupt while waiting for it loses nothing."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.outcome: tuple[bool, Any] = (False, None)
        self.cancelled = False  # its caller was interrupted: not to be started


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
    reply = _Reply()
    worker.calls.put((call, reply))
    interrupt: BaseException | None = None
    while not reply.done.is_set():
        try:
            reply.done.wait()
        except BaseException as error:  # Ctrl-C: stop the evaluation, wait for it, then raise (see above)
            interrupt = interrupt or error
            reply.cancelled = True
            if worker.running is not reply:  # not started, so it never will: nothing to wait for
                break
            worker.stop.set()
    if interrupt is not None:
        raise interrupt
    done, value = reply.outcome
    if not done:
        raise value
    return value


def stopping() -> bool:
    """Whether the caller of the evaluation running now was interrupted (checked on the engine thread)."""
    worker = _worker
    return worker is not None and worker.stop.is_set() and threading.current_thread() is worker.thread
