"""R108: widgets inside a group fit the group's width."""

from metta_dash.findings import Severity
from metta_dash.rules.base import GRID_COLUMNS, rule, walk_widgets


@rule("R108", "group-width", Severity.WARNING)
def group_width(dashboard):
    """A widget inside a group should fit the group's own width: x + width <= the group's layout width.

    A group of width 6 lays its widgets out on 6 columns; a wider inner widget is cut or reflowed.
    """
    for ref in walk_widgets(dashboard):
        group = ref.parent
        if group is None:
            continue
        group_columns, x, width = group.width, ref.x, ref.width
        if group_columns is None or x is None or width is None:
            continue
        right = x + width
        if group_columns < right <= GRID_COLUMNS:  # past 12 is R106's finding
            yield (
                ref.path + ("layout",),
                f"x + width = {right:g} is wider than its group (width {group_columns:g})",
                "shrink or move the widget, or widen the group",
            )
