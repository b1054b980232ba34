"""R110: widget ids are unique."""

from metta_dash.findings import Severity
from metta_dash.findings import format_path as jsonpath
from metta_dash.rules.base import rule, walk_widgets


@rule("R110", "duplicate-widget-id", Severity.ERROR)
def duplicate_widget_id(dashboard):
    """Widget ids must be unique across the dashboard, groups' inner widgets included."""
    seen = {}
    for ref in walk_widgets(dashboard):
        widget_id = ref.widget.get("id")
        if widget_id is None or isinstance(widget_id, (dict, list)):  # a tuple is faster than dict | list
            continue
        if widget_id in seen:
            yield (
                ref.path + ("id",),
                f"widget id {widget_id} is already used by {jsonpath(seen[widget_id])}",
                "drop the id (Datadog assigns one) or make it unique",
            )
        else:
            seen[widget_id] = ref.path
