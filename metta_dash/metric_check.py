"""Is every metric a dashboard reads still reporting? The library behind `metta-dash metrics`.

`metric_uses` lists the metrics each widget queries (formula queries and legacy `q` strings). `check_metrics`
asks Datadog about each distinct metric, concurrently with a bounded pool: one query of its points over the
last N days (`sum:<metric>{*}.rollup(count, 86400)`, one point a day at most, so the answer stays small),
and, only for a metric with no point, its metadata, which tells a metric that went silent (Datadog knows it)
from one it has never seen (a typo, or a collector that never ran). A live metric costs one request.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from metta_dash import datadog
from metta_dash.datadog import AuthError, Client, DatadogError
from metta_dash.findings import format_path
from metta_dash.rules.base import walk_widgets

DAY = 86400
DEFAULT_DAYS = 7
DEFAULT_JOBS = 8
# A metric name right before its scope `{...}`: after the space aggregator's `:`, or at the start / after a
# bracket, comma, operator or space (a bare `metric{...}` in a `q`). `by {` never matches: a space parts them.
_METRIC = re.compile(r"(?:^|[:(,\s+\-*/])([A-Za-z][A-Za-z0-9_.]*)\s*\{")
LIVE, SILENT, UNKNOWN, FAILED = "live", "silent", "unknown", "failed"


@dataclasses.dataclass(frozen=True)
class MetricUse:
    """One widget reading one metric."""

    dashboard: str
    metric: str
    path: str  # JSONPath of the widget, e.g. $.widgets[2].definition.widgets[0]
    title: str | None
    widget_type: str | None


@dataclasses.dataclass(frozen=True)
class MetricStatus:
    """What Datadog said about one metric: `state` is live, silent, unknown or failed (`error` says why)."""

    metric: str
    state: str
    last_seen: float | None = None  # epoch seconds of the last day with a point (live metrics)
    error: str = ""


def metric_names(query: str) -> list[str]:
    """The metric names of one metrics query string, in order, without repeats."""
    found = [name for name in _METRIC.findall(query) if name != "by"]
    return list(dict.fromkeys(found))


def metric_uses(dashboard_name: str, dashboard: dict[str, Any]) -> list[MetricUse]:
    """Every (widget, metric) pair of a compiled dashboard, groups' widgets and named requests included."""
    uses: list[MetricUse] = []
    for ref in walk_widgets(dashboard):
        definition = ref.definition
        queries: list[str] = []
        requests = definition.get("requests")
        if isinstance(requests, dict):  # the named requests of scatterplots (`x`, `y`) and hostmaps (`fill`, `size`)
            requests = list(requests.values())
        for request in _list(requests):
            queries += [q["query"] for q in _list(request.get("queries"))
                        if q.get("data_source", "metrics") == "metrics" and isinstance(q.get("query"), str)]
            if isinstance(request.get("q"), str):
                queries.append(request["q"])
        title = definition.get("title") if isinstance(definition.get("title"), str) else None
        names = dict.fromkeys(name for query in queries for name in metric_names(query))
        uses += [MetricUse(dashboard_name, name, format_path(ref.path), title, ref.type) for name in names]
    return uses


def check_metrics(client: Client, metrics: Iterable[str], *, days: int = DEFAULT_DAYS, jobs: int = DEFAULT_JOBS,
                  now: float | None = None,
                  progress: Callable[[int, int, str], None] | None = None) -> dict[str, MetricStatus]:
    """Ask Datadog about each metric, `jobs` at a time. Refused keys (401/403) stop every check at once and
    raise AuthError; any other failure marks that metric `failed` and the others go on."""
    if days < 1:
        raise ValueError("days must be at least 1")
    names = sorted(set(metrics))
    end = int(now if now is not None else time.time())
    start = end - days * DAY
    results: dict[str, MetricStatus] = {}
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="metric-check")
    try:
        futures = {pool.submit(_check_one, client, name, start, end): name for name in names}
        for future in concurrent.futures.as_completed(futures):
            status = future.result()  # AuthError propagates; the finally below cancels the rest
            results[status.metric] = status
            if progress is not None:
                progress(len(results), len(names), status.metric)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return dict(sorted(results.items()))


def _check_one(client: Client, name: str, start: int, end: int) -> MetricStatus:
    try:
        series = datadog.metric_series(client, f"sum:{name}{{*}}.rollup(count, {DAY})", start, end)
        seen = [point[0] / 1000 for one in series for point in one.get("pointlist") or []
                if isinstance(point, list) and len(point) == 2 and isinstance(point[0], (int, float))
                and point[1] not in (None, 0)]
        if seen:
            return MetricStatus(name, LIVE, last_seen=max(seen))
        return MetricStatus(name, SILENT if datadog.metric_is_known(client, name) else UNKNOWN)
    except AuthError:
        raise
    except DatadogError as error:
        return MetricStatus(name, FAILED, error=str(error))


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
