"""R201: formulas reference queries defined in the same request."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, walk_requests
from metta_dash.rules.formula_syntax import query_references


def query_names(queries):
    """The string `name`s of a request's queries."""
    if not isinstance(queries, list):
        return set()
    return {name for query in queries if isinstance(query, dict) and isinstance(name := query.get("name"), str)}


@rule("R201", "formula-unknown-query", Severity.ERROR)
def formula_unknown_query(dashboard):
    """Every name in a formula must be the `name` of a query in the same request (function names aside).

    `query1 + query9` with no query named `query9` fails when the widget runs.
    """
    for _, path, request in walk_requests(dashboard):
        formulas = request.get("formulas")
        if not isinstance(formulas, list) or not formulas:
            continue
        names = query_names(request.get("queries"))
        # A plain loop rather than base.dict_items: this runs for nearly every request.
        for index, formula in enumerate(formulas):
            expression = formula.get("formula") if isinstance(formula, dict) else None
            if not isinstance(expression, str):
                continue
            references = query_references(expression)
            if names.issuperset(references):
                continue
            unknown = [name for name in references if name not in names]
            defined = ", ".join(sorted(names)) or "none"
            yield (
                path + ("formulas", index, "formula"),
                f"formula uses {', '.join(dict.fromkeys(unknown))}, not a query of this request (queries: {defined})",
                "name a query in this request's queries, or fix the formula",
            )
