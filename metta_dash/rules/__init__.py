"""Semantic rules: checks on a dashboard that a JSON schema cannot express.

One rule per module, each with a stable id (R1xx layout, R2xx requests and queries, R3xx dashboard
settings, R4xx widget specifics), a slug and a default severity: error for what the Datadog API rejects,
warning for likely mistakes it accepts. `RULES` below is the one registry.
"""

from __future__ import annotations

from typing import Any

from metta_dash.findings import Finding, Severity
from metta_dash.rules import (
    column_breaks,
    dashboard_tags,
    fixed_reflow_layout,
    formula_functions,
    formula_queries,
    free_layout,
    grid_width,
    group_members,
    group_placement,
    group_width,
    metric_query_checks,
    metric_query_series,
    overlap,
    palette_typo,
    preset_values,
    query_names,
    query_value_requests,
    reflow_type,
    request_data,
    response_format,
    response_format_kind,
    template_references,
    template_variable_defaults,
    template_variable_names,
    title_width,
    widget_ids,
    wildcard_specification,
)
from metta_dash.rules.base import Rule, WidgetRef, indexed, walk_requests, walk_widgets

__all__ = ["RULES", "Rule", "WidgetRef", "all_rules", "check", "walk_requests", "walk_widgets"]

RULES: tuple[Rule, ...] = (
    free_layout.free_layout_widget_position,
    fixed_reflow_layout.fixed_reflow_widget_position,
    reflow_type.reflow_type_on_free_layout,
    group_placement.group_on_free_layout,
    group_members.group_member_type,
    grid_width.grid_width,
    column_breaks.single_column_break,
    group_width.group_width,
    overlap.widget_overlap,
    title_width.title_width,
    widget_ids.duplicate_widget_id,
    formula_queries.formula_unknown_query,
    formula_queries.formula_unnamed_queries,
    formula_functions.formula_unknown_function,
    formula_functions.formula_function_typo,
    query_names.duplicate_query_name,
    response_format.missing_response_format,
    response_format_kind.response_format_mismatch,
    request_data.request_without_query,
    query_value_requests.query_value_single_request,
    metric_query_series.metric_query_multiple_series,
    metric_query_checks.metric_query_syntax,
    metric_query_checks.metric_query_unknown_name,
    template_references.unknown_template_variable,
    dashboard_tags.dashboard_tags,
    template_variable_defaults.template_variable_defaults,
    preset_values.preset_values,
    template_variable_names.template_variable_names,
    wildcard_specification.wildcard_specification,
    palette_typo.palette_typo,
)


def all_rules() -> list[Rule]:
    """Every registered rule, in id order."""
    return sorted(RULES, key=lambda r: r.id)


def check(dashboard: dict[str, Any]) -> list[Finding]:
    """Run every rule on one dashboard.

    A rule that fails on input it did not expect reports that as a warning under its own id instead of
    stopping the run; the schema check reports the malformed shape itself.
    """
    if not isinstance(dashboard, dict):
        return []
    found: list[Finding] = []
    with indexed(dashboard):
        for one in RULES:
            try:
                # The body's problems directly, not through Rule.check: one generator less per rule and
                # dashboard. What a rule found before failing is kept.
                for problem in one.body(dashboard):
                    found.append(one.finding(problem))
            except Exception as error:  # noqa: BLE001 - one broken rule must not hide the others' findings
                found.append(_failure(one, error))
    return found


def _failure(one: Rule, error: Exception) -> Finding:
    return Finding(
        rule=one.id, slug=one.slug, severity=Severity.WARNING,
        message=f"rule could not check this dashboard ({type(error).__name__}: {error})",
        hint="the dashboard is probably malformed here; the schema findings say where",
    )
