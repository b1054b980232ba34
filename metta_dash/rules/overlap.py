"""R109: widgets do not overlap where positions are absolute."""

from metta_dash.findings import Severity
from metta_dash.rules.base import layout_box, rule, walk_widgets

# Corpus layouts carry float noise such as x: 2.03e-07; touching edges are not overlaps.
EPSILON = 1e-6


def _containers(dashboard):
    """Lists of widgets that share one coordinate space.

    The top level of an ordered dashboard is excluded: there widgets are placed in list order and their
    stored positions are only hints (Datadog's own dashboards have stale ones).
    """
    free = dashboard.get("layout_type") == "free"
    containers = {}  # keyed by the group's WidgetRef, None for the top level
    for ref in walk_widgets(dashboard):
        if ref.parent is not None or free:
            containers.setdefault(ref.parent, []).append(ref)
    return containers.values()


def _edges(box):
    """(left, top, right, bottom) of an (x, y, width, height) box, right and bottom pulled in by EPSILON.

    Two boxes overlap when each one's left is before the other's right, and the same vertically.
    """
    x, y, width, height = box
    return x, y, x + width - EPSILON, y + height - EPSILON


@rule("R109", "widget-overlap", Severity.WARNING)
def widget_overlap(dashboard):
    """Widgets of a free-layout dashboard, and widgets inside one group, should not overlap.

    The API accepts overlapping widgets, but one hides the other. Inner widgets are placed relative to their
    group, so only widgets of the same container are compared.
    """
    for widgets in _containers(dashboard):
        if len(widgets) < 2:
            continue
        placed = []
        for ref in widgets:
            box = layout_box(ref.layout)
            if box is None:
                continue
            left, top, right, bottom = _edges(box)
            for other, other_left, other_top, other_right, other_bottom in placed:
                # Vertical first: widgets of earlier rows fail the first test, and most pairs are those.
                if top < other_bottom and other_top < bottom and left < other_right and other_left < right:
                    yield (
                        ref.path + ("layout",),
                        f"widget overlaps widgets[{other.path[-1]}] of the same container",
                        "move or resize one of them; compute positions with the layout helpers",
                    )
                    break
            placed.append((ref, left, top, right, bottom))
