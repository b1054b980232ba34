"""Turn JSON Schema errors into findings that name the widget type, the offending property and its path.

Only documents that fail the fast check come here, so clarity beats speed: the errors come from the
pure-Python `jsonschema` engine, whose errors carry the failing keyword, its value and the sub-errors
of each `oneOf`/`anyOf` branch.

Each problem is graded by the evidence behind it. An error (S001) is a documented refusal
(`refusals.py`, and the tightening patches), a near miss of a name or value allowed at that place (with
"did you mean"), a wrong JSON type, a missing required field or another constraint of a shape the spec
knows. A property or enum value far from everything the spec knows may be a feature newer than the spec:
a warning of its own rule (S003), as is a missing required field of an object (or request) that holds
such unknown properties, since it may be a newer shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from metta_dash.findings import Finding, PathPart, Severity, widget_for_path
from metta_dash.schema import refusals
from metta_dash.suggest import closest

if TYPE_CHECKING:  # jsonschema is imported only when a dashboard fails the fast check
    from jsonschema.exceptions import ValidationError

RULE = "S001"
SLUG = "schema"
GAP_RULE = "S003"
GAP_SLUG = "not-in-spec"
MAX_LISTED = 20

Path = tuple[PathPart, ...]


class Problem(NamedTuple):
    """One explained schema error. `gap`: far from what the spec knows (a warning), `unknown_key` when it is a
    property; `missing`: a required field is absent (it follows the gap warning of its object's unknown
    properties)."""

    path: Path
    message: str
    hint: str = ""
    gap: bool = False
    missing: bool = False
    refused: bool = False
    unknown_key: bool = False


def spec_version() -> str:
    from metta_dash.schema.spec import SPEC_VERSION  # not at import: spec.py pulls in tarfile and subprocess

    return SPEC_VERSION


def not_in_spec(subject: str) -> str:
    """The S003 wording: `subject` is not in the published spec, and what to do if it is a newer feature."""
    return (f"{subject} not in Datadog's published API spec (client {spec_version()}): "
            "if this is a newer Datadog feature, ignore or exclude it")


def findings_for(errors: Iterable[ValidationError], dashboard: Any) -> list[Finding]:
    problems: dict[tuple[Path, str], Problem] = {}
    for error in errors:
        for problem in _describe(error, dashboard):
            problems.setdefault((problem.path, problem.message), problem)
    unknown = _unknown_properties_by_object(problems.values())
    found = []
    for problem in problems.values():
        if problem.missing and not problem.refused:
            problem = _follow_unknown_shape(problem, unknown)
        found.append(Finding(
            rule=GAP_RULE if problem.gap else RULE, slug=GAP_SLUG if problem.gap else SLUG,
            severity=Severity.WARNING if problem.gap else Severity.ERROR,
            message=f"{context(dashboard, problem.path)}: {problem.message}", path=problem.path, hint=problem.hint,
        ))
    return found


def _unknown_properties_by_object(problems: Iterable[Problem]) -> dict[Path, list[str]]:
    unknown: dict[Path, list[str]] = {}
    for problem in problems:
        if problem.unknown_key:
            unknown.setdefault(problem.path[:-1], []).append(problem.path[-1])
    return unknown


def _request_of(path: Path) -> Path | None:
    """The path of the widget request `path` lies in (or is), if any."""
    for index in range(len(path) - 1, 0, -1):
        if path[index - 1] == "requests" and isinstance(path[index], int):
            return path[: index + 1]
    return None


def _follow_unknown_shape(problem: Problem, unknown: dict[Path, list[str]]) -> Problem:
    """A missing field of an object (or request) holding properties the spec lacks is graded as they are."""
    holder = problem.path if problem.path in unknown else _request_of(problem.path)
    if holder not in unknown:
        return problem
    kind = "object" if holder == problem.path else "request"
    return problem._replace(
        gap=True,
        message=f"{problem.message}, but this {kind} holds properties not in Datadog's published API spec "
        f"(client {spec_version()}): {', '.join(unknown[holder])}; if it is a newer Datadog shape, ignore or "
        "exclude it",
    )


def context(dashboard: Any, path: tuple[PathPart, ...]) -> str:
    """'<type> widget' for a path inside a widget (the innermost one), else 'dashboard'."""
    widget = widget_for_path(dashboard, path)
    if widget is None:
        return "dashboard"
    return f"{widget[1]} widget" if isinstance(widget[1], str) else "widget"


def _widget_type(dashboard: Any, path: Path) -> str | None:
    widget = widget_for_path(dashboard, path)
    return widget[1] if widget is not None and isinstance(widget[1], str) else None


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


def _unknown_property(path: Path, prop: str, allowed: list[str], widget: str | None) -> Problem:
    where = (*path, prop)
    refusal = refusals.refused_property(widget, prop)
    if refusal is not None:
        return Problem(where, f"'{prop}' is not allowed", refusal.hint, refused=True)
    allowed_hint = f"allowed here: {', '.join(allowed)}" if allowed else ""
    near = closest(prop, allowed)
    if near is not None:
        return Problem(where, f"'{prop}' is not allowed; did you mean {near!r}?", allowed_hint)
    return Problem(where, not_in_spec(f"'{prop}' is"), allowed_hint, gap=True, unknown_key=True)


def _unknown_value(path: Path, instance: Any, values: list[Any], widget: str | None) -> Problem:
    prop = path[-1] if path and isinstance(path[-1], str) else None
    listing = f"{show(instance)} is not one of {_listing(values)}"
    refusal = refusals.refused_value(widget, prop, instance) if prop else None
    if refusal is not None:
        return Problem(path, listing, refusal.hint, refused=True)
    names = [value for value in values if isinstance(value, str)]
    if not isinstance(instance, str) or not names:
        return Problem(path, listing)  # a wrong type rather than an unknown name
    near = closest(instance, names)
    if near is not None:
        return Problem(path, f"{listing}; did you mean {near!r}?")
    subject = f"{show(instance)} for '{prop}' is" if prop else f"{show(instance)} is"
    return Problem(path, not_in_spec(subject), f"known values: {_listing(values)}", gap=True)


def _missing(path: Path, prop: str, message: str, widget: str | None) -> Problem:
    refusal = refusals.refused_absence(widget, path[-1] if path else None, prop)
    return Problem(path, message, refusal.hint if refusal else "", missing=True, refused=refusal is not None)


def _describe(error: ValidationError, dashboard: Any) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    value = error.validator_value
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    custom = schema.get("x-message")
    if custom and keyword in ("anyOf", "oneOf", "not", "allOf"):
        # An anyOf of `required` (the request-needs-a-query patch) is a missing field; the others are refusals.
        yield Problem(path, custom, schema.get("x-hint", ""), missing=keyword == "anyOf")
    elif keyword in ("oneOf", "anyOf") and error.context:
        for branch_error in _best_branch(error):
            yield from _describe(branch_error, dashboard)
    elif keyword == "oneOf":
        yield Problem(path, f"{_subject(path, instance)} matches more than one of the allowed shapes")
    elif keyword == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        widget = _widget_type(dashboard, path)
        for prop in instance:
            if prop not in schema.get("properties", {}):
                yield _unknown_property(path, prop, allowed, widget)
    elif keyword == "required":
        for prop in value:
            if isinstance(instance, dict) and prop not in instance:
                yield _missing(path, prop, f"'{prop}' is required", _widget_type(dashboard, path))
    elif keyword == "dependentRequired":
        for trigger, needed in value.items():
            for prop in needed:
                if trigger in instance and prop not in instance:
                    yield _missing(path, prop, f"'{prop}' is required when '{trigger}' is set",
                                   _widget_type(dashboard, path))
    elif keyword in ("enum", "const"):
        yield _unknown_value(path, instance, list(value) if keyword == "enum" else [value],
                             _widget_type(dashboard, path))
    elif keyword == "type":
        expected = " or ".join(f"'{t}'" for t in ([value] if isinstance(value, str) else value))
        yield Problem(path, f"{show(instance)} is not of type {expected}")
    elif keyword in ("minItems", "maxItems"):
        bound = "at least" if keyword == "minItems" else "at most"
        yield Problem(path, f"{_subject(path, instance)} has {len(instance)} items; {bound} {value} allowed")
    elif keyword in ("minLength", "maxLength"):
        bound = "at least" if keyword == "minLength" else "at most"
        yield Problem(path, f"{show(instance)} has {len(instance)} characters; {bound} {value} allowed")
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield Problem(path, f"{show(instance)} is out of range ({keyword} {value})")
    elif keyword == "pattern":
        yield Problem(path, f"{show(instance)} does not match {value!r}")
    elif keyword == "not":
        yield Problem(path, f"{_subject(path, instance)} is not allowed here")
    else:
        yield Problem(path, error.message)


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
