"""Where the generated schema departs from Datadog's OpenAPI spec, one documented list.

Each patch names its evidence:
- `corpus`: real dashboards Datadog ships (its integration dashboards, by file name) that the literal spec
  rejects although the server accepts them (spec lag). Without the patch, at least one of them fails;
  a test checks that.
- `api`: server behaviour seen by tools that push dashboards (API answers quoted in their issue threads): the spec is
  stricter than the server, or, for the `tighten` patches, the server rejects what the spec allows.

A patch that no longer applies (the spec caught up, or changed shape) stops generation with an error, so
the list never silently outlives its reason.

Places where the spec is stricter than the server and that need no patch in this spec version:
data_source `errors` (already in FormulaAndFunctionEventsDataSource), logs queries with `search` (in the
event query definition), `time: {}` (a legacy live span with no field), `description: null` (nullable),
`title_size` as a string (a string in the spec).

`x-message` and `x-hint` (annotations JSON Schema engines ignore) give the checker the words for a
constraint whose generic message would be unclear, such as a `not` or an `anyOf` of `required`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from metta_dash.errors import MettaDashError

Defs = dict[str, dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Patch:
    name: str
    reason: str
    change: Callable[[Defs], None]
    corpus: tuple[str, ...] = ()  # corpus dashboards the literal spec rejects (a sample when many)
    api: str = ""  # server behaviour, when the evidence is not in the corpus
    tighten: bool = False  # True when the patch rejects more than the spec (the server does)


class PatchDoesNotApply(MettaDashError):
    pass


def _def(defs: Defs, name: str) -> dict[str, Any]:
    if name not in defs:
        raise PatchDoesNotApply(f"schema patch target {name!r} is not in the spec")
    return defs[name]


def _prop(defs: Defs, name: str, prop: str) -> dict[str, Any]:
    properties = _def(defs, name).get("properties", {})
    if prop not in properties:
        raise PatchDoesNotApply(f"schema patch target {name}.{prop} is not in the spec")
    return properties[prop]


def add_property(name: str, prop: str, schema: dict[str, Any]) -> Callable[[Defs], None]:
    def change(defs: Defs) -> None:
        properties = _def(defs, name).setdefault("properties", {})
        if prop in properties:
            raise PatchDoesNotApply(
                f"{name}.{prop} is now in the spec", hint="remove the patch from metta_dash/schema/patches.py"
            )
        properties[prop] = schema
    return change


def add_enum_values(name: str, *values: Any) -> Callable[[Defs], None]:
    def change(defs: Defs) -> None:
        enum = _def(defs, name).get("enum")
        if enum is None or any(value in enum for value in values):
            raise PatchDoesNotApply(f"{name} enum already has {values!r} or is no enum")
        enum.extend(values)
    return change


def drop_keyword(name: str, keyword: str, prop: str | None = None) -> Callable[[Defs], None]:
    """Remove a constraint keyword from a definition (or from one of its properties)."""
    def change(defs: Defs) -> None:
        target = _prop(defs, name, prop) if prop else _def(defs, name)
        if keyword not in target:
            raise PatchDoesNotApply(f"{name}{'.' + prop if prop else ''} has no {keyword!r} any more")
        del target[keyword]
    return change


def set_property(name: str, prop: str, schema: dict[str, Any]) -> Callable[[Defs], None]:
    def change(defs: Defs) -> None:
        old = _prop(defs, name, prop)
        keep = {k: old[k] for k in ("description", "deprecated", "readOnly") if k in old}
        _def(defs, name)["properties"][prop] = {**keep, **schema}
    return change


def _combine(*changes: Callable[[Defs], None]) -> Callable[[Defs], None]:
    def change(defs: Defs) -> None:
        for each in changes:
            each(defs)
    return change


def _layout_xy_numbers(defs: Defs) -> None:
    for axis in ("x", "y"):
        set_property("WidgetLayout", axis, {"type": "number"})(defs)


def _required_unless_empty(name: str) -> Callable[[Defs], None]:
    def change(defs: Defs) -> None:
        target = _def(defs, name)
        required = target.pop("required", None)
        if not required:
            raise PatchDoesNotApply(f"{name} requires nothing any more")
        target["if"] = {"minProperties": 1}
        target["then"] = {"required": required}
    return change


def _tab_widget_references(defs: Defs) -> None:
    items = _prop(defs, "DashboardTab", "widget_ids")["items"]
    if items.get("type") != "integer":
        raise PatchDoesNotApply("DashboardTab.widget_ids items are no longer plain integers")
    items.clear()
    items["anyOf"] = [{"type": "integer"}, {"type": "string", "pattern": "^@[0-9]+$"}]


def _replace_required(name: str, *without: str) -> Callable[[Defs], None]:
    def change(defs: Defs) -> None:
        target = _def(defs, name)
        if not set(without) <= set(target.get("required", ())):
            raise PatchDoesNotApply(f"{name} no longer requires {without!r}")
        target["required"] = [p for p in target["required"] if p not in without]
    return change


def _daily_time_span(defs: Defs) -> None:
    time = _def(defs, "WidgetTime")
    if "oneOf" not in time:
        raise PatchDoesNotApply("WidgetTime is no longer a oneOf")
    defs["WidgetCalendarSpan"] = {
        "description": "A calendar-aligned span the server accepts although the spec lacks it.",
        "type": "object",
        "properties": {
            "type": {"enum": ["daily"]},
            "offset": {"type": "integer"},
            "hide_incomplete_cost_data": {"type": "boolean"},
        },
        "required": ["type"],
        "additionalProperties": False,
    }
    time["oneOf"].append({"$ref": "#/$defs/WidgetCalendarSpan"})


def _one_of_to_any_of(name: str) -> Callable[[Defs], None]:
    def change(defs: Defs) -> None:
        target = _def(defs, name)
        if "oneOf" not in target:
            raise PatchDoesNotApply(f"{name} is no longer a oneOf")
        target["anyOf"] = target.pop("oneOf")
    return change


def _not_both(name: str, first: str, second: str) -> Callable[[Defs], None]:
    def change(defs: Defs) -> None:
        _prop(defs, name, first)
        _prop(defs, name, second)
        _def(defs, name)["not"] = {"required": [first, second]}
        _def(defs, name)["x-message"] = f"'{first}' and '{second}' cannot both be set"
        _def(defs, name)["x-hint"] = f"'{first}' is the deprecated form of '{second}'; keep only '{second}'"
    return change


def _query_properties(properties: dict[str, Any]) -> list[str]:
    return sorted(p for p in properties if p in ("q", "queries", "query") or p.endswith("_query"))


def _requests_need_a_query(defs: Defs) -> None:
    touched = 0
    for name, target in defs.items():
        properties = target.get("properties", {})
        if not name.endswith("Request") or not ({"q", "queries"} & set(properties)):
            continue
        queries = _query_properties(properties)
        target["anyOf"] = [{"required": [prop]} for prop in queries]
        target["x-message"] = "the request has no query"
        target["x-hint"] = "set 'queries' (with 'formulas' and 'response_format'), or 'q', or one '*_query'"
        touched += 1
    if not touched:
        raise PatchDoesNotApply("no widget request definition has 'q' or 'queries'")


def _formula_requests_need_response_format(defs: Defs) -> None:
    touched = 0
    for target in defs.values():
        properties = target.get("properties", {})
        if "queries" in properties and "response_format" in properties and "formulas" in properties:
            target.setdefault("dependentRequired", {})["queries"] = ["response_format"]
            touched += 1
    if not touched:
        raise PatchDoesNotApply("no request definition has queries, formulas and response_format")


def _no_table_in_groups(defs: Defs) -> None:
    widgets = _prop(defs, "GroupWidgetDefinition", "widgets")
    if widgets.get("items") != {"$ref": "#/$defs/Widget"}:
        raise PatchDoesNotApply("GroupWidgetDefinition.widgets items are no longer plain widgets")
    widgets["items"] = {
        "$ref": "#/$defs/Widget",
        "properties": {"definition": {"properties": {"type": {
            "not": {"const": "table"},
            "x-message": "type 'table' is not allowed in group widgets",
        }}}},
    }


PATCHES: list[Patch] = [
    # Spec lag: real dashboards Datadog ships use these.
    Patch(
        "event-group-by-should-exclude-missing",
        "event-platform group_by entries carry should_exclude_missing",
        add_property("FormulaAndFunctionEventQueryGroupBy", "should_exclude_missing", {"type": "boolean"}),
        corpus=("integrations-core__avast__avast_threat_summary.json",
                "integrations-core__anyscale__anyscale_overview.json"),
    ),
    Patch(
        "request-style-color-order",
        "timeseries request styles carry color_order ('shuffled', 'monotonic') and order_reverse",
        _combine(
            add_property("TimeseriesRequestStyle", "color_order", {"type": "string"}),
            add_property("TimeseriesRequestStyle", "order_reverse", {"type": "boolean"}),
        ),
        corpus=("integrations-core__appgate_sdp__overview.json",
                "integrations-core__adyen__adyen_transactions.json"),
    ),
    Patch(
        "table-text-format-empty-rules",
        "query_table text_formats hold an empty rule list for columns without rules",
        drop_keyword("TableWidgetTextFormat", "minItems"),
        corpus=("integrations-core__appgate_sdp__overview.json",),
    ),
    Patch(
        "monitor-summary-status-options",
        "manage_status widgets carry show_status and last_triggered_format",
        _combine(
            add_property("MonitorSummaryWidgetDefinition", "show_status", {"type": "boolean"}),
            add_property("MonitorSummaryWidgetDefinition", "last_triggered_format", {"type": "string"}),
        ),
        corpus=("integrations-core__adyen__adyen_disputes.json",),
    ),
    Patch(
        "group-template-variables",
        "group widgets carry template_variables (an empty list in every shipped dashboard)",
        add_property("GroupWidgetDefinition", "template_variables", {"type": "array"}),
        corpus=("integrations-core__boundary__boundary_overview.json",),
    ),
    Patch(
        "group-reflow-type",
        "group widgets of fixed-reflow dashboards carry reflow_type",
        add_property("GroupWidgetDefinition", "reflow_type", {"$ref": "#/$defs/DashboardReflowType"}),
        corpus=("integrations-core__snmp__datacenter_overview.json",),
    ),
    Patch(
        "event-data-sources",
        "event-platform queries also read network_device_flows and database_queries",
        add_enum_values("FormulaAndFunctionEventsDataSource", "network_device_flows", "database_queries"),
        corpus=("integrations-core__snmp__netflow_monitoring.json",
                "integrations-core__sqlserver__SQLServer-Overview_dashboard.json"),
    ),
    Patch(
        "event-query-calculated-fields",
        "event-platform queries carry calculated_fields",
        add_property("FormulaAndFunctionEventQueryDefinition", "calculated_fields", {"type": "array"}),
        corpus=("integrations-core__iboss__iboss_real_time_digital_experience_analytics.json",),
    ),
    Patch(
        "process-query-filter",
        "process queries carry query_filter",
        add_property("FormulaAndFunctionProcessQueryDefinition", "query_filter", {"type": "string"}),
        corpus=("integrations-core__network_path__network_path_agents.json",),
    ),
    Patch(
        "number-format-precision",
        "formula number_format carries precision (a number of digits, or 'integer')",
        add_property("WidgetNumberFormat", "precision", {"type": ["integer", "string"]}),
        corpus=("integrations-core__iboss__iboss_real_time_zero_trust_analytics.json",
                "integrations-core__wlan__wlan_overview.json"),
    ),
    Patch(
        "scatterplot-formula-number-format",
        "scatterplot formulas carry number_format like other formulas",
        add_property("ScatterplotWidgetFormula", "number_format", {"$ref": "#/$defs/WidgetNumberFormat"}),
        corpus=("integrations-core__anthropic_usage_and_costs__anthropic_usage_and_costs_overview.json",),
    ),
    Patch(
        "topology-data-streams-empty-filters",
        "data-streams topology queries carry an empty filters list",
        drop_keyword("TopologyQueryDataStreams", "minItems", prop="filters"),
        corpus=("integrations-core__rabbitmq__rabbitmq_dashboard.json",),
    ),
    Patch(
        "change-request-sort",
        "change widget requests carry sort like toplist requests",
        add_property("ChangeWidgetRequest", "sort", {"$ref": "#/$defs/WidgetSortBy"}),
        corpus=("integrations-core__snowflake__snowflake_costs.json",),
    ),
    Patch(
        "layout-xy-any-number",
        "layout x/y are floats (x: 2.03e-07, -3.55e-15) and even negative (y: -13) in shipped dashboards",
        _layout_xy_numbers,
        corpus=("integrations-core__kubernetes__kubernetes_statefulsets.json",
                "integrations-core__marathon__marathon-overview_dashboard.json",
                "integrations-core__hivemq__hivemq.json"),
    ),
    Patch(
        "conditional-format-empty",
        "a conditional format may be an empty object; a non-empty one needs comparator, value and palette",
        _required_unless_empty("WidgetConditionalFormat"),
        corpus=("integrations-core__activemq__activemq_dashboard.json",),
    ),
    Patch(
        "palette-purple-on-white",
        "conditional formats use the purple_on_white palette",
        add_enum_values("WidgetPalette", "purple_on_white"),
        corpus=("integrations-core__openai__usage_admin_overview_dashboard.json",),
    ),
    # Spec stricter than the server (API behaviour seen by tools that push dashboards).
    Patch(
        "dashboard-deleted-at",
        "GET returns the read-only deleted_at; exported dashboards carry it",
        add_property("Dashboard", "deleted_at", {"type": ["string", "null"], "readOnly": True}),
        api="read-only fields of a GET response",
    ),
    Patch(
        "tab-widget-references",
        "tabs[].widget_ids may name widgets by '@N' strings as well as by id",
        _tab_widget_references,
        api="the server accepts '@N' widget references in tabs",
    ),
    Patch(
        "list-stream-two-requests",
        "list_stream widgets are accepted with two requests",
        set_property("ListStreamWidgetDefinition", "requests", {
            "type": "array", "minItems": 1, "maxItems": 2, "items": {"$ref": "#/$defs/ListStreamWidgetRequest"},
        }),
        api="the server accepts list_stream with two requests",
    ),
    Patch(
        "formula-sort-without-index",
        "a formula sort without index is accepted",
        _replace_required("WidgetFormulaSort", "index"),
        api="the server accepts formula sorts without index",
    ),
    Patch(
        "widget-time-daily",
        "widget time {type: daily, offset: 0} is accepted",
        _daily_time_span,
        api="the server accepts a daily calendar span",
    ),
    Patch(
        "wildcard-request-overlap",
        "the wildcard request variants overlap (a formula request fits several); any one must fit, not one only",
        _one_of_to_any_of("WildcardWidgetRequest"),
        api="the server accepts wildcard requests that fit several variants",
    ),
    # Tightened: the server rejects these although the spec allows them.
    Patch(
        "template-variable-default-or-defaults",
        "a template variable with both default and defaults is rejected ('template_variables' is invalid)",
        _not_both("DashboardTemplateVariable", "default", "defaults"),
        api="live API error", tighten=True,
    ),
    Patch(
        "preset-value-or-values",
        "a template variable preset value with both value and values is rejected",
        _not_both("DashboardTemplateVariablePresetValue", "value", "values"),
        api="live API error", tighten=True,
    ),
    Patch(
        "request-needs-query",
        "a widget request with no query (only style, say) is rejected",
        _requests_need_a_query,
        api="live API error", tighten=True,
    ),
    Patch(
        "formula-request-response-format",
        "a request with formulas and queries but no response_format is rejected",
        _formula_requests_need_response_format,
        api="live API error", tighten=True,
    ),
    Patch(
        "group-no-table",
        "a widget of type 'table' inside a group is rejected ('Widget type 'table' is not allowed in group widgets')",
        _no_table_in_groups,
        api="live API error", tighten=True,
    ),
]


def apply_all(defs: Defs, patches: list[Patch] | None = None) -> None:
    for patch in PATCHES if patches is None else patches:
        try:
            patch.change(defs)
        except PatchDoesNotApply as error:
            raise PatchDoesNotApply(f"schema patch {patch.name!r}: {error.message}", error.hint) from None
