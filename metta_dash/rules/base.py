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
_NUMBER_TYPES = frozenset({int, float})


@dataclasses.dataclass(frozen=True)
class Rule:
    """One semantic rule: a stable id and slug, a default severity, a description, and its check."""

    id: str
    slug: str
    severity: Severity
    description: str
    body: Callable[[dict[str, Any]], Iterable[Problem]] = dataclasses.field(repr=False, compare=False)

    def check(self, dashboard: dict[str, Any]) -> Iterator[Finding]:
        for problem in self.body(dashboard):
            yield self.finding(problem)

    def finding(self, problem: Problem) -> Finding:
        """The finding for one (path, message, hint) the body yielded."""
        path, message, hint = problem
        return Finding(rule=self.id, slug=self.slug, severity=self.severity, message=message, path=tuple(path),
                       hint=hint)


def rule(rule_id: str, slug: str, severity: Severity) -> Callable[[Callable[..., Iterable[Problem]]], Rule]:
    """Turn a function yielding (path, message, hint) into a Rule; its docstring's first paragraph describes it."""

    def make(body: Callable[..., Iterable[Problem]]) -> Rule:
        doc = (body.__doc__ or "").strip()
        description = " ".join(doc.split("\n\n", 1)[0].split())
        return Rule(rule_id, slug, severity, description, body)

    return make


@dataclasses.dataclass(eq=False, slots=True, init=False)
class WidgetRef:
    """A widget with its path in the dashboard and, for widgets inside a group, the group's WidgetRef.

    `type` (the definition's type when a string), `layout` (the widget's layout when an object) and the
    layout's `x`, `y`, `width` and `height` (each when a number, else None) are read once here because the
    rules read them for every widget. Rules treat a WidgetRef as read-only; it is not frozen only because a
    frozen dataclass takes three times longer to build, once per widget.
    """

    path: Path
    widget: dict[str, Any]
    definition: dict[str, Any]
    parent: WidgetRef | None
    type: str | None
    layout: dict[str, Any] | None
    x: float | None
    y: float | None
    width: float | None
    height: float | None

    def __init__(self, path: Path, widget: dict[str, Any], definition: dict[str, Any], parent: WidgetRef | None):
        # Written out (the generated one calls a __post_init__): this runs for every widget. A layout value's
        # exact type answers almost every test at one lookup; is_number decides the rest.
        self.path = path
        self.widget = widget
        self.definition = definition
        self.parent = parent
        widget_type = definition.get("type")
        self.type = widget_type if isinstance(widget_type, str) else None
        layout = widget.get("layout")
        if isinstance(layout, dict):
            self.layout = layout
            x, y, width, height = layout.get("x"), layout.get("y"), layout.get("width"), layout.get("height")
            self.x = x if type(x) in _NUMBER_TYPES or is_number(x) else None
            self.y = y if type(y) in _NUMBER_TYPES or is_number(y) else None
            self.width = width if type(width) in _NUMBER_TYPES or is_number(width) else None
            self.height = height if type(height) in _NUMBER_TYPES or is_number(height) else None
        else:
            self.layout = self.x = self.y = self.width = self.height = None

    @property
    def is_top_level(self) -> bool:
        return self.parent is None

    @property
    def box(self) -> tuple[float, float, float, float] | None:
        """(x, y, width, height) when all four are numbers, else None."""
        if self.x is None or self.y is None or self.width is None or self.height is None:
            return None
        return self.x, self.y, self.width, self.height


def _walk(widgets: Any, path: Path, parent: WidgetRef | None, into: list[WidgetRef]) -> list[WidgetRef]:
    """Append the widgets of `widgets` to `into` in document order, each group's widgets right after it."""
    if not isinstance(widgets, list):
        return into
    for index, widget in enumerate(widgets):
        if not isinstance(widget, dict):
            continue
        definition = widget.get("definition")
        if not isinstance(definition, dict):
            definition = {}
        ref = WidgetRef(path + (index,), widget, definition, parent)
        into.append(ref)
        inner = definition.get("widgets")
        if inner is not None:
            _walk(inner, ref.path + ("definition", "widgets"), ref, into)
    return into


Request = tuple[WidgetRef, Path, dict[str, Any]]


def _requests(widgets: Iterable[WidgetRef]) -> tuple[list[Request], list[tuple[Path, dict[str, Any]]]]:
    """The request objects of `requests` lists, and those of `requests` objects (scatterplot `x`/`y`, hostmap
    `fill`/`size`) with their paths, in one pass over the widgets."""
    found, named = [], []
    for ref in widgets:
        requests = ref.definition.get("requests")
        if isinstance(requests, list):
            for index, request in enumerate(requests):
                if isinstance(request, dict):
                    found.append((ref, ref.path + ("definition", "requests", index), request))
        elif isinstance(requests, dict):
            base = ref.path + ("definition", "requests")
            named += [(base + (key,), request) for key, request in requests.items() if isinstance(request, dict)]
    return found, named


@dataclasses.dataclass(frozen=True)
class _Index:
    """The walks of one dashboard, computed once and shared by every rule run inside `indexed`."""

    dashboard: dict[str, Any]
    widgets: list[WidgetRef]
    top_level: list[WidgetRef]
    requests: list[Request]
    named_requests: list[tuple[Path, dict[str, Any]]]
    memo: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, dashboard: dict[str, Any]) -> _Index:
        widgets = _walk(dashboard.get("widgets"), ("widgets",), None, [])
        top_level = [ref for ref in widgets if ref.parent is None]
        return cls(dashboard, widgets, top_level, *_requests(widgets))


_INDEX: contextvars.ContextVar[_Index | None] = contextvars.ContextVar("metta_dash_rules_index", default=None)


@contextlib.contextmanager
def indexed(dashboard: dict[str, Any]) -> Iterator[None]:
    """Share one walk of `dashboard`'s widgets and requests among the rules run inside this block.

    The dashboard must not change inside the block.
    """
    token = _INDEX.set(_Index.of(dashboard))
    try:
        yield
    finally:
        _INDEX.reset(token)


def _index_of(dashboard: Any) -> _Index:
    """The shared index when `dashboard` is the one being indexed, else a fresh one."""
    index = _INDEX.get()
    if index is not None and index.dashboard is dashboard:
        return index
    return _Index.of(dashboard)


def shared(dashboard: dict[str, Any], key: str, compute: Callable[[dict[str, Any]], Any]) -> Any:
    """`compute(dashboard)`, worked out once for all the rules that ask for `key` inside `indexed`."""
    index = _INDEX.get()
    if index is None or index.dashboard is not dashboard:
        return compute(dashboard)
    if key not in index.memo:
        index.memo[key] = compute(dashboard)
    return index.memo[key]


def walk_widgets(dashboard: dict[str, Any]) -> list[WidgetRef]:
    """Every widget, top-level first and each group's widgets right after the group, with exact paths."""
    return _index_of(dashboard).widgets


def top_level_widgets(dashboard: dict[str, Any]) -> list[WidgetRef]:
    return _index_of(dashboard).top_level


def walk_requests(dashboard: dict[str, Any]) -> list[Request]:
    """Every request object in a `requests` list, with its widget and exact path."""
    return _index_of(dashboard).requests


def named_requests(dashboard: dict[str, Any]) -> list[tuple[Path, dict[str, Any]]]:
    """Every request object of a `requests` object (scatterplot `x`/`y`, hostmap `fill`/`size`), with its path."""
    return _index_of(dashboard).named_requests


def dict_items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, item) for the dict items of a list; nothing for anything else."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def is_number(value: Any) -> bool:
    # A tuple, not `int | float`: isinstance is several times faster with it.
    return isinstance(value, (int, float)) and not isinstance(value, bool)
