"""A small model of how Datadog turns stored points into the number a scalar widget shows, to test what the
dashboards' queries and formulas *mean* on synthetic data (a collector silent for two days, two runs with
opposite hearts deltas, ...).

What it models, from Datadog's query documentation: the points in the widget's window (shifted back for a
`timeshift(name, -S)` in a formula); each source series (one set of tags) rolled up per time bucket (`avg`
unless the query says `.rollup(fn[, seconds])`; buckets aligned to UNIX time, not to the window); the series
of a bucket combined by the query's space aggregation (per `by {tags}` group); the buckets reduced by the
query's scalar aggregator; then the formula over those scalars. A query with no point in its window has no
value, and neither has a formula reading it: the cell is blank (gray). Formulas go through the evaluator of
test_fom (arithmetic, abs, clamp_*).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import defaultdict
from collections.abc import Iterable

from test_fom import evaluate

DAY = 86400
LIVE_SPANS = {"1h": 3600, "4h": 4 * 3600, "1d": DAY, "2d": 2 * DAY, "1w": 7 * DAY}
NOW = 30 * DAY  # the emulated "now": every synthetic series lies before it

_QUERY = re.compile(
    r"^(?P<space>avg|sum|min|max):(?P<metric>[\w.]+)\{(?P<filter>[^}]*)\}"
    r"(?: by \{(?P<by>[^}]*)\})?"
    r"(?:\.rollup\((?P<fn>avg|sum|min|max|count)(?:,\s*(?P<interval>\d+))?\))?$"
)
_SHIFT = re.compile(r"timeshift\((\w+),\s*-(\d+)\)")
_SPACE = {"avg": lambda v: sum(v) / len(v), "sum": sum, "min": min, "max": max}
_ROLLUP = {**_SPACE, "count": len}


@dataclasses.dataclass(frozen=True)
class Point:
    time: float
    value: float
    tags: tuple[tuple[str, str], ...] = ()


def point(time: float, value: float, **tags: str) -> Point:
    return Point(time, value, tuple(sorted(tags.items())))


Store = dict[str, list[Point]]


def scalar(query: str, aggregator: str, store: Store, *, window: int, shift: int = 0,
           bucket: int = 300) -> dict[tuple[str, ...], float]:
    """The scalar of each `by` group of a metric query: {group: value}; groups without points are absent."""
    match = _QUERY.match(query)
    if not match:
        raise ValueError(f"the model does not read this query: {query!r}")
    by = [t.strip() for t in (match["by"] or "").split(",") if t.strip()]
    interval = int(match["interval"]) if match["interval"] else bucket
    rollup = _ROLLUP[match["fn"] or "avg"]
    start, end = NOW - shift - window, NOW - shift
    sources: dict[tuple, list[float]] = defaultdict(list)
    for p in store.get(match["metric"], []):
        if start < p.time <= end:
            tags = dict(p.tags)
            group = tuple(tags.get(tag, "N/A") for tag in by)
            sources[(group, math.floor(p.time / interval), p.tags)].append(p.value)  # buckets aligned to UNIX time
    buckets: dict[tuple, list[float]] = defaultdict(list)
    for (group, index, _), values in sources.items():
        buckets[(group, index)].append(rollup(values))
    per_group: dict[tuple, list[tuple[int, float]]] = defaultdict(list)
    for (group, index), values in buckets.items():
        per_group[group].append((index, _SPACE[match["space"]](values)))
    return {group: _reduce(aggregator, [v for _, v in sorted(series)]) for group, series in per_group.items()}


def _reduce(aggregator: str, values: list[float]) -> float:
    if aggregator == "last":
        return values[-1]
    return _SPACE[aggregator](values)


def formula_values(formula: str, queries: Iterable[dict], store: Store, *, window: int,
                   default_aggregator: str = "avg", bucket: int = 300) -> dict[tuple[str, ...], float | None]:
    """The value of a formula per group, None where a query it reads has no data."""
    by_name = {q["name"]: q for q in queries}
    reads: dict[str, tuple[str, int]] = {}

    def rename(match: re.Match) -> str:
        variable = f"{match[1]}__{match[2]}"
        reads[variable] = (match[1], int(match[2]))
        return variable

    text = _SHIFT.sub(rename, formula)
    for name in by_name:
        if re.search(rf"\b{name}\b", text):
            reads[name] = (name, 0)
    results = {
        variable: scalar(by_name[name]["query"], by_name[name].get("aggregator", default_aggregator), store,
                         window=window, shift=shift, bucket=bucket)
        for variable, (name, shift) in reads.items()
    }
    groups = set().union(*(r.keys() for r in results.values())) if results else set()
    values: dict[tuple[str, ...], float | None] = {}
    for group in groups:
        variables = {variable: result.get(group) for variable, result in results.items()}
        values[group] = None if None in variables.values() else evaluate(text, variables)
    return values


def cell(widget: dict, formula_index: int, store: Store, *, bucket: int = 300) -> float | None:
    """What one formula of a single-series scalar widget shows (None: blank, drawn gray)."""
    (request,) = widget["requests"]
    window = LIVE_SPANS[widget["time"]["live_span"]]
    values = formula_values(request["formulas"][formula_index]["formula"], request["queries"], store, window=window,
                            bucket=bucket)
    return values.get((), None)


def colour(formats: list[dict], value: float) -> str | None:
    """The palette of the first conditional format that matches `value`, as Datadog applies them."""
    tests = {">": value.__gt__, ">=": value.__ge__, "<": value.__lt__, "<=": value.__le__, "=": value.__eq__}
    for fmt in formats:
        if tests[fmt["comparator"]](fmt["value"]):
            return fmt["palette"]
    return None
