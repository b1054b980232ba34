"""R208: one metric query holds one series."""

import re

from metta_dash.findings import Severity
from metta_dash.rules.base import rule
from metta_dash.rules.metric_query_checks import listed_texts

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_BRACES = re.compile(r"\{[^{}]*\}")
_CALL = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_OPERATOR = re.compile(r"[-+*/]")


def _unquoted(query: str) -> str:
    """The query without its quoted strings (most queries have none, and then the regex is skipped)."""
    return _QUOTED.sub("", query) if "'" in query or '"' in query else query


def top_level_text(query: str) -> str:
    """The query with quotes dropped and everything inside {...}, (...), [...] emptied, brackets kept.

    Tag filters `{a,b}`, groupings `by {a,b}` and function arguments `rollup(sum, 60)` then no longer
    look like series separators.
    """
    text = _BRACES.sub("{}", _unquoted(query))
    while True:
        emptied = _CALL.sub(lambda m: m.group(0)[0] + m.group(0)[-1], text)
        if emptied == text:
            return emptied
        text = emptied


# A grouping `by {tags}`, its tags emptied or not (`\bby\s*\{[^{}]*\}`). The pattern starts with the literal `by`
# and tests the word boundary in a look-behind after it, so a search jumps from one `by` to the next instead of
# testing a boundary at every character.
_GROUPING = re.compile(r"by(?<!\wby)\s*\{[^{}]*\}")


def _is_series(part: str) -> bool:
    """A piece of a metric query that names a metric with a scope: `avg:name{...}` or `name{...}`."""
    return "{" in part


def series_problem(query: str) -> str | None:
    """Why `query` holds more than one series, or None.

    Every series carries one `{scope}`; a `by {tags}` grouping is not a series.
    """
    braces = query.count("{")
    if braces < 2:
        return None
    if braces == 2 and "'" not in query and '"' not in query and _GROUPING.search(query):
        # `m{scope} by {tags}`, most queries, without emptying braces. Exact: unquoted, a grouping stays one
        # once the braces are emptied, and two braces with a grouping leave at most one scope.
        return None
    scoped = _BRACES.sub("{}", _unquoted(query))
    # Each emptied `{}` is a scope unless it follows `by` (a grouping).
    if scoped.count("{}") - len(_GROUPING.findall(scoped)) < 2:
        return None
    pieces = [piece for piece in top_level_text(query).split(",") if _is_series(piece)]
    if len(pieces) > 1:
        return f"{len(pieces)} comma-separated series"
    if _OPERATOR.search(scoped):
        return "arithmetic between series"
    return "several series"


@rule("R208", "metric-query-multiple-series", Severity.ERROR)
def metric_query_multiple_series(dashboard):
    """A metrics query of a formulas-and-functions request holds one series: no `a{*}, b{*}`, no `a{*} / b{*}`.

    Several series or arithmetic between them belong in separate named queries combined by a formula.
    Legacy `q` strings may hold such expressions and are not checked.
    """
    for path, index, text in listed_texts(dashboard):  # the metrics queries, read once for this rule and R212
        if index is None:
            continue  # a legacy `q`
        problem = series_problem(text)
        if problem:
            yield (
                path + ("queries", index, "query"),
                f"metric query holds {problem}: {text}",
                "write one query per series (query1, query2, ...) and combine them in formulas, "
                "e.g. \"formula\": \"query1 / query2\"",
            )
