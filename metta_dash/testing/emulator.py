"""A local Datadog v1 Dashboards API on loopback, for tests and demos.

It also answers the two metrics endpoints `metta-dash metrics` reads: GET /api/v1/query (points of a
`space:metric{scope}` query, optionally `.rollup(count|sum|avg|min|max, seconds)`) and GET
/api/v1/metrics/{name} (metadata; 404 for a metric it was never given). Tests seed them with `add_metric`.

Speaks GET/POST /api/v1/dashboard and GET/PUT/DELETE /api/v1/dashboard/{id} with Datadog's response
shapes; checks the DD-API-KEY / DD-APPLICATION-KEY headers; assigns ids, urls, timestamps, author and
widget ids; fills the server defaults (data/server_defaults.json); rejects bodies the way the server
does (server_checks). Tests steer it: faults for the next requests (429 with rate-limit headers, 5xx, any
status; a body that is empty, not JSON or wrong-shaped, sent instead of the answer or after serving the
request; a delay), latency, direct edits of the stored dashboards (a change made in the UI), and a record
of every request.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import json
import random
import re
import string
import threading
import time
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from metta_dash import server_defaults
from metta_dash.testing.server_checks import Rejected, check_dashboard

COLLECTION_PATH = "/api/v1/dashboard"
_ITEM_PATH = re.compile(r"^/api/v1/dashboard/([^/]+)$")
READ_ONLY_FIELDS = ("id", "url", "author_handle", "author_name", "created_at", "modified_at", "deleted_at")
SUMMARY_FIELDS = (
    "id",
    "title",
    "description",
    "layout_type",
    "url",
    "author_handle",
    "created_at",
    "modified_at",
    "is_read_only",
)
RATE_LIMIT = 100
RATE_LIMIT_PERIOD = 10


@dataclasses.dataclass(frozen=True)
class RecordedRequest:
    """One request the emulator answered."""

    method: str
    path: str
    status: int
    query: str = ""
    body: Any = None

    @property
    def is_write(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")


class RawBody(bytes):
    """An answer body sent byte for byte (not JSON-encoded): empty, truncated, HTML from a proxy..."""


NO_BODY = object()


@dataclasses.dataclass
class Fault:
    """Steer the next `count` matching requests.

    `status` set: answer with it instead of serving the request (body: `body`, else Datadog's error shape).
    `status` None: serve the request (it takes effect), then send `body` instead of the real answer when
    given. `delay` seconds pass before either.
    """

    status: int | None
    count: int
    method: str | None = None
    path: str | None = None  # a regular expression searched in the request path
    reset: int = 1  # X-RateLimit-Reset seconds, for 429
    body: Any = NO_BODY  # str/bytes are sent as they are; other values as JSON
    delay: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return not self.path or re.search(self.path, path) is not None


# -- metrics endpoints ---------------------------------------------------------------------------------------

QUERY_PATH = "/api/v1/query"
METRIC_PATH_PREFIX = "/api/v1/metrics/"
_QUERY = re.compile(
    r"^\s*(?:avg|sum|min|max|count):(?P<metric>[A-Za-z][\w.]*)\{[^}]*\}"
    r"(?:\.rollup\((?P<fn>count|sum|avg|min|max)(?:\s*,\s*(?P<interval>\d+))?\))?\s*$"
)
_ROLLUPS: dict[str, Callable[[list[float]], float]] = {
    "count": len, "sum": sum, "min": min, "max": max, "avg": lambda values: sum(values) / len(values),
}


@dataclasses.dataclass
class _Metric:
    type: str
    points: list[tuple[float, Any]]


class _MetricsEndpoints:
    """The metrics endpoints of the Emulator, kept apart from its dashboard endpoints."""

    metrics: dict[str, _Metric]
    _lock: threading.RLock

    def add_metric(self, name: str, points: Any = (), *, metric_type: str = "gauge") -> None:
        """Make a metric known, with its points [(epoch seconds, value), ...]: none makes a metric Datadog
        knows but that has not reported (silent); a name never added answers as unknown."""
        with self._lock:
            self.metrics[name] = _Metric(metric_type, sorted((float(t), v) for t, v in points))

    def _metrics_answer(self, method: str, path: str, query: dict[str, list[str]]) -> tuple[int, dict, Any]:
        if method != "GET":
            return 405, {}, {"errors": ["Method Not Allowed"]}
        if path != QUERY_PATH:
            name = path[len(METRIC_PATH_PREFIX):]
            with self._lock:
                metric = self.metrics.get(name)
            if metric is None:
                return 404, {}, {"errors": ["Metric not found"]}
            return 200, {}, {"type": metric.type, "unit": None, "per_unit": None, "description": None,
                             "short_name": None, "integration": None, "statsd_interval": None}
        try:
            start, end, text = int(query["from"][0]), int(query["to"][0]), query["query"][0]
        except (KeyError, IndexError, ValueError):
            return 400, {}, {"errors": ["from, to (epoch seconds) and query are required"]}
        match = _QUERY.match(text)
        if match is None or start > end:
            return 400, {}, {"errors": [f"Error parsing query: {text}"]}
        with self._lock:
            metric = self.metrics.get(match["metric"])
            points = [(t, v) for t, v in (metric.points if metric else []) if start <= t <= end and v is not None]
        answer: dict[str, Any] = {"status": "ok", "res_type": "time_series", "query": text, "from_date": start * 1000,
                                  "to_date": end * 1000, "series": []}
        if points:
            # Rollup buckets are aligned to UNIX time, not to `from` (Datadog's rollup documentation): a daily
            # bucket runs from 00:00 UTC, so its timestamp names the UTC day of its points.
            interval = int(match["interval"] or 60)
            buckets: dict[int, list[float]] = {}
            for t, v in points:
                buckets.setdefault(int(t // interval), []).append(v)
            rollup = _ROLLUPS[match["fn"] or "avg"]
            pointlist = [[index * interval * 1000, rollup(values)] for index, values in sorted(buckets.items())]
            answer["series"] = [{"metric": match["metric"], "display_name": match["metric"], "expression": text,
                                 "scope": "*", "interval": interval, "length": len(pointlist),
                                 "start": pointlist[0][0], "end": pointlist[-1][0], "pointlist": pointlist}]
        return 200, {}, answer


class Emulator(_MetricsEndpoints):
    """The emulated API. `with Emulator(api_key=..., app_key=...) as dd:` serves on dd.url.

    Keys left as None accept any non-empty key. `dashboards` is the server-side store (id -> stored
    dashboard); tests may read it, and change it through `edit` to simulate an edit made in the UI.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        app_key: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        author_handle: str = "emulator@example.com",
        latency: float = 0.0,
        seed: int | None = None,
    ):
        self.api_key = api_key
        self.app_key = app_key
        self.author_handle = author_handle
        self.latency = latency
        self.dashboards: dict[str, dict[str, Any]] = {}
        self.metrics: dict[str, _Metric] = {}  # name -> seeded metric (add_metric)
        self.internal_errors: list[str] = []  # tracebacks of requests the emulator itself failed on
        self._host, self._port = host, port
        self._lock = threading.RLock()
        self._requests: list[RecordedRequest] = []
        self._faults: list[Fault] = []
        self._random = random.Random(seed)
        self._last_timestamp = 0.0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> Emulator:
        if self._server is not None:
            return self
        self._server = _Server((self._host, self._port), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="dd-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Base URL to use as the client's api_url, e.g. http://127.0.0.1:41234."""
        return f"http://{self._host}:{self.port}"

    # -- what tests look at and steer ---------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request answered so far, in order (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def writes(self) -> list[RecordedRequest]:
        return [request for request in self.requests if request.is_write]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def fail_next(
        self,
        status: int | None = 429,
        count: int = 1,
        *,
        method: str | None = None,
        path: str | None = None,
        reset: int = 1,
        body: Any = NO_BODY,
        delay: float = 0.0,
    ) -> None:
        """Answer the next `count` requests (matching `method` and the `path` regex when given) with
        `status`: 429 carries X-RateLimit-Limit/Period/Remaining/Reset, others Datadog's error body unless
        `body` is given. `status=None` serves the requests and sends `body` (when given) instead of the
        answer; `delay` slows each down (see Fault)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._faults.append(Fault(status, count, method, path, reset, body, delay))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def add(self, dashboard: dict[str, Any]) -> dict[str, Any]:
        """Store a dashboard as if created earlier (no request recorded, no checks); returns it stored."""
        with self._lock:
            stored = self._store(copy.deepcopy(dashboard), dashboard_id=dashboard.get("id"))
            return copy.deepcopy(stored)

    def edit(self, dashboard_id: str, change: Callable[[dict[str, Any]], dict[str, Any] | None]) -> dict[str, Any]:
        """Apply `change` to a stored dashboard (in place, or return a replacement) and bump
        modified_at, as an edit in the Datadog UI would. Returns the stored dashboard."""
        with self._lock:
            current = self.dashboards[dashboard_id]
            replaced = change(current)
            stored = replaced if isinstance(replaced, dict) else current
            stored["modified_at"] = self._timestamp()
            self._assign_widget_ids(stored.get("widgets"), set())
            self.dashboards[dashboard_id] = stored
            return copy.deepcopy(stored)

    # -- the API ------------------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: Any, raw_body: bytes) -> tuple[int, dict[str, str], Any]:
        """Answer one request: (status, extra headers, JSON body). Thread-safe."""
        if self.latency:
            time.sleep(self.latency)
        parts = urlsplit(raw_path)
        path, query = parts.path.rstrip("/") or "/", parts.query
        body: Any = None
        status, extra_headers, answer = 500, {}, {"errors": ["Internal Server Error"]}
        try:
            if raw_body:
                try:
                    body = json.loads(raw_body)
                except ValueError:
                    body = raw_body.decode("utf-8", "replace")
            status, extra_headers, answer = self._answer(method, path, query, headers, body)
        except Exception:  # a defect of the emulator: answer 500 like a server would, keep the trace
            with self._lock:
                self.internal_errors.append(traceback.format_exc())
        finally:
            with self._lock:
                self._requests.append(RecordedRequest(method, path, status, query, body))
        return status, extra_headers, answer

    def _answer(self, method: str, path: str, query: str, headers: Any, body: Any) -> tuple[int, dict[str, str], Any]:
        fault = self._take_fault(method, path)
        if fault is not None:
            time.sleep(fault.delay)
            if fault.status is not None:
                return _fault_answer(fault)
            status, extra_headers, answer = self._serve(method, path, query, headers, body)
            return status, extra_headers, _fault_body(fault.body) if fault.body is not NO_BODY else answer
        return self._serve(method, path, query, headers, body)

    def _serve(self, method: str, path: str, query: str, headers: Any, body: Any) -> tuple[int, dict[str, str], Any]:
        if not self._authorised(headers):
            return 403, {}, {"errors": ["Forbidden"]}
        if isinstance(body, str):
            return 400, {}, {"errors": ["Invalid JSON in request body"]}
        if path == QUERY_PATH or path.startswith(METRIC_PATH_PREFIX):
            return self._metrics_answer(method, path, parse_qs(query))
        if path == COLLECTION_PATH:
            if method == "GET":
                return 200, {}, self._list(parse_qs(query))
            if method == "POST":
                return self._create(body)
            return 405, {}, {"errors": ["Method Not Allowed"]}
        match = _ITEM_PATH.match(path)
        if not match:
            return 404, {}, {"errors": ["Not found"]}
        dashboard_id = match.group(1)
        with self._lock:
            if dashboard_id not in self.dashboards:
                return 404, {}, {"errors": [f"Dashboard with ID {dashboard_id} not found"]}
            if method == "GET":
                return 200, {}, copy.deepcopy(self.dashboards[dashboard_id])
            if method == "PUT":
                return self._update(dashboard_id, body)
            if method == "DELETE":
                del self.dashboards[dashboard_id]
                return 200, {}, {"deleted_dashboard_id": dashboard_id}
        return 405, {}, {"errors": ["Method Not Allowed"]}

    def _authorised(self, headers: Any) -> bool:
        sent_api_key = headers.get("DD-API-KEY") or ""
        sent_app_key = headers.get("DD-APPLICATION-KEY") or ""
        if not sent_api_key or not sent_app_key:
            return False
        return (self.api_key is None or sent_api_key == self.api_key) and (
            self.app_key is None or sent_app_key == self.app_key
        )

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _list(self, query: dict[str, list[str]]) -> dict[str, Any]:
        with self._lock:
            summaries = [
                {field: dashboard.get(field) for field in SUMMARY_FIELDS} for dashboard in self.dashboards.values()
            ]
        start = _int_param(query, "start", 0)
        count = _int_param(query, "count", len(summaries))
        return {"dashboards": summaries[start : start + count]}

    def _create(self, body: Any) -> tuple[int, dict[str, str], Any]:
        try:
            check_dashboard(body)
        except Rejected as exc:
            return 400, {}, {"errors": [exc.message]}
        with self._lock:
            stored = self._store(_without_read_only(body))
            return 200, {}, copy.deepcopy(stored)

    def _update(self, dashboard_id: str, body: Any) -> tuple[int, dict[str, str], Any]:
        previous = self.dashboards[dashboard_id]
        try:
            check_dashboard(body, previous=previous)
        except Rejected as exc:
            return 400, {}, {"errors": [exc.message]}
        kept = {field: previous.get(field) for field in ("created_at", "author_handle", "author_name")}
        stored = self._store({**_without_read_only(body), **kept}, dashboard_id=dashboard_id)
        return 200, {}, copy.deepcopy(stored)

    # -- storage --------------------------------------------------------------------------------------

    def _store(self, dashboard: dict[str, Any], *, dashboard_id: str | None = None) -> dict[str, Any]:
        """Fill ids, timestamps, author and defaults, then keep it. Call with the lock held."""
        dashboard_id = dashboard_id or self._new_dashboard_id()
        now = self._timestamp()
        stored = server_defaults.fill(dashboard)
        stored.update(
            id=dashboard_id,
            url=f"/dashboard/{dashboard_id}/{_slug(str(stored.get('title', '')))}",
            author_handle=stored.get("author_handle") or self.author_handle,
            author_name=stored.get("author_name"),
            created_at=stored.get("created_at") or now,
            modified_at=now,
        )
        stored.setdefault("is_read_only", False)
        self._assign_widget_ids(stored.get("widgets"), set())
        self.dashboards[dashboard_id] = stored
        return stored

    def _assign_widget_ids(self, widgets: Any, taken: set[int]) -> None:
        for widget in server_defaults.iter_widgets(widgets):
            if isinstance(widget.get("id"), int) and widget["id"] not in taken:
                taken.add(widget["id"])
        for widget in server_defaults.iter_widgets(widgets):
            if not isinstance(widget.get("id"), int):
                widget_id = self._random.randrange(10**15, 10**16)
                while widget_id in taken:
                    widget_id = self._random.randrange(10**15, 10**16)
                taken.add(widget_id)
                widget["id"] = widget_id

    def _new_dashboard_id(self) -> str:
        alphabet = string.ascii_lowercase + string.digits
        while True:
            dashboard_id = "-".join("".join(self._random.choices(alphabet, k=3)) for _ in range(3))
            if dashboard_id not in self.dashboards:
                return dashboard_id

    def _timestamp(self) -> str:
        # Strictly increasing, so that every change shows a new modified_at even within a microsecond.
        with self._lock:
            now = max(time.time(), self._last_timestamp + 1e-6)
            self._last_timestamp = now
        moment = datetime.datetime.fromtimestamp(now, tz=datetime.UTC)
        return moment.isoformat(timespec="microseconds")


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 resets connections when a test opens many at once.
    request_queue_size = 128
    daemon_threads = True


def _fault_body(body: Any) -> Any:
    if isinstance(body, str):
        return RawBody(body.encode("utf-8"))
    if isinstance(body, bytes):
        return RawBody(body)
    return body


def _fault_answer(fault: Fault) -> tuple[int, dict[str, str], Any]:
    if fault.body is not NO_BODY:
        return fault.status, {}, _fault_body(fault.body)
    if fault.status == 429:
        headers = {
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Period": str(RATE_LIMIT_PERIOD),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(fault.reset),
        }
        return 429, headers, {"errors": ["Rate limit of 100 requests in 10 seconds reached."]}
    reasons = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
    return fault.status, {}, {"errors": [reasons.get(fault.status, "Error")]}


def _without_read_only(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key not in READ_ONLY_FIELDS}


def _int_param(query: dict[str, list[str]], name: str, default: int) -> int:
    try:
        return max(0, int(query[name][0]))
    except (KeyError, IndexError, ValueError):
        return default


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "dashboard"


def _handler_for(emulator: Emulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "metta-dash-emulator"
        # Headers and body go out in two writes; with Nagle on, the client's delayed ACK adds ~40 ms to each.
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw_body = self.rfile.read(length) if length else b""
            status, headers, answer = emulator.handle(self.command, self.path, self.headers, raw_body)
            payload = answer if isinstance(answer, RawBody) else json.dumps(answer).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass  # tests read emulator.requests instead

    return Handler
