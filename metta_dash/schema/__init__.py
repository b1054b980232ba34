"""Widget schema: generated from Datadog's OpenAPI spec (`generate`, `patches`), checked fast (`checker`).

    check(dashboard) -> list[Finding]   S001 schema errors, S002 warnings for widget types the spec lacks
    definition_types() -> set[str]      the widget types the schema knows
    load_schema() -> dict               the committed schema (schemas/dashboard.schema.json)
"""

from typing import NamedTuple

from metta_dash.schema.checker import check, load_schema
from metta_dash.schema.checker import definition_types as _definition_types


def definition_types() -> set[str]:
    """The widget `type` values the schema knows (those of the pinned OpenAPI spec)."""
    return set(_definition_types())


class SchemaRule(NamedTuple):
    id: str
    slug: str
    severity: str
    description: str


# The findings of the schema check, as `metta-dash rules` lists them beside the semantic rules.
SCHEMA_RULES = (
    SchemaRule("S001", "schema", "error", "The JSON breaks Datadog's published spec where the evidence says Datadog "
               "refuses it: a documented refusal, a near miss of an allowed name or value (did you mean), a wrong "
               "JSON type, or a missing required field of a known shape."),
    SchemaRule("S002", "unknown-widget-type", "warning", "A widget type far from every type of the published spec "
               "(it may be newer); its definition is not checked. --strict makes it an error."),
    SchemaRule("S003", "not-in-spec", "warning", "A property, enum value or shape far from everything the published "
               "spec knows (it may be a newer Datadog feature). --strict makes it an error."),
)

__all__ = ["SCHEMA_RULES", "check", "definition_types", "load_schema"]
