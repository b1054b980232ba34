"""The dashboard line that made a widget: validator findings on compiled Jsonnet point at their source.

Jsonnet engines give no source map, and a builder cannot know the line that called it, so the line is found
by matching what each widget holds against the dashboard file's text. Candidate lines, most specific evidence
first:

1. its title written as a string literal (`w.timeseries.new('PR cycle time', ...)`);
2. the first line of a note's Markdown;
3. the metrics of its queries: the lines that write them, or, when such a line is an entry of a map
   (`queries: { openPrs: 'avg:github.prs.open{$env}' }`), the lines that use the entry
   (`github.openPrs(queries.openPrs)`); a widget with several queries prefers the lines using all of them;
4. else its query names that are keys of such a map (`queued: ...` -> `skypilot.queuedJobs(queries.queued)`).

Widgets are then given lines in document order: a widget inside a section only takes a candidate between
that section's title line and the next section's, and two widgets with the same evidence (a value and its
trend over the same query) take successive candidates. A widget with no candidate gets its section's line,
then the line of `withWidgets(`. Findings outside widgets go to the dashboard setter of their top-level key
(`template_variables` -> `withTemplateVariables(`).

Limits: a widget made wholly inside a component from values the dashboard does not write (a preset note, the
rows a loop builds) gets its section's line; a section whose title is computed gets no range of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from metta_dash.findings import Finding, PathPart

_METRIC = re.compile(r"(?:^|[:(,\s])(?P<metric>[a-zA-Z_][\w]*(?:\.[\w]+)+)\s*\{")
_MAP_ENTRY = re.compile(r"^\s*['\"]?(?P<key>[A-Za-z_]\w*)['\"]?\s*:")
_EVERYWHERE = (0, 1 << 30)


def _camel_setter(key: str) -> str:
    return "with" + "".join(part.capitalize() for part in key.split("_"))


class SourceIndex:
    """Line lookups in one dashboard file's text (lines numbered from 1)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def all(self, predicate) -> list[int]:
        return [number for number, line in enumerate(self.lines, 1) if predicate(line)]

    def first(self, predicate) -> int | None:
        return next(iter(self.all(predicate)), None)

    def literals(self, value: str) -> list[int]:
        quoted = (f"'{value}'", f'"{value}"')
        return self.all(lambda line: any(q in line for q in quoted))

    def literal(self, value: str) -> int | None:
        return next(iter(self.literals(value)), None)

    def containing(self, value: str) -> list[int]:
        return self.all(lambda line: value in line) if value.strip() else []

    def uses(self, line: int) -> list[int]:
        """For a map entry `key: ...` at `line`, the later lines using `.key`; else `line` itself."""
        entry = _MAP_ENTRY.match(self.lines[line - 1])
        if not entry:
            return [line]
        use = re.compile(rf"\.{re.escape(entry.group('key'))}\b")
        return [n for n in self.all(lambda text: bool(use.search(text))) if n > line] or [line]

    def entry_uses(self, key: str) -> list[int]:
        entry = re.compile(rf"^\s*['\"]?{re.escape(key)}['\"]?\s*:")
        return [use for line in self.all(lambda text: bool(entry.match(text))) for use in self.uses(line)]


def _queries(definition: dict) -> Iterator[dict]:
    for request in definition.get("requests") or []:
        if isinstance(request, dict):
            yield from (q for q in request.get("queries") or [] if isinstance(q, dict))


def _shared(per_query: list[list[int]]) -> list[int]:
    """Lines every query points at (a call passing all of them), else any of them."""
    sets = [set(lines) for lines in per_query if lines]
    if not sets:
        return []
    common = set.intersection(*sets)
    return sorted(common or set.union(*sets))


def candidates(definition: dict, index: SourceIndex) -> list[int]:
    """The lines that may have made the widget with this definition, by the strongest evidence found."""
    title = definition.get("title")
    if isinstance(title, str) and title.strip() and index.literals(title):
        return index.literals(title)
    content = definition.get("content")
    if isinstance(content, str):
        first = next((text.strip() for text in content.splitlines() if text.strip()), "")
        if index.containing(first):
            return index.containing(first)
    by_metric = [
        sorted({use for match in _METRIC.finditer(str(query.get("query", "")))
                for line in index.containing(match.group("metric")) for use in index.uses(line)})
        for query in _queries(definition)
    ]
    if any(by_metric):
        return _shared(by_metric)
    names = [str(q.get("name", "")) for q in _queries(definition)]
    # Short names (`a`, `q1`) name nothing in particular.
    return _shared([index.entry_uses(name) for name in names if len(name) >= 3])


def _pick(lines: list[int], span: tuple[int, int], taken: set[int]) -> int | None:
    inside = [line for line in lines if span[0] <= line < span[1]]
    return next((line for line in inside if line not in taken), inside[0] if inside else None)


def widget_lines(dashboard: Any, index: SourceIndex) -> dict[tuple[PathPart, ...], int | None]:
    """The dashboard line of every widget, by path (`("widgets", 2, "definition", "widgets", 0)`)."""
    found: dict[tuple[PathPart, ...], int | None] = {}
    taken: set[int] = set()
    widgets = [w for w in (dashboard.get("widgets") or []) if isinstance(w, dict)]
    definitions = [w.get("definition") if isinstance(w.get("definition"), dict) else {} for w in widgets]
    # A section's span: from its title's line to the next section's.
    starts = sorted({line for d in definitions if d.get("type") == "group"
                     for line in [_pick(candidates(d, index), _EVERYWHERE, set())] if line})
    for position, definition in enumerate(definitions):
        path = ("widgets", position)
        line = _pick(candidates(definition, index), _EVERYWHERE, taken)
        found[path] = line
        if line:
            taken.add(line)
        if definition.get("type") != "group":
            continue
        span = (line, next((s for s in starts if line and s > line), _EVERYWHERE[1])) if line else _EVERYWHERE
        for inner, child in enumerate(definition.get("widgets") or []):
            child_definition = child.get("definition") if isinstance(child, dict) else None
            if not isinstance(child_definition, dict):
                continue
            child_line = _pick(candidates(child_definition, index), span, taken)
            if child_line:
                taken.add(child_line)
            found[(*path, "definition", "widgets", inner)] = child_line or line
    return found


def line_for(path: tuple[PathPart, ...], lines: dict[tuple, int | None], index: SourceIndex) -> int | None:
    """The line for a finding at JSON `path`: its innermost widget's, else the setter of its top-level key."""
    widget_paths = [path[:end] for end in range(len(path), 0, -1) if path[:end] in lines]
    for widget_path in widget_paths:
        if lines[widget_path]:
            return lines[widget_path]
    if widget_paths:
        return index.first(lambda line: "withWidgets(" in line)
    if path and isinstance(path[0], str):
        setter = _camel_setter(path[0]) + "("
        return index.first(lambda line: setter in line) or index.first(lambda line: "new(" in line)
    return None


def attach(findings: Iterable[Finding], dashboard: Any, source: Path, text: str | None = None) -> list[Finding]:
    """Fill in the source line of findings on a dashboard compiled from `source` (a .jsonnet file)."""
    findings = list(findings)
    if not any(f.line is None for f in findings) or not isinstance(dashboard, dict):
        return findings
    if text is None:
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return findings
    index = SourceIndex(text)
    lines = widget_lines(dashboard, index)
    return [
        finding.replace(line=line_for(finding.path, lines, index)) if finding.line is None else finding
        for finding in findings
    ]
