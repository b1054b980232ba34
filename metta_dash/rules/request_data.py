"""R206: every request asks for data."""

import functools

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, walk_requests

DATA_KEYS = frozenset({"q", "queries", "query", "request_type", "node_type"})


def has_data(request):
    return not DATA_KEYS.isdisjoint(request) or any(key.endswith("_query") for key in request)


@functools.cache
def known_request_keys():
    """Every property some widget request of the published spec has."""
    from metta_dash.schema import load_schema

    return frozenset(
        prop for name, definition in load_schema()["$defs"].items() if name.endswith("Request")
        for prop in definition.get("properties", ())
    )


@rule("R206", "request-without-query", Severity.ERROR)
def request_without_query(dashboard):
    """A request must hold a query (`q`, `queries`, `log_query`, `apm_query`, ...), not only display settings.

    A request with only `style` or `display_type` is rejected by the API. A request holding properties no
    request of the published spec has may be a newer shape: the schema check reports it as such instead.
    """
    for _, path, request in walk_requests(dashboard):
        if not has_data(request) and known_request_keys().issuperset(request):
            keys = ", ".join(sorted(request)) or "nothing"
            yield (
                path,
                f"request has no query (it holds {keys})",
                "add queries + formulas (or q), or drop the request",
            )
