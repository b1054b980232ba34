"""Widget schema: generated from Datadog's OpenAPI spec (`generate`, `patches`), checked fast (`checker`).

    check(dashboard) -> list[Finding]   S001 schema errors, S002 warnings for widget types the spec lacks
    definition_types() -> set[str]      the widget types the schema knows
    load_schema() -> dict               the committed schema (schemas/dashboard.schema.json)
"""

from metta_dash.schema.checker import check, load_schema
from metta_dash.schema.checker import definition_types as _definition_types


def definition_types() -> set[str]:
    """The widget `type` values the schema knows (those of the pinned OpenAPI spec)."""
    return set(_definition_types())


__all__ = ["check", "definition_types", "load_schema"]
