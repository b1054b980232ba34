"""R212 and R213: every metrics query parses, and names only aggregators and functions Datadog has.

The queries are those of formulas-and-functions requests (`queries[].query` with `data_source: metrics`) and
legacy request strings (`q`, also under scatterplot `x`/`y` and hostmap `fill`/`size`). The grammar and
the vocabulary are in `metta_dash.metric_query`.
"""

from metta_dash.findings import Severity
from metta_dash.rules.base import named_requests, rule, shared, walk_requests
from metta_dash.suggest import closest

_KNOWN_HINTS = {
    "function": "the documented functions: https://docs.datadoghq.com/dashboards/functions/",
    "aggregator": "space aggregators: avg, sum, min, max, count, and percentiles p50, p75, p90, p95, p99, ...",
}


def _texts(dashboard):
    """(request path, query index or None for `q`, text) for every metrics query: those of the request lists,
    then those of the named requests of scatterplot (`x`, `y`) and hostmap (`fill`, `size`) widgets. Paths are
    built later, for the few queries with a problem."""
    listed, named = _texts_by_kind(dashboard)
    return listed + named


def listed_texts(dashboard):
    """`_texts` of the request lists alone."""
    return _texts_by_kind(dashboard)[0]


def _texts_by_kind(dashboard):
    return shared(dashboard, "metric-query-texts", lambda dashboard: (
        _texts_of([(path, request) for _, path, request in walk_requests(dashboard)]),
        _texts_of(named_requests(dashboard)),
    ))


def _texts_of(requests):
    found = []
    for path, request in requests:
        legacy = request.get("q")
        if isinstance(legacy, str):
            found.append((path, None, legacy))
        queries = request.get("queries")
        if isinstance(queries, list):
            for index, query in enumerate(queries):
                if isinstance(query, dict) and query.get("data_source") == "metrics":
                    text = query.get("query")
                    if isinstance(text, str):
                        found.append((path, index, text))
    return found


def _path(request_path, index):
    return request_path + (("q",) if index is None else ("queries", index, "query"))


def metric_queries(dashboard):
    """[(path, query string)] for every metrics query of the dashboard."""
    return [(_path(path, index), text) for path, index, text in _texts(dashboard)]


def _problems(dashboard):
    texts = _texts(dashboard)
    if not texts:
        return []
    from metta_dash.metric_query import parse  # the parser is loaded only for dashboards with queries

    found = []
    for path, index, text in texts:
        parsed = parse(text)
        if parsed.error is not None or parsed.unknown:
            found.append((_path(path, index), text, parsed))
    return found


def _parsed(dashboard):
    """[(path, query, parse)] for each metrics query with a problem, worked out once for both rules."""
    return shared(dashboard, "metric-query-problems", _problems)


def _near(unknown):
    return closest(unknown.name, unknown.known)


def far_unknown_functions(dashboard):
    """[(path, name, column)] for each function a metrics query calls that is far from every documented one:
    it may be newer than the list, so R202 warns of it as it does in formulas; a near miss is R213."""
    return [
        (path, unknown.name, unknown.column)
        for path, _, parsed in _parsed(dashboard)
        for unknown in parsed.unknown
        if unknown.kind == "function" and _near(unknown) is None
    ]


def _marked(text, column):
    return f"{text[:column - 1]}»{text[column - 1:]}"


@rule("R212", "metric-query-syntax", Severity.ERROR)
def metric_query_syntax(dashboard):
    """A metrics query must follow Datadog's query grammar: `aggregator:metric{scope} by {tags}.function()`.

    An unbalanced brace, an empty scope `{}`, `by` without braces or a stray character makes Datadog refuse
    the query, and the widget shows an error instead of data.
    """
    for path, text, parsed in _parsed(dashboard):
        error = parsed.error
        if error is not None:
            yield (
                path,
                f"metric query does not parse at column {error.column}: expected {error.expected}, "
                f"found {error.found}",
                f"the query, » at column {error.column}: {_marked(text, error.column)}",
            )


@rule("R213", "metric-query-unknown-name", Severity.ERROR)
def metric_query_unknown_name(dashboard):
    """A metrics query names only Datadog's aggregators (avg, sum, min, max, count, pNN), in-query functions
    (.as_count(), .as_rate(), .rollup(), .fill(), .weighted()) and documented functions.

    Datadog refuses a query with an unknown one (`avgg:`, `.as_cont()`, `per_secnd(...)`). A function far
    from every documented one may be newer than the list: that is the warning R202, as in formulas.
    """
    for path, _, parsed in _parsed(dashboard):
        for unknown in parsed.unknown:
            near = _near(unknown)
            if near is None and unknown.kind == "function":
                continue
            yield (
                path,
                f"metric query uses the unknown {unknown.kind} {unknown.name!r} at column {unknown.column}"
                + (f"; did you mean {near!r}?" if near else ""),
                _KNOWN_HINTS.get(unknown.kind) or f"known: {', '.join(sorted(unknown.known))}",
            )
