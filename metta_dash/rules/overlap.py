"""R109: widgets do not overlap where positions are absolute."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, walk_widgets

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


@rule("R109", "widget-overlap", Severity.WARNING)
def widget_overlap(dashboard):
    """Widgets of a free-layout dashboard, and widgets inside one group, should not overlap.

    The API accepts overlapping widgets, but one hides the other. Inner widgets are placed relative to their
    group, so only widgets of the same container are compared.
    """
    for widgets in _containers(dashboard):
        if len(widgets) < 2:
            continue
        for index, other in sorted(_first_overlaps(widgets).items()):
            yield (
                widgets[index].path + ("layout",),
                f"widget overlaps widgets[{widgets[other].path[-1]}] of the same container",
                "move or resize one of them; compute positions with the layout helpers",
            )


def _first_overlaps(widgets):
    """{index of a widget: index of the first widget before it (in document order) that it overlaps}.

    A sweep from top to bottom: each widget is compared only with the widgets whose bottom is still below
    its top, one row or so on a grid, so a container of 10,000 widgets costs about 10,000 comparisons.
    Each box is (top, index, left, right, bottom), its right and bottom pulled in by EPSILON: two boxes overlap
    when each one's left is before the other's right, and the same vertically.
    """
    boxes = []
    for index, ref in enumerate(widgets):
        box = ref.box
        if box is not None:
            left, top, width, height = box
            boxes.append((top, index, left, left + width - EPSILON, top + height - EPSILON))
    boxes.sort()  # by top, then document order: no two boxes share an index, so the comparison ends there
    first: dict[int, int] = {}
    active: list[tuple[float, int, float, float, float]] = []
    for top, index, left, right, bottom in boxes:
        if active:
            active = [other for other in active if other[4] > top]
            for other_top, other_index, other_left, other_right, _ in active:
                if other_top < bottom and left < other_right and other_left < right:
                    later, earlier = max(index, other_index), min(index, other_index)
                    if earlier < first.get(later, later):
                        first[later] = earlier
        active.append((top, index, left, right, bottom))
    return first
