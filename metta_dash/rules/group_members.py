"""R105: what a group may hold: no nested groups, no powerpacks, no legacy 'table' type."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, walk_widgets

REASONS = {
    "group": ("a group inside a group: groups cannot be nested",
              "move the inner group's widgets into the outer group, or make it a top-level group"),
    "powerpack": ("a powerpack inside a group: a powerpack is a group of its own and cannot be nested",
                  "move the powerpack to the top level of the dashboard"),
    "table": ("widget type 'table' inside a group (the API answers \"Widget type 'table' is not allowed in "
              "group widgets\")",
              "the table widget's type is query_table"),
}


@rule("R105", "group-member-type", Severity.ERROR)
def group_member_type(dashboard):
    """A group holds plain widgets: no group or powerpack inside it (groups are one level deep), no 'table'.

    The API rejects nested groups and answers "Widget type 'table' is not allowed in group widgets" for the
    legacy type name (the table widget is `query_table`).
    """
    for ref in walk_widgets(dashboard):
        if ref.parent is not None and ref.type in REASONS:
            message, hint = REASONS[ref.type]
            yield ref.path + ("definition", "type"), message, hint
