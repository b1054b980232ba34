"""R203: query names are unique within a request."""

from metta_dash.findings import Severity
from metta_dash.rules.base import dict_items, rule, walk_requests


@rule("R203", "duplicate-query-name", Severity.WARNING)
def duplicate_query_name(dashboard):
    """Queries of one request should have distinct `name`s, or formulas cannot tell them apart."""
    for _, path, request in walk_requests(dashboard):
        queries = request.get("queries")
        if not isinstance(queries, list) or len(queries) < 2:
            continue
        seen = set()
        for index, query in dict_items(queries):
            name = query.get("name")
            if not isinstance(name, str):
                continue
            if name in seen:
                yield (
                    path + ("queries", index, "name"),
                    f"query name {name!r} is used twice in this request",
                    "give each query its own name and refer to it in the formulas",
                )
            seen.add(name)
