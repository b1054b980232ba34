"""R103: `reflow_type` belongs to ordered dashboards only."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule


@rule("R103", "reflow-type-on-free-layout", Severity.ERROR)
def reflow_type_on_free_layout(dashboard):
    """`reflow_type` is only allowed on ordered dashboards.

    A free-layout dashboard has no reflow; the API rejects the field there.
    """
    if dashboard.get("layout_type") == "free" and dashboard.get("reflow_type") is not None:
        yield (
            ("reflow_type",),
            "reflow_type is set on a free-layout dashboard",
            "remove reflow_type, or make the dashboard layout_type ordered",
        )
