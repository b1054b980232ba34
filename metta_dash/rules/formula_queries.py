"""R201: formulas reference queries defined in the same request."""

from metta_dash.findings import Severity
from metta_dash.rules.base import dict_items, rule, walk_requests
from metta_dash.rules.formula_syntax import query_references


@rule("R201", "formula-unknown-query", Severity.ERROR)
def formula_unknown_query(dashboard):
    """Every name in a formula must be the `name` of a query in the same request (function names aside).

    `query1 + query9` with no query named `query9` fails when the widget runs.
    """
    for _, path, request in walk_requests(dashboard):
        formulas = request.get("formulas")
        if not isinstance(formulas, list) or not formulas:
            continue
        names = {name for _, query in dict_items(request.get("queries")) if isinstance(name := query.get("name"), str)}
        for index, formula in dict_items(formulas):
            expression = formula.get("formula")
            if not isinstance(expression, str):
                continue
            references = query_references(expression)
            if names.issuperset(references):
                continue
            unknown = [name for name in references if name not in names]
            if unknown:
                defined = ", ".join(sorted(names)) or "none"
                yield (
                    path + ("formulas", index, "formula"),
                    f"formula uses {', '.join(dict.fromkeys(unknown))}, not a query of this request "
                    f"(queries: {defined})",
                    "name a query in this request's queries, or fix the formula",
                )
