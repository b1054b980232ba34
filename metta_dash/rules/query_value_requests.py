"""R207: a query_value widget has exactly one request."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, walk_widgets


@rule("R207", "query-value-single-request", Severity.ERROR)
def query_value_single_request(dashboard):
    """A query_value widget shows one number, so it takes one request; the API rejects a second.

    Combine several queries with a formula inside that single request.
    """
    for ref in walk_widgets(dashboard):
        if ref.type != "query_value":
            continue
        requests = ref.definition.get("requests")
        if isinstance(requests, list) and len(requests) > 1:
            yield (
                ref.path + ("definition", "requests", 1),
                f"query_value widget has {len(requests)} requests; it takes one",
                "put the queries in one request and combine them with a formula",
            )
