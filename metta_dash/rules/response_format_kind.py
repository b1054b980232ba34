"""R205: response_format matches what the widget shows."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, walk_requests
from metta_dash.rules.response_format import EXPECTED_FORMAT

ALSO_ACCEPTED = {"geomap": {"event_list"}}


@rule("R205", "response-format-mismatch", Severity.WARNING)
def response_format_mismatch(dashboard):
    """`response_format` should match the widget: 'timeseries' for timeseries and heatmap, 'scalar' for
    single-value and table-like widgets, 'event_list' for list_stream.

    A timeseries widget fed scalar data (or the reverse) shows nothing useful.
    """
    for ref, path, request in walk_requests(dashboard):
        given = request.get("response_format")
        expected = EXPECTED_FORMAT.get(ref.type)
        if not isinstance(given, str) or expected is None or given == expected:
            continue
        if given in ALSO_ACCEPTED.get(ref.type, ()):
            continue
        yield (
            path + ("response_format",),
            f"response_format {given!r} on a {ref.type} widget, which shows {expected!r} data",
            f"use \"response_format\": \"{expected}\"",
        )
