"""What every rule shares: the Rule type, the decorator that makes one, and walkers over widgets and requests.

Rules read dashboards that may be malformed (the schema check runs beside them and reports shape errors),
so the walkers skip anything that is not the expected dict or list instead of raising.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from metta_dash.findings import Finding, PathPart, Severity

Path = tuple[PathPart, ...]
# What a rule body yields: (path, message, hint).
Problem = tuple[Path, str, str]

GRID_COLUMNS = 12


@dataclasses.dataclass(frozen=True)
class Rule:
    """One semantic rule: a stable id and slug, a default severity, a description, and its check."""

    id: str
    slug: str
    severity: Severity
    description: str
    body: Callable[[dict[str, Any]], Iterable[Problem]] = dataclasses.field(repr=False, compare=False)

    def check(self, dashboard: dict[str, Any]) -> Iterator[Finding]:
        for path, message, hint in self.body(dashboard):
            yield Finding(
                rule=self.id, slug=self.slug, severity=self.severity, message=message, path=tuple(path), hint=hint
            )


def rule(rule_id: str, slug: str, severity: Severity) -> Callable[[Callable[..., Iterable[Problem]]], Rule]:
    """Turn a function yielding (path, message, hint) into a Rule; its docstring's first paragraph describes it."""

    def make(body: Callable[..., Iterable[Problem]]) -> Rule:
        doc = (body.__doc__ or "").strip()
        description = " ".join(doc.split("\n\n", 1)[0].split())
        return Rule(rule_id, slug, severity, description, body)

    return make


@dataclasses.dataclass(frozen=True, eq=False)
class WidgetRef:
    """A widget with its path in the dashboard and, for widgets inside a group, the group's WidgetRef."""

    path: Path
    widget: dict[str, Any]
    definition: dict[str, Any]
    parent: WidgetRef | None

    @property
    def type(self) -> str | None:
        widget_type = self.definition.get("type")
        return widget_type if isinstance(widget_type, str) else None

    @property
    def layout(self) -> dict[str, Any] | None:
        layout = self.widget.get("layout")
        return layout if isinstance(layout, dict) else None

    @property
    def is_top_level(self) -> bool:
        return self.parent is None


def _walk(widgets: Any, path: Path, parent: WidgetRef | None) -> Iterator[WidgetRef]:
    if not isinstance(widgets, list):
        return
    for index, widget in enumerate(widgets):
        if not isinstance(widget, dict):
            continue
        definition = widget.get("definition")
        ref = WidgetRef(path + (index,), widget, definition if isinstance(definition, dict) else {}, parent)
        yield ref
        inner = ref.definition.get("widgets")
        if inner is not None:
            yield from _walk(inner, ref.path + ("definition", "widgets"), ref)


# While `indexed(dashboard)` is active, walks over that dashboard are computed once and shared by all rules.
_INDEX: contextvars.ContextVar[tuple[Any, list[WidgetRef], list[tuple[WidgetRef, Path, dict[str, Any]]]] | None] = (
    contextvars.ContextVar("metta_dash_rules_index", default=None)
)


@contextlib.contextmanager
def indexed(dashboard: dict[str, Any]) -> Iterator[None]:
    """Share one walk of `dashboard`'s widgets and requests among the rules run inside this block.

    The dashboard must not change inside the block.
    """
    widgets = list(_walk(dashboard.get("widgets"), ("widgets",), None))
    requests = list(_requests(widgets))
    token = _INDEX.set((dashboard, widgets, requests))
    try:
        yield
    finally:
        _INDEX.reset(token)


def _cached(dashboard: Any) -> tuple[Any, list[WidgetRef], list[tuple[WidgetRef, Path, dict[str, Any]]]] | None:
    index = _INDEX.get()
    return index if index is not None and index[0] is dashboard else None


def walk_widgets(dashboard: dict[str, Any]) -> Iterable[WidgetRef]:
    """Every widget, top-level first and each group's widgets right after the group, with exact paths."""
    index = _cached(dashboard)
    if index is not None:
        return index[1]
    return _walk(dashboard.get("widgets"), ("widgets",), None)


def top_level_widgets(dashboard: dict[str, Any]) -> list[WidgetRef]:
    return [ref for ref in walk_widgets(dashboard) if ref.parent is None]


def _requests(widgets: Iterable[WidgetRef]) -> Iterator[tuple[WidgetRef, Path, dict[str, Any]]]:
    for ref in widgets:
        requests = ref.definition.get("requests")
        if not isinstance(requests, list):
            continue
        for index, request in enumerate(requests):
            if isinstance(request, dict):
                yield ref, ref.path + ("definition", "requests", index), request


def walk_requests(dashboard: dict[str, Any]) -> Iterable[tuple[WidgetRef, Path, dict[str, Any]]]:
    """Every request object in a `requests` list, with its widget and exact path."""
    index = _cached(dashboard)
    if index is not None:
        return index[2]
    return _requests(walk_widgets(dashboard))


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def dict_items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, item) for the dict items of a list; nothing for anything else."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def layout_box(layout: dict[str, Any] | None) -> tuple[float, float, float, float] | None:
    """(x, y, width, height) when all four are numbers, else None."""
    if layout is None:
        return None
    box = (layout.get("x"), layout.get("y"), layout.get("width"), layout.get("height"))
    return box if all(is_number(v) for v in box) else None  # type: ignore[return-value]
