"""The dashboard line that made a widget: validator findings on compiled Jsonnet point at their source.

Jsonnet engines give no source map, so the line is found by matching what the widget holds against the
dashboard file's text, most specific evidence first:

1. its title written as a string literal (`w.timeseries.new('PR cycle time', ...)`);
2. the first line of a note's Markdown;
3. a metric of its queries: the line that writes the query, or, when that line is an entry of a map
   (`queries: { openPrs: 'avg:github.prs.open{$env}' }`), the first line that uses the entry
   (`github.openPrs(queries.openPrs)`);
4. otherwise the line of the enclosing group (a section's title), then the dashboard's `withWidgets(` call.

Findings outside widgets go to the dashboard setter of their top-level key (`template_variables` ->
`withTemplateVariables(`). Limits: a widget made entirely inside a component from values the dashboard does
not write (`health.rows(area)`) gets the line of its section or of the call that lists it, and two widgets
with the same title and queries share the first one's line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from metta_dash.findings import Finding, PathPart

_METRIC = re.compile(r"(?:^|[:(,\s])(?P<metric>[a-zA-Z_][\w]*(?:\.[\w]+)+)\s*\{")
_MAP_ENTRY = re.compile(r"^\s*['\"]?(?P<key>[A-Za-z_]\w*)['\"]?\s*:")


def _camel_setter(key: str) -> str:
    return "with" + "".join(part.capitalize() for part in key.split("_"))


class SourceIndex:
    """Line lookups in one dashboard file's text."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def first(self, predicate, start: int = 0) -> int | None:
        for number, line in enumerate(self.lines[start:], start + 1):
            if predicate(line):
                return number
        return None

    def literal(self, value: str) -> int | None:
        quoted = (f"'{value}'", f'"{value}"')
        return self.first(lambda line: any(q in line for q in quoted))

    def containing(self, value: str) -> int | None:
        return self.first(lambda line: value in line) if value.strip() else None

    def use_of_entry(self, line: int) -> int:
        """For a map entry `key: ...` at `line`, the first later line using `.key`; else `line` itself."""
        entry = _MAP_ENTRY.match(self.lines[line - 1])
        if not entry:
            return line
        use = re.compile(rf"\.{re.escape(entry.group('key'))}\b")
        found = self.first(lambda text: bool(use.search(text)), start=line)
        return found or line


def _queries(definition: dict) -> Iterable[str]:
    for request in definition.get("requests") or []:
        if not isinstance(request, dict):
            continue
        for query in request.get("queries") or []:
            if isinstance(query, dict) and isinstance(query.get("query"), str):
                yield query["query"]
        if isinstance(request.get("q"), str):
            yield request["q"]


def widget_line(definition: dict, index: SourceIndex) -> int | None:
    """The dashboard line that made the widget with this definition, or None when nothing matches."""
    title = definition.get("title")
    if isinstance(title, str) and title.strip():
        line = index.literal(title)
        if line:
            return line
    content = definition.get("content")
    if isinstance(content, str):
        first = next((text.strip() for text in content.splitlines() if text.strip()), "")
        line = index.containing(first)
        if line:
            return line
    for query in _queries(definition):
        for match in _METRIC.finditer(query):
            line = index.containing(match.group("metric"))
            if line:
                return index.use_of_entry(line)
    return None


def _widget_definitions(dashboard: Any, path: tuple[PathPart, ...]) -> list[dict]:
    """The definitions of the widgets on `path`, innermost first."""
    found, node = [], dashboard
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("definition"), dict):
            found.append(node["definition"])
    return found[::-1]


def line_for(dashboard: Any, path: tuple[PathPart, ...], index: SourceIndex) -> int | None:
    definitions = _widget_definitions(dashboard, path)
    for definition in definitions:
        line = widget_line(definition, index)
        if line:
            return line
    if definitions:
        return index.containing("withWidgets(")
    if path and isinstance(path[0], str):
        return index.containing(_camel_setter(path[0]) + "(") or index.containing("new(")
    return None


def attach(findings: Iterable[Finding], dashboard: Any, source: Path, text: str | None = None) -> list[Finding]:
    """Fill in the source line of findings on a dashboard compiled from `source` (a .jsonnet file)."""
    findings = list(findings)
    if not any(f.line is None for f in findings):
        return findings
    if text is None:
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return findings
    index = SourceIndex(text)
    cache: dict[tuple, int | None] = {}
    out = []
    for finding in findings:
        if finding.line is None:
            if finding.path not in cache:
                cache[finding.path] = line_for(dashboard, finding.path, index)
            if cache[finding.path] is not None:
                finding = finding.replace(line=cache[finding.path])
        out.append(finding)
    return out
