"""Formula expressions of formulas-and-functions requests: tokens, and the functions Datadog documents.

A formula such as `top(query1 / query2 * 100, 10, 'mean', 'desc')` holds query names, function calls,
numbers, quoted arguments and operators. An identifier followed by `(` is a function call; any other
identifier must name a query of the same request.
"""

from __future__ import annotations

import functools
import re

_TOKEN = re.compile(
    r"""(?P<string>'[^']*'|"[^"]*")"""
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<call>\s*\()?"
    r"|(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?[A-Za-z]*|\.\d+)"
)

# From the Datadog "Functions" documentation pages (algorithms, arithmetic, count, exclusion, interpolation,
# rank, rate, regression, rollup, smoothing, timeshift, beta), plus names real dashboards use.
FUNCTIONS = frozenset({
    # algorithms
    "anomalies", "outliers", "forecast",
    # arithmetic
    "abs", "log2", "log10", "cumsum", "integral", "pow", "round",
    # count
    "count_nonzero", "count_not_null",
    # exclusion
    "exclude_null", "clamp_min", "clamp_max", "cutoff_min", "cutoff_max",
    # interpolation
    "fill", "default_zero",
    # rank
    "top", "bottom", "top_offset", "bottom_offset",
    # rate
    "per_second", "per_minute", "per_hour", "dt", "diff", "monotonic_diff", "derivative", "throughput", "rate",
    # regression
    "trend_line", "robust_trend", "piecewise_constant",
    # rollup
    "rollup", "moving_rollup",
    # smoothing
    "autosmooth", "ewma_1", "ewma_3", "ewma_5", "ewma_7", "ewma_10", "ewma_20",
    "median_3", "median_5", "median_7", "median_9", "weighted",
    # timeshift
    "timeshift", "calendar_shift", "hour_before", "day_before", "week_before", "month_before",
    # beta
    "rollingavg_5", "rollingavg_13", "rollingavg_21", "rollingavg_29",
    # aggregation across series
    "min", "max", "sum", "avg", "count",
})
# The rank page's convenience forms: [top, bottom][5, 10, 15, 20]_[mean, min, max, last, area, l2norm, norm].
_RANK_SHORTHAND = re.compile(r"(?:top|bottom)(?:5|10|15|20)_(?:mean|min|max|last|area|l2norm|norm)")


def is_known_function(name: str) -> bool:
    return name in FUNCTIONS or _RANK_SHORTHAND.fullmatch(name) is not None


def identifiers(formula: str) -> tuple[tuple[str, bool], ...]:
    """(identifier, is_function_call) for each identifier outside quoted arguments, in order."""
    return tuple(
        (match.group("name"), match.group("call") is not None)
        for match in _TOKEN.finditer(formula)
        if match.group("name") is not None
    )


# Dashboards repeat the same few formulas (`query1`, `query1 / query2`), so the answer is cached.
@functools.lru_cache(maxsize=4096)
def names_used(formula: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The identifiers of `formula` that are not function calls (each must name a query), and the functions
    it calls that are not documented Datadog functions, each in order."""
    found = identifiers(formula)
    return (tuple(name for name, is_call in found if not is_call),
            tuple(name for name, is_call in found if is_call and not is_known_function(name)))
