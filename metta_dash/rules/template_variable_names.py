"""R304: template variable names are unique; presets name existing variables."""

from metta_dash.findings import Severity
from metta_dash.rules.base import dict_items, rule


@rule("R304", "template-variable-names", Severity.WARNING)
def template_variable_names(dashboard):
    """Template variable names should be unique, and presets should only set variables the dashboard has.

    With two variables of one name, `$name` is ambiguous; a preset entry for an unknown variable does nothing.
    """
    names = set()
    for index, variable in dict_items(dashboard.get("template_variables")):
        name = variable.get("name")
        if not isinstance(name, str):
            continue
        if name in names:
            yield (
                ("template_variables", index, "name"),
                f"template variable {name!r} is defined twice",
                "give each template variable its own name",
            )
        names.add(name)
    for preset_index, preset in dict_items(dashboard.get("template_variable_presets")):
        for index, variable in dict_items(preset.get("template_variables")):
            name = variable.get("name")
            if isinstance(name, str) and name not in names:
                yield (
                    ("template_variable_presets", preset_index, "template_variables", index, "name"),
                    f"preset sets {name!r}, which is not a template variable of this dashboard",
                    "define the template variable, or drop it from the preset",
                )
