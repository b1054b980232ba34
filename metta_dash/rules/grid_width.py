"""R106: ordered dashboards are 12 columns wide."""

from metta_dash.findings import Severity
from metta_dash.rules.base import GRID_COLUMNS, rule, walk_widgets


@rule("R106", "grid-width", Severity.ERROR)
def grid_width(dashboard):
    """On an ordered dashboard a widget must fit the 12-column grid: x + width <= 12, inside groups too.

    Free-layout dashboards are not bounded to 12 columns.
    """
    if dashboard.get("layout_type") != "ordered":
        return
    for ref in walk_widgets(dashboard):
        x, width = ref.x, ref.width
        if x is None or width is None:
            continue
        right = x + width
        if right > GRID_COLUMNS:
            where = " (inside a group)" if ref.parent is not None else ""
            yield (
                ref.path + ("layout",),
                f"x + width = {x:g} + {width:g} = {right:g} goes past the "
                f"{GRID_COLUMNS}-column grid{where}",
                f"keep x + width <= {GRID_COLUMNS} (x counts from 0)",
            )
