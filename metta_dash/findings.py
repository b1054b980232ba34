"""Findings: what validation reports, where it points, and how it is printed."""

from __future__ import annotations

import dataclasses
import enum
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

PathPart = str | int


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


# Warnings about what Datadog's published spec lacks (a widget type, a property, a value or a shape that may be
# newer than the spec): strict mode (`--strict`, `strict = true`) makes them errors.
SPEC_GAP_RULES = frozenset({"S002", "S003"})


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem found in one dashboard.

    `path` is a tuple of keys and indices into the dashboard JSON; `jsonpath` renders it as
    `$.widgets[3].definition.title`. `widget_title`/`widget_type` name the innermost widget that
    contains the path (filled in by `locate_widgets`). `line`/`column` point into Jsonnet source
    when the finding comes from the compiler.
    """

    rule: str
    slug: str
    severity: Severity
    message: str
    path: tuple[PathPart, ...] = ()
    hint: str = ""
    file: str = ""
    widget_title: str | None = None
    widget_type: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def jsonpath(self) -> str:
        return format_path(self.path)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def replace(self, **changes: Any) -> Finding:
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "slug": self.slug,
            "severity": str(self.severity),
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.jsonpath,
            "widget": (
                {"title": self.widget_title, "type": self.widget_type} if self.widget_type else None
            ),
            "message": self.message,
            "hint": self.hint,
        }


def display_path(path: str | os.PathLike) -> str:
    """A file as findings show it: relative to the working directory when under it, else absolute; `..`
    folded away (`components/gen/../util.libsonnet` reads `components/util.libsonnet`)."""
    text = os.fspath(path)
    if not text or text.startswith("<"):
        return text
    if os.name != "posix" or text.startswith("//"):  # a drive, or POSIX's implementation-defined `//` root
        absolute = Path(os.path.normpath(Path(path).absolute()))
        try:
            return absolute.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return absolute.as_posix()
    # Strings, not Path objects: this runs for every file checked, and pathlib costs ten times as much.
    cwd = os.getcwd()
    absolute = os.path.normpath(os.path.join(cwd, text))
    if absolute == cwd:
        return "."
    under = cwd if cwd.endswith("/") else cwd + "/"
    return absolute[len(under):] if absolute.startswith(under) else absolute


def format_path(parts: Sequence[PathPart]) -> str:
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.isidentifier():
            out.append(f".{part}")
        else:
            out.append(f"[{json.dumps(part)}]")
    return "".join(out)


def _widget_at(node: Any) -> tuple[str | None, str | None] | None:
    if isinstance(node, dict) and isinstance(node.get("definition"), dict):
        definition = node["definition"]
        title = definition.get("title")
        return (title if isinstance(title, str) and title else None, definition.get("type"))
    return None


def widget_for_path(dashboard: Any, path: Sequence[PathPart]) -> tuple[str | None, str | None] | None:
    """The (title, type) of the innermost widget on `path`, or None when the path is outside widgets."""
    found = None
    node = dashboard
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        widget = _widget_at(node)
        if widget is not None:
            found = widget
    return found


def locate_widgets(findings: Iterable[Finding], dashboard: Any) -> list[Finding]:
    """Fill in widget title and type for findings whose path lies inside a widget."""
    located = []
    for finding in findings:
        if finding.widget_type is None:
            widget = widget_for_path(dashboard, finding.path)
            if widget is not None:
                finding = finding.replace(widget_title=widget[0], widget_type=widget[1])
        located.append(finding)
    return located


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


def sort_key(finding: Finding) -> tuple:
    return (finding.file, finding.line or 0, finding.jsonpath, finding.rule)
