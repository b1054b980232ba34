"""R202 and R210: formulas call functions Datadog knows; a near miss of one is a typo.

R202 also covers the functions of metrics queries (`q`), whose near misses are R213."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule
from metta_dash.rules.formulas import formula_problems
from metta_dash.rules.metric_query_checks import far_unknown_functions

FUNCTIONS_DOC = "https://docs.datadoghq.com/dashboards/functions/"


def _unknown_calls(dashboard):
    """[(path, [(name, near miss or None), ...])] for each formula calling unknown functions."""
    return [(path, calls) for path, _, _, _, calls in formula_problems(dashboard) if calls]


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
