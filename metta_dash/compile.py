"""Jsonnet -> dashboard JSON through the Python binding, with errors as findings.

A source file yields one dashboard (named after the file) or an object of name -> dashboard.
Dashboards link to each other with `std.native('dashboardUrl')(name)`, which resolves the name
through the ID registry; a dashboard without an ID yet gets a readable placeholder and a warning.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import _jsonnet

from metta_dash import compile_errors, names, registry
from metta_dash.findings import Finding, Severity, display_path

DASHBOARD_KEYS = ("title", "layout_type", "widgets")
UNRESOLVED_LINK = "/dashboard/lists?q="

@dataclasses.dataclass
class Compiled:
    """What compiling one source file produced."""

    source: Path
    dashboards: dict[str, dict[str, Any]]
    findings: list[Finding]


@dataclasses.dataclass(frozen=True)
class Options:
    """How to compile: import path, external variables, top-level arguments, known dashboards."""

    import_paths: tuple[Path, ...] = ()
    ext_vars: Mapping[str, str] = dataclasses.field(default_factory=dict)
    ext_codes: Mapping[str, str] = dataclasses.field(default_factory=dict)
    tla_vars: Mapping[str, str] = dataclasses.field(default_factory=dict)
    tla_codes: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # name -> Datadog dashboard id (None when the dashboard has not been pushed yet)
    dashboard_ids: Mapping[str, str | None] = dataclasses.field(default_factory=dict)


def options_for(settings, **overrides: Any) -> Options:
    """Options for a project: its components folder on the import path and its registry's IDs."""
    names = {path.stem: None for path in sorted(settings.dashboards.glob("*.jsonnet"))}
    names.update(registry.load(settings.registry).ids())
    return Options(import_paths=(settings.components,), dashboard_ids=names, **overrides)


def _finding(slug: str, rule: str, message: str, file: Path, hint: str = "", **where: Any) -> Finding:
    return Finding(rule=rule, slug=slug, severity=Severity.ERROR, message=message, file=display_path(file),
                   hint=hint, **where)


def looks_like_dashboard(value: Any) -> bool:
    return isinstance(value, dict) and "widgets" in value and ("title" in value or "layout_type" in value)


def _split_output(source: Path, value: Any) -> tuple[dict[str, dict], list[Finding]]:
    if looks_like_dashboard(value):
        return _plain_names(source, {source.stem: value})
    if isinstance(value, dict) and value and all(looks_like_dashboard(v) for v in value.values()):
        return _plain_names(source, dict(value))
    shape = type(value).__name__ if not isinstance(value, dict) else f"object with keys {sorted(value)[:6]}"
    return {}, [
        _finding(
            "not-a-dashboard",
            "C002",
            f"output is not a dashboard: got {shape}",
            source,
            hint=f"a dashboard file must evaluate to an object with {', '.join(DASHBOARD_KEYS)}, "
            "or to an object of name -> dashboard",
        )
    ]


def _plain_names(source: Path, dashboards: dict[str, dict]) -> tuple[dict[str, dict], list[Finding]]:
    """Names become file names (build/, pulled/): one that could leave its folder is a finding, not a path."""
    kept, findings = {}, []
    for name, dashboard in dashboards.items():
        problem = names.name_problem(name)
        if problem:
            findings.append(_finding("unsafe-dashboard-name", "C005", problem, source,
                                     hint="name the file, or the key of a multi-dashboard file, plainly"))
        else:
            kept[name] = dashboard
    return kept, findings


def _resolver(options: Options, unresolved: set[str]):
    def dashboard_url(name: str) -> str:
        if name not in options.dashboard_ids:
            known = ", ".join(sorted(options.dashboard_ids)) or "none"
            raise ValueError(f"no dashboard named {name!r} (known: {known})")
        dashboard_id = options.dashboard_ids[name]
        if dashboard_id:
            return f"/dashboard/{dashboard_id}"
        unresolved.add(name)
        return f"{UNRESOLVED_LINK}{name}"

    return {"dashboardUrl": (("name",), dashboard_url)}


def _evaluate(source: Path, text: str, options: Options, unresolved: set[str]) -> str:
    return _jsonnet.evaluate_snippet(
        str(source),
        text,
        jpathdir=[str(p) for p in options.import_paths],
        ext_vars=dict(options.ext_vars),
        ext_codes=dict(options.ext_codes),
        tla_vars=dict(options.tla_vars),
        tla_codes=dict(options.tla_codes),
        native_callbacks=_resolver(options, unresolved),
    )


def _failure(source: Path, text: str, options: Options, error_text: str) -> Finding:
    def reevaluate(changed: str) -> str | None:
        try:
            _evaluate(source, changed, options, set())
        except RuntimeError as error:
            return str(error)
        return None

    return compile_errors.diagnose(source, text, error_text, tuple(options.import_paths), reevaluate)


def compile_text(source: Path, text: str, options: Options) -> Compiled:
    unresolved: set[str] = set()
    try:
        output = _evaluate(source, text, options, unresolved)
    except RuntimeError as error:
        return Compiled(source, {}, [_failure(source, text, options, str(error))])
    dashboards, findings = _split_output(source, json.loads(output))
    for name in sorted(unresolved):
        findings.append(
            Finding(
                rule="C004",
                slug="unresolved-dashboard-link",
                severity=Severity.WARNING,
                message=f"link to dashboard {name!r} has no Datadog ID yet; a search link stands in",
                file=display_path(source),
                hint=f"push {name!r} once (metta-dash push {name}) so the registry records its ID",
            )
        )
    return Compiled(source, dashboards, findings)


def compile_file(source: Path, options: Options) -> Compiled:
    """Compile one .jsonnet file; every expected failure comes back as a finding."""
    try:
        text = source.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return Compiled(source, {}, [
            _finding("unreadable-source", "C003", f"not UTF-8 text (byte {error.start})", source,
                     hint="save the file as UTF-8")
        ])
    except OSError as error:
        return Compiled(source, {}, [
            _finding("unreadable-source", "C003", f"cannot read file: {error.strerror}", source)
        ])
    return compile_text(source, text, options)
