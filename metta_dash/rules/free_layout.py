"""R101: every widget of a free-layout dashboard has a layout."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, top_level_widgets


@rule("R101", "free-layout-widget-position", Severity.ERROR)
def free_layout_widget_position(dashboard):
    """Every widget of a free-layout dashboard needs a `layout` (x, y, width, height).

    A free dashboard places widgets only where their layout says; the API rejects a widget without one.
    """
    if dashboard.get("layout_type") != "free":
        return
    for ref in top_level_widgets(dashboard):
        if ref.widget.get("layout") is None:
            yield (
                ref.path,
                "widget has no layout on a free-layout dashboard",
                "give it a layout {x, y, width, height}; free dashboards do not place widgets on their own",
            )
