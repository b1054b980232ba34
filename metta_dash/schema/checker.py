"""Check dashboards against the committed schema: a fast Rust engine first, precise messages when it fails.

jsonschema-rs decides whether a document is valid (tens of microseconds per dashboard); only a document
it rejects is run through the pure-Python engine, whose structured errors `explain` turns into findings.
A widget type the spec does not know is an error when it is a near miss of a known one (`timeseris`), else a
warning (S002: Datadog has widget types its spec omits); the definition of an unknown type is not checked.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from metta_dash.errors import MettaDashError
from metta_dash.findings import Finding, PathPart, Severity
from metta_dash.schema.generate import SCHEMA_PATH, WIDGET_DEFINITION, dispatch_as_any_of, fast_path, is_fast_variant_of
from metta_dash.suggest import closest

if TYPE_CHECKING:
    import jsonschema

# A checkout reads the committed schemas/ file; an installed package without it, a copy in its data folder.
PACKAGED_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "dashboard.schema.json"
CONTAINER_TYPES = ("group", "powerpack")


@functools.cache
def load_schema() -> dict[str, Any]:
    path, text = _schema_text()
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise MettaDashError(
            f"{path}: unreadable dashboard schema ({error})", hint="regenerate it with `metta-dash schema generate`",
        ) from None


@functools.cache
def _schema_text() -> tuple[Path, str]:
    for path in (SCHEMA_PATH, PACKAGED_SCHEMA_PATH):
        if path.is_file():
            try:
                return path, path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise MettaDashError(
                    f"{path}: unreadable dashboard schema ({error})",
                    hint="regenerate it with `metta-dash schema generate`",
                ) from None
    raise MettaDashError(
        f"the dashboard schema is missing (looked for {SCHEMA_PATH})",
        hint="generate it with `metta-dash schema generate`",
    )


@functools.cache
def definition_types() -> frozenset[str]:
    """The widget `type` values the schema knows (those of the pinned OpenAPI spec)."""
    cases = load_schema()["$defs"][WIDGET_DEFINITION]["allOf"]
    return frozenset(case["if"]["properties"]["type"]["const"] for case in cases)


@functools.cache
def fast_validator() -> Any:
    """The jsonschema-rs validator that decides whether a document is valid: the schema's fast variant
    (`generate.dispatch_as_any_of`).

    The variant written beside the schema is compiled from its text, without Python parsing it, when it was
    made from this very schema; else (a schema edited by hand) it is made now.
    """
    load_schema()  # a schema that does not parse is reported as such, whatever lies beside it
    path, text = _schema_text()
    try:
        shipped = fast_path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        shipped = ""
    if is_fast_variant_of(shipped, text):
        return jsonschema_rs.validator_for(shipped)
    return jsonschema_rs.validator_for(dispatch_as_any_of(json.loads(text)))


@functools.cache
def _precise_validator() -> jsonschema.Draft202012Validator:
    import jsonschema  # only for documents the fast engine rejects: its import costs more than most checks

    return jsonschema.Draft202012Validator(load_schema())


def check(dashboard: Any) -> list[Finding]:
    """Schema findings for one dashboard document: S001 errors, S002 and S003 warnings for what the spec lacks."""
    findings = _unknown_widget_types(dashboard)
    if fast_validator().is_valid(dashboard):
        return findings
    from metta_dash.schema import explain  # only for a document the fast engine rejects

    errors = list(_precise_validator().iter_errors(dashboard))
    explained = explain.findings_for(errors, dashboard)
    if not explained:  # the engines disagree: report what the fast one says rather than nothing
        explained = [
            Finding(
                rule=explain.RULE, slug=explain.SLUG, severity=Severity.ERROR,
                message=f"{explain.context(dashboard, tuple(e.instance_path))}: {e.message}",
                path=tuple(e.instance_path),
            )
            for e in fast_validator().iter_errors(dashboard)
        ]
    return findings + explained


def _unknown_widget_types(dashboard: Any) -> list[Finding]:
    found: list[Finding] = []
    if isinstance(dashboard, dict):
        _walk_widgets(dashboard.get("widgets"), ("widgets",), definition_types(), found)
    return found


def _walk_widgets(widgets: Any, path: tuple[PathPart, ...], known: frozenset[str], found: list[Finding]) -> None:
    """Append to `found` a finding for each widget whose type the schema does not know, groups' widgets too.

    Appends rather than yields: this runs for every widget, and most widgets are fine.
    """
    if not isinstance(widgets, list):
        return
    for index, widget in enumerate(widgets):
        definition = widget.get("definition") if isinstance(widget, dict) else None
        if not isinstance(definition, dict):
            continue
        kind = definition.get("type")
        if not isinstance(kind, str):
            continue
        if kind in known:
            if kind in CONTAINER_TYPES:
                _walk_widgets(definition.get("widgets"), (*path, index, "definition", "widgets"), known, found)
            continue
        here = (*path, index, "definition")
        if (near := closest(kind, known)) is not None:
            from metta_dash.schema import explain

            found.append(Finding(
                rule=explain.RULE, slug=explain.SLUG, severity=Severity.ERROR,
                message=f"widget: type {kind!r} is not a widget type; did you mean {near!r}?",
                path=(*here, "type"), hint=f"widget types: {', '.join(sorted(known))}",
            ))
        else:
            found.append(Finding(
                rule="S002", slug="unknown-widget-type", severity=Severity.WARNING,
                message=f"{kind} widget: type {kind!r} is not in Datadog's API spec; its definition is not checked",
                path=(*here, "type"),
                hint="Datadog accepts some widget types its spec omits; check this widget in Datadog itself",
            ))
