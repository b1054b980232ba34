"""R303: saved-view presets give `value` or a non-empty `values`."""

from metta_dash.findings import Severity
from metta_dash.rules.base import dict_items, rule


@rule("R303", "preset-values", Severity.ERROR)
def preset_values(dashboard):
    """A preset's template variable takes `value` or `values`, not both, and `values` is not empty.

    The API rejects both forms together and rejects `values: []`.
    """
    for preset_index, preset in dict_items(dashboard.get("template_variable_presets")):
        for index, variable in dict_items(preset.get("template_variables")):
            path = ("template_variable_presets", preset_index, "template_variables", index)
            if "value" in variable and "values" in variable:
                yield (
                    path,
                    f"preset variable {variable.get('name')!r} has both value and values",
                    "keep only values (a list); value is the deprecated single-value form",
                )
            elif variable.get("values") == []:
                yield (
                    path + ("values",),
                    f"preset variable {variable.get('name')!r} has an empty values list",
                    "give at least one value, or leave the variable out of the preset",
                )
