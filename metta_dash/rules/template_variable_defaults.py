"""R302: template variable defaults are given once and are not empty."""

from metta_dash.findings import Severity
from metta_dash.rules.base import dict_items, rule


@rule("R302", "template-variable-defaults", Severity.ERROR)
def template_variable_defaults(dashboard):
    """A template variable takes `default` or `defaults`, not both, and `defaults` holds no empty string.

    The API rejects both forms together ("'template_variables' is invalid") and rejects `defaults: [""]`.
    """
    for index, variable in dict_items(dashboard.get("template_variables")):
        path = ("template_variables", index)
        if "default" in variable and "defaults" in variable:
            yield (
                path,
                f"template variable {variable.get('name')!r} has both default and defaults",
                "keep only defaults (a list); default is the deprecated single-value form",
            )
        defaults = variable.get("defaults")
        if isinstance(defaults, list):
            for position, value in enumerate(defaults):
                if value == "":
                    yield (
                        path + ("defaults", position),
                        f"template variable {variable.get('name')!r} has an empty default",
                        "use [\"*\"] for no filter, or leave defaults out",
                    )
