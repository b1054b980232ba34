"""What Datadog is known to refuse although the schema alone would only call it unknown: one curated list.

The schema grades what it cannot match by how far it is from what the spec knows. A property or value far
from every known one is a warning (it may be a feature newer than the published spec); these entries are
the exceptions, errors because the live API has refused them. Each names its evidence: the server's
answer as quoted by tools that push dashboards (terraform-provider-datadog, datadog-sync-cli, kennel,
grizzly issue threads), collected in the project's API notes.

Refusals the spec itself cannot express are schema patches that tighten it (`patches.py`, `tighten=True`);
their findings are errors already.
"""

from __future__ import annotations

from typing import Any, NamedTuple

ANYWHERE = "*"
_NO_VALUE = object()


class Refusal(NamedTuple):
    """One refused property (or value of a property) on one widget type (`dashboard`, or `*` for any place).

    `kind` is "property" (an unknown property the server rejects), "value" (a value of `prop` it rejects)
    or "required" (a required `prop` of the object at key `where_key` the server insists on even when the
    object holds other, unknown properties).
    """

    name: str
    kind: str
    widget: str
    prop: str
    hint: str
    evidence: str
    value: Any = _NO_VALUE
    where_key: str = ""


LIVE_API = "live API error quoted in push tools' issue threads"

REFUSALS: tuple[Refusal, ...] = (
    Refusal(
        "note-title", "property", "note", "title",
        "note widgets have no title: put a heading in 'content' (Markdown)",
        f"{LIVE_API}: note widget with 'title' (Additional properties are not allowed)",
    ),
    Refusal(
        "group-title-size", "property", "group", "title_size", "group widgets take no title_size",
        f"{LIVE_API}: group widget with 'title_size'",
    ),
    Refusal(
        "timeseries-custom-unit", "property", "timeseries", "custom_unit",
        "custom_unit is for query_value widgets; set units with number_format",
        f"{LIVE_API}: timeseries widget with 'custom_unit'",
    ),
    Refusal(
        "toplist-custom-unit", "property", "toplist", "custom_unit",
        "custom_unit is for query_value widgets; set units with number_format",
        f"{LIVE_API}: toplist widget with 'custom_unit'",
    ),
    Refusal(
        "ui-export-viz", "property", ANYWHERE, "viz",
        "'viz' comes from the UI's export format, which the API does not take: remove it",
        f"{LIVE_API}: UI-export 'viz' rejected as an unknown property",
    ),
    Refusal(
        "private-widget-share", "property", ANYWHERE, "private_widget_share",
        "'private_widget_share' is UI state the API does not take: remove it",
        f"{LIVE_API}: 'private_widget_share' rejected as an unknown property",
    ),
    Refusal(
        "event-size-empty", "value", ANYWHERE, "event_size",
        "event_size is 's' or 'l'; leave it out for the default",
        f"{LIVE_API}: list_stream/event_stream event_size: \"\"", value="",
    ),
    Refusal(
        "display-type-lines", "value", ANYWHERE, "display_type", "the display type is 'line'",
        f"{LIVE_API}: timeseries request with display_type: lines (invalid enum)", value="lines",
    ),
    Refusal(
        "wildcard-raw-vega-lite", "required", "wildcard", "type",
        "wrap the Vega-Lite document: {\"type\": \"vega-lite\", \"contents\": {...}}",
        f"{LIVE_API}: wildcard specification holding raw Vega-Lite ('type' is a required property)",
        where_key="specification",
    ),
    Refusal(
        "wildcard-raw-vega-lite-contents", "required", "wildcard", "contents",
        "wrap the Vega-Lite document: {\"type\": \"vega-lite\", \"contents\": {...}}",
        f"{LIVE_API}: wildcard specification holding raw Vega-Lite ('type' is a required property)",
        where_key="specification",
    ),
)


def _applies(refusal: Refusal, widget: str | None) -> bool:
    return refusal.widget == ANYWHERE or refusal.widget == (widget or "dashboard")


def refused_property(widget: str | None, prop: str) -> Refusal | None:
    """The refusal of an unknown `prop` on a `widget` type (None: outside widgets), if curated."""
    for refusal in REFUSALS:
        if refusal.kind == "property" and refusal.prop == prop and _applies(refusal, widget):
            return refusal
    return None


def refused_value(widget: str | None, prop: str, value: Any) -> Refusal | None:
    for refusal in REFUSALS:
        if (refusal.kind == "value" and refusal.prop == prop and refusal.value == value
                and type(refusal.value) is type(value) and _applies(refusal, widget)):
            return refusal
    return None


def refused_absence(widget: str | None, where_key: Any, prop: str) -> Refusal | None:
    for refusal in REFUSALS:
        if (refusal.kind == "required" and refusal.prop == prop and refusal.where_key == where_key
                and _applies(refusal, widget)):
            return refusal
    return None
