"""Every formula of a dashboard's requests, read in one pass for the formula rules (R201/R211, R202/R210)."""

from metta_dash.rules.base import shared, walk_requests
from metta_dash.rules.formula_syntax import FUNCTIONS, names_used
from metta_dash.suggest import closest


def formula_problems(dashboard):
    """[(path, unknown query names, the request's query names, its query count, [(unknown function, near miss
    or None), ...])] for each formula naming a query its request lacks or calling an undocumented function.

    Worked out once for the four rules: one walk of the formulas instead of one per pair of rules.
    """
    return shared(dashboard, "formula-problems", lambda dashboard: list(_find_problems(dashboard)))


def _find_problems(dashboard):
    for _, path, request in walk_requests(dashboard):
        formulas = request.get("formulas")
        if not isinstance(formulas, list) or not formulas:
            continue
        queries = request.get("queries")
        names = set()  # the string `name`s of the request's queries, in a plain loop: this runs for every request
        count = 0
        if isinstance(queries, list):
            count = len(queries)
            for query in queries:
                if isinstance(query, dict):
                    name = query.get("name")
                    if isinstance(name, str):
                        names.add(name)
        # A plain loop rather than base.dict_items: this runs for nearly every request.
        for index, formula in enumerate(formulas):
            expression = formula.get("formula") if isinstance(formula, dict) else None
            if not isinstance(expression, str):
                continue
            references, functions = names_used(expression)
            if names.issuperset(references):
                if not functions:
                    continue
                unknown = []
            else:
                unknown = list(dict.fromkeys(name for name in references if name not in names))
            calls = [(name, closest(name, FUNCTIONS)) for name in dict.fromkeys(functions)]
            yield path + ("formulas", index, "formula"), unknown, names, count, calls
