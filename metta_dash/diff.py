"""A readable per-widget diff of two normalised dashboards (from `old`, usually the remote, to `new`).

Widgets are matched by (type, title) with a sequence alignment, so a widget inserted in the middle shows
as one added widget rather than as every later widget changed. Within a block the alignment could not
match, widgets of the same type are paired in order (a renamed widget is a change of its title); a widget
removed in one place and added with the same (type, title) elsewhere is a move. Group members are matched
the same way inside their group.

    ~ timeseries 'PR Cycle Time' $.widgets[1].definition.markers[0].value: 48 -> 24
    + widget 'Deploys' (query_value) added at $.widgets[3], queries: sum:deploys{$env}
    - widget 'Old' (note) removed from $.widgets[5]

A long or multi-line string shows what changed inside it: a single line as one excerpt with the changed
words marked `[-old-]{+new+}` (unchanged stretches shortened), several lines as a line diff with the words
marked on each changed line. With `colour`, removals are red and additions green instead of the marks.
Paths point into `new` for changes and additions, into `old` for removals.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from collections.abc import Sequence
from typing import Any

from deepdiff import DeepDiff

from metta_dash.findings import PathPart, format_path

ABSENT = object()
MAX_VALUE_WIDTH = 80
KEPT_CONTEXT = 24  # characters of an unchanged stretch kept on each side of a change
MAX_QUERIES_SHOWN = 3
_RED, _GREEN, _YELLOW, _RESET = "\033[31m", "\033[32m", "\033[33m", "\033[0m"
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclasses.dataclass(frozen=True)
class Change:
    """One difference. `kind`: "changed", "added", "removed" (a widget), or "moved" (a widget)."""

    kind: str
    path: tuple[PathPart, ...]
    old: Any = ABSENT
    new: Any = ABSENT
    widget_title: str | None = None
    widget_type: str | None = None
    old_path: tuple[PathPart, ...] | None = None

    @property
    def jsonpath(self) -> str:
        return format_path(self.path)

    def describe(self, colour: bool = False) -> str:
        """For people: one line, followed by a line diff when a multi-line string changed."""
        return "\n".join(self.describe_lines(colour))

    def describe_lines(self, colour: bool = False) -> list[str]:
        name = repr(self.widget_title) if self.widget_title else "(untitled)"
        paint = _painter(colour)
        if self.kind == "added":
            return [paint(f"+ widget {name} ({self.widget_type}) added at {self.jsonpath}{_summary(self.new)}", _GREEN)]
        if self.kind == "removed":
            return [paint(f"- widget {name} ({self.widget_type}) removed from {self.jsonpath}", _RED)]
        if self.kind == "moved":
            origin = format_path(self.old_path or ())
            return [paint(f"~ widget {name} ({self.widget_type}) moved from {origin} to {self.jsonpath}", _YELLOW)]
        where = f"{self.widget_type} {name}" if self.widget_type else "dashboard"
        head = f"~ {where} {self.jsonpath}"
        if _long_text_change(self.old, self.new):
            if "\n" in self.old or "\n" in self.new:
                counts = f"{self.old.count(chr(10)) + 1} -> {self.new.count(chr(10)) + 1} lines"
                return [f"{paint(head, _YELLOW)}: text changed ({counts})", *_line_diff(self.old, self.new, paint)]
            return [f"{paint(head, _YELLOW)}: {_excerpt(self.old, self.new, paint)}"]
        return [f"{paint(head, _YELLOW)}: {format_value(self.old)} -> {format_value(self.new)}"]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "path": self.jsonpath}
        if self.old_path is not None:
            out["from_path"] = format_path(self.old_path)
        if self.widget_type:
            out["widget"] = {"title": self.widget_title, "type": self.widget_type}
        if self.old is not ABSENT:
            out["old"] = self.old
        if self.new is not ABSENT:
            out["new"] = self.new
        out["text"] = self.describe()
        return out


def _painter(colour: bool):
    def paint(text: str, shade: str) -> str:
        return f"{shade}{text}{_RESET}" if colour and text else text

    return paint


def _summary(widget: Any) -> str:
    """`, queries: ...` for an added widget (its metric queries), or the first line of a note."""
    definition = widget.get("definition") if isinstance(widget, dict) else None
    if not isinstance(definition, dict):
        return ""
    queries = list(dict.fromkeys(_queries(definition)))
    if queries:
        shown = ", ".join(queries[:MAX_QUERIES_SHOWN])
        more = f" (+{len(queries) - MAX_QUERIES_SHOWN} more)" if len(queries) > MAX_QUERIES_SHOWN else ""
        return f", queries: {shown}{more}"
    members = definition.get("widgets")
    if isinstance(members, list):
        return f", {len(members)} widget(s)"
    content = definition.get("content") or definition.get("text")
    if isinstance(content, str) and content.strip():
        return f", {format_value(content.strip().splitlines()[0])}"
    return ""


def _queries(node: Any) -> list[str]:
    """Every query string under a widget definition: `q`, `queries[].query`, group members' too."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            for key in ("q", "query"):
                if isinstance(item.get(key), str):
                    found.append(item[key])
            stack.extend(value for value in item.values() if isinstance(value, dict | list))
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _long_text_change(old: Any, new: Any) -> bool:
    """Two strings too long to show whole that still share text (else `old -> new` reads better)."""
    if not (isinstance(old, str) and isinstance(new, str)):
        return False
    if not ("\n" in old or "\n" in new or max(len(json.dumps(old)), len(json.dumps(new))) > MAX_VALUE_WIDTH):
        return False
    return difflib.SequenceMatcher(a=old, b=new, autojunk=False).find_longest_match().size > KEPT_CONTEXT // 2


def _shortened(text: str) -> str:
    return text if len(text) <= 2 * KEPT_CONTEXT + 1 else f"{text[:KEPT_CONTEXT]}…{text[-KEPT_CONTEXT:]}"


def _marked(text: str, removed: bool, paint) -> str:
    if not text:
        return ""
    text = _shortened(text)
    if paint("x", _RED) != "x":  # colour: the shade is the mark
        return paint(text, _RED if removed else _GREEN)
    return f"[-{text}-]" if removed else f"{{+{text}+}}"


def _word_opcodes(old: str, new: str) -> tuple[list[str], list[str], list[tuple[str, int, int, int, int]]]:
    left, right = _TOKENS.findall(old), _TOKENS.findall(new)
    return left, right, difflib.SequenceMatcher(a=left, b=right, autojunk=False).get_opcodes()


def _excerpt(old: str, new: str, paint) -> str:
    """One line: unchanged stretches shortened to their ends, each change as [-old-]{+new+}."""
    left, right, opcodes = _word_opcodes(old, new)
    parts = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            same = "".join(left[i1:i2])
            keep_head = index > 0
            keep_tail = index < len(opcodes) - 1
            if len(same) > 2 * KEPT_CONTEXT + 1:
                head = same[:KEPT_CONTEXT].rsplit(" ", 1)[0] if keep_head else ""  # cut between words
                tail = same[-KEPT_CONTEXT:].split(" ", 1)[-1] if keep_tail else ""
                same = f"{head}…{tail}"
            parts.append(same)
        else:
            parts.append(_marked("".join(left[i1:i2]), True, paint) + _marked("".join(right[j1:j2]), False, paint))
    return '"' + "".join(parts).replace("\n", "\\n") + '"'


def _word_marked(old: str, new: str, paint) -> tuple[str, str]:
    left, right, opcodes = _word_opcodes(old, new)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            removed.append("".join(left[i1:i2]))
            added.append("".join(right[j1:j2]))
        else:
            removed.append(_marked("".join(left[i1:i2]), True, paint))
            added.append(_marked("".join(right[j1:j2]), False, paint))
    return "".join(removed), "".join(added)


def _line_diff(old: str, new: str, paint) -> list[str]:
    """Changed lines only, `  - ` and `  + `, the changed words marked on lines that were edited."""
    left, right = old.splitlines(), new.splitlines()
    lines = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=left, b=right, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for offset in range(paired):
            removed, added = _word_marked(left[i1 + offset], right[j1 + offset], paint)
            lines += [f"  - {removed}", f"  + {added}"]
        lines += [paint(f"  - {line}", _RED) for line in left[i1 + paired:i2]]
        lines += [paint(f"  + {line}", _GREEN) for line in right[j1 + paired:j2]]
    return lines


def format_value(value: Any) -> str:
    if value is ABSENT:
        return "(absent)"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_VALUE_WIDTH else text[: MAX_VALUE_WIDTH - 3] + "..."


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every difference from `old` to `new`, both already normalised; empty when they are equal."""
    changes: list[Change] = []
    for key in _ordered_keys(old, new):
        if key == "widgets":
            continue
        _diff_values(old.get(key, ABSENT), new.get(key, ABSENT), (key,), None, changes)
    _diff_widget_lists(_list(old.get("widgets")), _list(new.get("widgets")), ("widgets",), ("widgets",), changes)
    return changes


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _ordered_keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys([*new.keys(), *old.keys()]))


def _definition(widget: Any) -> dict[str, Any]:
    definition = widget.get("definition") if isinstance(widget, dict) else None
    return definition if isinstance(definition, dict) else {}


def _identity(widget: Any) -> tuple[str | None, str | None]:
    definition = _definition(widget)
    title = definition.get("title")
    return definition.get("type"), title if isinstance(title, str) and title else None


def _diff_widget_lists(
    old: Sequence[Any], new: Sequence[Any], old_base: tuple, new_base: tuple, changes: list[Change]
) -> None:
    old_keys = [_identity(w) for w in old]
    new_keys = [_identity(w) for w in new]
    pairs: list[tuple[int, int]] = []
    removed: list[int] = []
    added: list[int] = []
    matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(range(i1, i2), range(j1, j2), strict=True)
            continue
        left, right = list(range(i1, i2)), list(range(j1, j2))
        # Same-type widgets at the same place in an unmatched block: one widget changed (e.g. renamed).
        while left and right and old_keys[left[0]][0] == new_keys[right[0]][0]:
            pairs.append((left.pop(0), right.pop(0)))
        removed += left
        added += right
    moved: list[tuple[int, int]] = []
    for j in list(added):
        i = next((i for i in removed if old_keys[i] == new_keys[j]), None)
        if i is not None:
            removed.remove(i)
            added.remove(j)
            moved.append((i, j))
    events: list[tuple[int, int, Change | None, tuple[int, int] | None]] = []
    for i, j in pairs:
        events.append((j, 1, None, (i, j)))
    for i, j in moved:
        kind, title = new_keys[j]
        change = Change("moved", (*new_base, j), widget_title=title, widget_type=kind, old_path=(*old_base, i))
        events.append((j, 0, change, (i, j)))
    for j in added:
        kind, title = new_keys[j]
        events.append((j, 0, Change("added", (*new_base, j), new=new[j], widget_title=title, widget_type=kind), None))
    for i in removed:
        kind, title = old_keys[i]
        change = Change("removed", (*old_base, i), old=old[i], widget_title=title, widget_type=kind)
        events.append((i, -1, change, None))
    for _, _, change, pair in sorted(events, key=lambda e: (e[0], e[1])):
        if change is not None:
            changes.append(change)
        if pair is not None:
            i, j = pair
            _diff_widgets(old[i], new[j], (*old_base, i), (*new_base, j), changes)


def _diff_widgets(old: Any, new: Any, old_path: tuple, new_path: tuple, changes: list[Change]) -> None:
    kind, title = _identity(new)
    if not isinstance(old, dict) or not isinstance(new, dict):
        _diff_values(old, new, new_path, (kind, title), changes)
        return
    old_definition, new_definition = _definition(old), _definition(new)
    for key in _ordered_keys(old, new):
        if key == "definition":
            continue
        _diff_values(old.get(key, ABSENT), new.get(key, ABSENT), (*new_path, key), (kind, title), changes)
    for key in _ordered_keys(old_definition, new_definition):
        path = (*new_path, "definition", key)
        if key == "widgets" and kind == "group":
            _diff_widget_lists(
                _list(old_definition.get(key)), _list(new_definition.get(key)), (*old_path, "definition", key),
                path, changes,
            )
            continue
        _diff_values(old_definition.get(key, ABSENT), new_definition.get(key, ABSENT), path, (kind, title), changes)


def _diff_values(old: Any, new: Any, path: tuple, widget: tuple | None, changes: list[Change]) -> None:
    if _same(old, new):
        return
    kind, title = widget or (None, None)
    if not (isinstance(old, dict | list) and isinstance(new, dict | list)) or type(old) is not type(new):
        changes.append(Change("changed", path, old=old, new=new, widget_title=title, widget_type=kind))
        return
    leaves: dict[tuple, tuple[Any, Any]] = {}
    for relative in _deep_paths(old, new):
        # A list of plain values (legend columns, tags) reads best as one value.
        parent = relative[:-1]
        if relative and isinstance(relative[-1], int) and _plain_lists(_get(old, parent), _get(new, parent)):
            relative = parent
        leaves.setdefault(relative, (_get(old, relative), _get(new, relative)))
    for relative in sorted(leaves, key=lambda rel: _document_order(old, new, rel)):
        left, right = leaves[relative]
        changes.append(
            Change("changed", (*path, *relative), old=left, new=right, widget_title=title, widget_type=kind)
        )


def _deep_paths(old: Any, new: Any) -> list[tuple]:
    """The paths (relative to old/new) of every leaf difference, as deepdiff finds them."""
    tree = DeepDiff(old, new, view="tree", ignore_numeric_type_changes=True)
    return [tuple(level.path(output_format="list")) for levels in tree.values() for level in levels]


def _get(node: Any, path: Sequence[PathPart]) -> Any:
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return ABSENT
    return node


def _plain_lists(*values: Any) -> bool:
    lists = [v for v in values if v is not ABSENT]
    return all(isinstance(v, list) and not _has_containers(v) for v in lists) and bool(lists)


def _document_order(old: Any, new: Any, relative: tuple) -> tuple:
    """Sort key: list indices in order, object keys in the order `new` (then `old`) has them."""
    order = []
    left, right = old, new
    for part in relative:
        if isinstance(part, int):
            order.append(part)
        else:
            keys = _ordered_keys(left if isinstance(left, dict) else {}, right if isinstance(right, dict) else {})
            order.append(keys.index(part) if part in keys else len(keys))
        left, right = _get(left, (part,)), _get(right, (part,))
    return tuple(order)


def _has_containers(items: list[Any]) -> bool:
    """Lists of objects are compared item by item; lists of plain values as one value."""
    return any(isinstance(item, dict | list) for item in items)


def _same(old: Any, new: Any) -> bool:
    if old is ABSENT or new is ABSENT:
        return old is new
    if isinstance(old, bool) != isinstance(new, bool):  # True == 1 in Python, not in JSON
        return False
    return old == new


def render(changes: Sequence[Change], colour: bool = False) -> str:
    return "\n".join(change.describe(colour) for change in changes)
