"""R107: at most one column break."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, top_level_widgets


@rule("R107", "single-column-break", Severity.ERROR)
def single_column_break(dashboard):
    """At most one top-level widget may set `layout.is_column_break`.

    An ordered dashboard splits into two columns at most; a second break is rejected.
    """
    first = None
    for ref in top_level_widgets(dashboard):
        layout = ref.layout
        if layout is None or layout.get("is_column_break") is not True:
            continue
        if first is None:
            first = ref.path
            continue
        yield (
            ref.path + ("layout", "is_column_break"),
            f"second column break (the first is at widgets[{first[-1]}])",
            "keep is_column_break on one widget only",
        )
