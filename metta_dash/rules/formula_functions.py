"""R202: formulas call functions Datadog knows."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, walk_requests
from metta_dash.rules.formula_syntax import unknown_functions


@rule("R202", "formula-unknown-function", Severity.WARNING)
def formula_unknown_function(dashboard):
    """A function called in a formula should be one of Datadog's documented functions.

    An unknown name (a typo such as `per_secnd`) makes the widget fail to load its data.
    """
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
                yield (
                    path + ("formulas", index, "formula"),
                    f"formula calls {', '.join(dict.fromkeys(unknown))}, not a documented Datadog function",
                    "check the spelling against https://docs.datadoghq.com/dashboards/functions/",
                )
