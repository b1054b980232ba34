"""R104: groups live on ordered dashboards only."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, top_level_widgets

GROUP_TYPES = ("group", "powerpack")


@rule("R104", "group-on-free-layout", Severity.ERROR)
def group_on_free_layout(dashboard):
    """Group and powerpack widgets are only allowed on ordered dashboards, not on free-layout ones."""
    if dashboard.get("layout_type") != "free":
        return
    for ref in top_level_widgets(dashboard):
        if ref.type in GROUP_TYPES:
            yield (
                ref.path + ("definition", "type"),
                f"{ref.type} widget on a free-layout dashboard",
                "free dashboards cannot hold groups: place the widgets directly, or make the dashboard ordered",
            )
