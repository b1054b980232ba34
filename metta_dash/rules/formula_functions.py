"""R202 and R210: formulas call functions Datadog knows; a near miss of one is a typo.

R202 also covers the functions of metrics queries (`q`), whose near misses are R213."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, shared, walk_requests
from metta_dash.rules.formula_syntax import FUNCTIONS, unknown_functions
from metta_dash.rules.metric_query_checks import far_unknown_functions
from metta_dash.suggest import closest

FUNCTIONS_DOC = "https://docs.datadoghq.com/dashboards/functions/"


def _unknown_calls(dashboard):
    """[(path, [(name, near miss or None), ...])] for each formula calling unknown functions, worked out once
    for both rules."""
    return shared(dashboard, "formula-unknown-calls", lambda dashboard: list(_find_unknown_calls(dashboard)))


def _find_unknown_calls(dashboard):
    for _, path, request in walk_requests(dashboard):
        formulas = request.get("formulas")
        if not isinstance(formulas, list):
            continue
        # A plain loop rather than base.dict_items: this runs for nearly every request.
        for index, formula in enumerate(formulas):
            expression = formula.get("formula") if isinstance(formula, dict) else None
            if not isinstance(expression, str):
                continue
            unknown = unknown_functions(expression)
            if unknown:
                yield path + ("formulas", index, "formula"), [(name, closest(name, FUNCTIONS)) for name in
                                                              dict.fromkeys(unknown)]


@rule("R202", "formula-unknown-function", Severity.WARNING)
def formula_unknown_function(dashboard):
    """A function called in a formula or a metrics query should be one of Datadog's documented functions.

    A name far from every documented one may be a function newer than this list; a near miss is R210 (R213
    in a metrics query).
    """
    for path, calls in _unknown_calls(dashboard):
        far = [name for name, near in calls if near is None]
        if far:
            yield (path, f"formula calls {', '.join(far)}, not a documented Datadog function",
                   f"check the name against {FUNCTIONS_DOC}")
    for path, name, column in far_unknown_functions(dashboard):
        yield (path, f"metric query calls {name} at column {column}, not a documented Datadog function",
               f"check the name against {FUNCTIONS_DOC}")


@rule("R210", "formula-function-typo", Severity.ERROR)
def formula_function_typo(dashboard):
    """A function called in a formula is a near miss of a documented Datadog function (`timeshit`).

    Datadog cannot evaluate the formula, so the widget shows an error instead of data.
    """
    for path, calls in _unknown_calls(dashboard):
        for name, near in calls:
            if near is not None:
                yield (path, f"formula calls {name}, not a Datadog function; did you mean {near}?",
                       f"the documented functions: {FUNCTIONS_DOC}")
