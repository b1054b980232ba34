"""Turn JSON Schema errors into findings that name the widget type, the offending property and its path.

Only documents that fail the fast check come here, so clarity beats speed: the errors come from the
pure-Python `jsonschema` engine, whose errors carry the failing keyword, its value and the sub-errors
of each `oneOf`/`anyOf` branch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from metta_dash.findings import Finding, PathPart, Severity, widget_for_path

RULE = "S001"
SLUG = "schema"
MAX_LISTED = 20

# Properties the server is known to reject although a user may well expect them (live-API errors).
HINTS = {
    ("note", "title"): "note widgets have no title: put a heading in 'content' (Markdown)",
    ("group", "title_size"): "group widgets take no title_size",
    ("timeseries", "custom_unit"): "custom_unit is for query_value widgets; set units with number_format",
    ("toplist", "custom_unit"): "custom_unit is for query_value widgets; set units with number_format",
}


def findings_for(errors: Iterable[ValidationError], dashboard: Any) -> list[Finding]:
    seen: set[tuple[tuple[PathPart, ...], str]] = set()
    found = []
    for error in errors:
        for path, message, hint in _describe(error):
            if (path, message) in seen:
                continue
            seen.add((path, message))
            found.append(Finding(
                rule=RULE, slug=SLUG, severity=Severity.ERROR,
                message=f"{context(dashboard, path)}: {message}", path=path, hint=hint,
            ))
    return found


def context(dashboard: Any, path: tuple[PathPart, ...]) -> str:
    """'<type> widget' for a path inside a widget (the innermost one), else 'dashboard'."""
    widget = widget_for_path(dashboard, path)
    if widget is None:
        return "dashboard"
    return f"{widget[1]} widget" if isinstance(widget[1], str) else "widget"


def show(value: Any, limit: int = 60) -> str:
    """A short JSON-ish rendering of an instance value for a message."""
    if isinstance(value, str):
        text = repr(value)
    else:
        text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _listing(values: Iterable[Any]) -> str:
    values = list(values)
    shown = ", ".join(show(v, 40) for v in values[:MAX_LISTED])
    return shown + (f", ... ({len(values)} in all)" if len(values) > MAX_LISTED else "")


def _subject(path: tuple[PathPart, ...], instance: Any) -> str:
    return f"'{path[-1]}'" if path and isinstance(path[-1], str) else show(instance)


def _known_hint(instance: Any, prop: str) -> str:
    kind = instance.get("type") if isinstance(instance, dict) else None
    return HINTS.get((kind, prop), "") if isinstance(kind, str) else ""


Described = tuple[tuple[PathPart, ...], str, str]


def _describe(error: ValidationError) -> Iterator[Described]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    value = error.validator_value
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    custom = schema.get("x-message")
    if custom and keyword in ("anyOf", "oneOf", "not", "allOf"):
        yield path, custom, schema.get("x-hint", "")
    elif keyword in ("oneOf", "anyOf") and error.context:
        for branch_error in _best_branch(error):
            yield from _describe(branch_error)
    elif keyword == "oneOf":
        yield path, f"{_subject(path, instance)} matches more than one of the allowed shapes", ""
    elif keyword == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for prop in instance:
            if prop not in schema.get("properties", {}):
                hint = _known_hint(instance, prop) or (f"allowed here: {', '.join(allowed)}" if allowed else "")
                yield (*path, prop), f"'{prop}' is not allowed", hint
    elif keyword == "required":
        for prop in value:
            if isinstance(instance, dict) and prop not in instance:
                yield path, f"'{prop}' is required", ""
    elif keyword == "dependentRequired":
        for trigger, needed in value.items():
            for prop in needed:
                if trigger in instance and prop not in instance:
                    yield path, f"'{prop}' is required when '{trigger}' is set", ""
    elif keyword == "enum":
        yield path, f"{show(instance)} is not one of {_listing(value)}", ""
    elif keyword == "const":
        yield path, f"{show(instance)} must be {show(value)}", ""
    elif keyword == "type":
        expected = " or ".join(f"'{t}'" for t in ([value] if isinstance(value, str) else value))
        yield path, f"{show(instance)} is not of type {expected}", ""
    elif keyword in ("minItems", "maxItems"):
        bound = "at least" if keyword == "minItems" else "at most"
        yield path, f"{_subject(path, instance)} has {len(instance)} items; {bound} {value} allowed", ""
    elif keyword in ("minLength", "maxLength"):
        bound = "at least" if keyword == "minLength" else "at most"
        yield path, f"{show(instance)} has {len(instance)} characters; {bound} {value} allowed", ""
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield path, f"{show(instance)} is out of range ({keyword} {value})", ""
    elif keyword == "pattern":
        yield path, f"{show(instance)} does not match {value!r}", ""
    elif keyword == "not":
        yield path, f"{_subject(path, instance)} is not allowed here", ""
    else:
        yield path, error.message, ""


def _best_branch(error: ValidationError) -> list[ValidationError]:
    """The errors of the oneOf/anyOf branch the instance most likely meant: the one with the least to fix.

    A branch costs one per unknown or missing property and per other failure, two per wrong enum or
    constant (a wrong discriminator hints at the wrong branch); a branch whose JSON type does not even
    match the instance (the null of a nullable field, say) is taken only when nothing else is left.
    """
    depth = len(error.absolute_path)
    return min(_branches(error), key=lambda errors: _cost(errors, depth))


def _cost(errors: list[ValidationError], depth: int) -> int:
    total = 0
    for error in errors:
        if error.validator == "type" and len(error.absolute_path) == depth:
            total += 1000
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            total += sum(1 for prop in error.instance if prop not in error.schema.get("properties", {}))
        elif error.validator in ("enum", "const"):
            total += 2
        elif error.validator in ("oneOf", "anyOf") and error.context:
            total += min(_cost(branch, len(error.absolute_path)) for branch in _branches(error))
        else:
            total += 1
    return total


def _branches(error: ValidationError) -> list[list[ValidationError]]:
    grouped: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        grouped.setdefault(sub.relative_schema_path[0], []).append(sub)
    return list(grouped.values())
