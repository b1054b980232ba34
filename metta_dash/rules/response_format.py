"""R204: formulas-and-functions requests say their response_format."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, walk_requests

# What each widget type reads; the API default is nothing, so the request must say it.
EXPECTED_FORMAT = {
    "timeseries": "timeseries",
    "heatmap": "timeseries",
    "query_value": "scalar",
    "toplist": "scalar",
    "query_table": "scalar",
    "change": "scalar",
    "sunburst": "scalar",
    "treemap": "scalar",
    "distribution": "scalar",
    "geomap": "scalar",
    "list_stream": "event_list",
}


@rule("R204", "missing-response-format", Severity.ERROR)
def missing_response_format(dashboard):
    """A request with `queries` and `formulas` (formulas and functions) needs `response_format`.

    The API rejects such a request without it: 'timeseries' for timeseries and heatmap widgets,
    'scalar' for query_value, toplist, query_table, change, sunburst, treemap, geomap and distribution.
    (Requests of newer shapes, such as query_table's `columns` and `rows`, carry no formulas.)
    """
    for ref, path, request in walk_requests(dashboard):
        if "queries" in request and "formulas" in request and "response_format" not in request:
            expected = EXPECTED_FORMAT.get(ref.type)
            hint = (f"add \"response_format\": \"{expected}\"" if expected
                    else "add response_format: timeseries, scalar or event_list")
            yield path, "request has queries but no response_format", hint
