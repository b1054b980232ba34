"""R102: under `reflow_type: fixed`, top-level widgets have a full layout."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, top_level_widgets

LAYOUT_KEYS = ("x", "y", "width", "height")
FULL_LAYOUT = frozenset(LAYOUT_KEYS)


@rule("R102", "fixed-reflow-widget-position", Severity.ERROR)
def fixed_reflow_widget_position(dashboard):
    """Under `reflow_type: fixed`, every top-level widget except a group needs x, y, width and height.

    The API answers "MSL widget out of grid. 'x' is a required property". Groups without a layout are
    accepted (Datadog's own dashboards ship them), so they are left alone.
    """
    if dashboard.get("layout_type") != "ordered" or dashboard.get("reflow_type") != "fixed":
        return
    for ref in top_level_widgets(dashboard):
        layout = ref.widget.get("layout")
        if layout is None:
            if ref.type == "group":
                continue
            yield (
                ref.path,
                "widget has no layout under reflow_type fixed (the API answers \"MSL widget out of grid. "
                "'x' is a required property\")",
                "give it a layout {x, y, width, height} or use reflow_type auto",
            )
        elif isinstance(layout, dict) and not layout.keys() >= FULL_LAYOUT:  # one set test: most layouts are full
            missing = [key for key in LAYOUT_KEYS if key not in layout]
            if missing:
                yield (
                    ref.path + ("layout",),
                    f"layout lacks {', '.join(missing)} under reflow_type fixed (the API answers \"MSL widget "
                    f"out of grid. '{missing[0]}' is a required property\")",
                    "a fixed grid needs all of x, y, width and height",
                )
