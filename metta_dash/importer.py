"""A Datadog dashboard (JSON) as idiomatic Jsonnet on the library: `metta-dash import`.

Every object the generated core has a builder for is written as `new(...)` with its required fields and a
setter per other field (a plain object field through its setter group, `g.timeseries.yaxis.withMin('0')`);
metric query strings go to a `queries` map; strings spanning lines become text blocks; widget positions are
the layout helpers' rows (`layout.stack([layout.row([...], widths, height), ...])`) wherever the widgets sit in
bands that fill the grid from the left in reading order, and explicit `withLayout(...)` positions where they do
not. What no builder fits (a widget type the spec lacks, a free-form Vega-Lite spec, a field the spec does not
list) is written as a plain object. `Imported.builders` / `Imported.raw` count the objects of each kind.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import time
from pathlib import Path
from typing import Any

from metta_dash import jsonnet_format as fmt
from metta_dash import jsonnet_syntax as js
from metta_dash import schema as widget_schema
from metta_dash.compile import looks_like_dashboard
from metta_dash.errors import MettaDashError
from metta_dash.jsonnet_format import Arr, Call, Chain, Lit, Node
from metta_dash.normalize import normalize
from metta_dash.schema.model import Builder, Field, Kind, Model

GRID_COLUMNS = 12
# Query strings that go to the `queries` map: (component, field).
_QUERY_FIELDS = {("FormulaAndFunctionMetricQueryDefinition", "query")}
_LEGACY_QUERY_FIELD = "q"
_DASHBOARD_ID = re.compile(r"[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}\Z")


@dataclasses.dataclass
class Imported:
    text: str  # the Jsonnet source
    builders: int  # objects written through a builder
    raw: int  # objects written as plain objects


@functools.cache
def _model() -> Model:
    return Model(widget_schema.load_schema()["$defs"])


def to_jsonnet(dashboard: dict[str, Any], source: str = "") -> Imported:
    """The dashboard (normalised first: read-only fields and server defaults out) as Jsonnet source."""
    writer = _Writer(_model())
    body = writer.dashboard(normalize(dashboard))
    origin = f" from {source}" if source else ""
    lines = [f"// {dashboard.get('title', 'Dashboard')}: imported{origin} by metta-dash import."]
    lines.append("local gen = import 'metta-dash/gen/main.libsonnet';")
    if writer.uses_layout:
        lines.append("local layout = import 'metta-dash/layout.libsonnet';")
    lines += ["local g = gen.widgets;", "local o = gen.objects;", ""]
    if writer.queries:
        lines.append("local queries = {")
        for name, query in writer.queries.items():
            lines.append(f"  {js.key(name)}: " + fmt.render(fmt.string(query), 2, 4 + len(name)) + ",")
        lines.append("};")
        lines.append("")
    lines.append(fmt.render(body, 0))
    return Imported("\n".join(lines) + "\n", writer.builders, writer.raw)


class _Writer:
    def __init__(self, model: Model):
        self.model = model
        self.by_component = {b.component: b for b in (*model.widgets, *model.objects)}
        self.queries: dict[str, str] = {}
        self.uses_layout = False
        self.builders = 0
        self.raw = 0

    # -- the dashboard and its widgets -----------------------------------------------------------------

    def dashboard(self, dashboard: dict[str, Any]) -> Node:
        builder = self.by_component["Dashboard"]
        return self.built(dashboard, builder, self.ref(builder)) or self.plain(dashboard)

    def ref(self, builder: Builder) -> str:
        return ("g." if builder.widget_type else "o.") + builder.name

    def widgets(self, widgets: list[Any]) -> Node:
        """A widget list: the layout helpers' rows when the positions are theirs, else explicit positions."""
        bands = _bands(widgets)
        if bands is not None and widgets:
            self.uses_layout = True
            rows = []
            for band in bands:
                nodes = [self.widget(w, with_layout=False) for w in band]
                widths = [w["layout"]["width"] for w in band]
                height = band[0]["layout"]["height"]
                if widths == [GRID_COLUMNS]:
                    rows.append(Call("layout.full", [nodes[0], Lit(str(height))]))
                else:
                    rows.append(Call("layout.row", [Arr(nodes), fmt.value(widths), Lit(str(height))]))
            return Call("layout.stack", [Arr(rows)])
        return Arr([self.widget(w, with_layout=True) for w in widgets])

    def widget(self, widget: Any, with_layout: bool) -> Node:
        if not isinstance(widget, dict) or not isinstance(widget.get("definition"), dict):
            return self.plain(widget)
        definition = widget["definition"]
        extra = {k: v for k, v in widget.items() if k not in ("definition", "layout", "id")}
        builder = next((b for b in self.model.widgets if self.fits(definition, b)), None)
        node = self.built(definition, builder, self.ref(builder)) if builder else None
        if node is None or extra:
            return self.plain(widget if with_layout else {k: v for k, v in widget.items() if k != "layout"})
        if with_layout and isinstance(widget.get("layout"), dict):
            parts = node.parts if isinstance(node, Chain) else [node]
            position = self.object("WidgetLayout", widget["layout"])
            node = Chain([*parts, Call(f"{self.ref(builder)}.withLayout", [position])])
        return node

    # -- objects through builders ----------------------------------------------------------------------

    def fits(self, data: dict[str, Any], builder: Builder) -> bool:
        keys = {f.key for f in builder.fields}
        if not set(data) <= keys:
            return False
        if any(key not in data or data[key] != value for key, value in builder.constants):
            return False
        return all(f.key in data for f in builder.arguments)

    def object(self, component: str, data: Any) -> Node:
        """`data` through the builder of `component` (or of the union member it fits), else a plain object."""
        if not isinstance(data, dict):
            return self.plain(data)
        for leaf in self.model._leaves(component):
            builder = self.by_component.get(leaf)
            if builder is not None and not builder.widget_type and self.fits(data, builder):
                node = self.built(data, builder, self.ref(builder))
                if node is not None:
                    return node
        return self.plain(data)

    def built(self, data: dict[str, Any], builder: Builder, ref: str) -> Node | None:
        if not self.fits(data, builder):
            return None
        self.builders += 1
        by_key = {f.key: f for f in builder.fields}
        args = [self.field(builder, f, data[f.key]) for f in builder.arguments]
        names = [f.argument for f in builder.arguments] if len(args) > 1 else []
        parts: list[Node] = [Call(f"{ref}.new", args, names)]
        constants = {key for key, _ in builder.constants}
        for key, item in data.items():
            field = by_key[key]
            if key in constants or field in builder.arguments:
                continue
            nested = self.by_component.get(field.nested) if field.nested else None
            nestable = nested is not None and not nested.constants and isinstance(item, dict) and item
            if nestable and self.fits(item, nested):
                self.builders += 1
                nested_fields = {f.key: f for f in nested.fields}
                for inner_key, inner in item.items():
                    inner_field = nested_fields[inner_key]
                    setter = f"{ref}.{field.name}.{inner_field.setter}"
                    parts.append(Call(setter, [self.field(nested, inner_field, inner)]))
                continue
            parts.append(Call(f"{ref}.{field.setter}", [self.field(builder, field, item)]))
        return Chain(parts) if len(parts) > 1 else parts[0]

    def field(self, builder: Builder, field: Field, item: Any) -> Node:
        if builder.component == "GroupWidgetDefinition" and field.key == "widgets" and isinstance(item, list):
            return self.widgets(item)
        if builder.component == "Dashboard" and field.key == "widgets" and isinstance(item, list):
            return self.widgets(item)
        query_field = (builder.component, field.key) in _QUERY_FIELDS or field.key == _LEGACY_QUERY_FIELD
        if isinstance(item, str) and query_field:
            return Lit("queries." + self.query_name(item))
        return self.typed(field.kind, item)

    def typed(self, kind: Kind, item: Any) -> Node:
        """A value of a known kind: objects through their builders, lists (of lists) item by item."""
        if isinstance(item, dict) and kind.ref:
            return self.object(kind.ref, item)
        if isinstance(item, list) and kind.items is not None and _holds_objects(item):
            return Arr([self.typed(kind.items, x) for x in item])
        return self.plain(item)

    def plain(self, data: Any) -> Node:
        self.raw += _count_objects(data)
        return fmt.value(data)

    def query_name(self, query: str) -> str:
        for name, known in self.queries.items():
            if known == query:
                return name
        match = re.search(r"(?:^|:)([A-Za-z][\w.]*)\{", query)
        stem = re.sub(r"\W+", "_", match.group(1) if match else "query").strip("_").lower() or "query"
        stem = stem if stem[0].isalpha() else "q_" + stem
        name, n = stem, 1
        while name in self.queries:
            n += 1
            name = f"{stem}_{n}"
        self.queries[name] = query
        return name


def _holds_objects(data: Any) -> bool:
    return isinstance(data, list) and any(isinstance(x, dict) or _holds_objects(x) for x in data)


def _count_objects(data: Any) -> int:
    if isinstance(data, dict):
        return 1 + sum(_count_objects(v) for v in data.values())
    if isinstance(data, list):
        return sum(_count_objects(v) for v in data)
    return 0


def _bands(widgets: list[Any]) -> list[list[dict[str, Any]]] | None:
    """The widgets as layout.row bands in list order, or None when their positions are not the helpers'."""
    bands: list[list[dict[str, Any]]] = []
    top = 0
    for widget in widgets:
        box = widget.get("layout") if isinstance(widget, dict) else None
        if not isinstance(box, dict) or set(box) != {"x", "y", "width", "height"}:
            return None
        x, y, width, height = (box[k] for k in ("x", "y", "width", "height"))
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (x, y, width, height)):
            return None
        if width < 1 or height < 1:
            return None
        band = bands[-1] if bands else None
        if band is not None and y == band[0]["layout"]["y"] and height == band[0]["layout"]["height"]:
            last = band[-1]["layout"]
            if x != last["x"] + last["width"] or x + width > GRID_COLUMNS:
                return None
            band.append(widget)
            continue
        if band is not None:
            top += band[0]["layout"]["height"]
        if x != 0 or y != top or width > GRID_COLUMNS:
            return None
        bands.append([widget])
    return bands


def read_source(source: str, fetch) -> tuple[dict[str, Any], str]:
    """The dashboard a `metta-dash import` argument names, and how to call its origin: a JSON file when one
    exists at that path, else a Datadog dashboard ID fetched with `fetch(id)` (None when Datadog has none)."""
    path = Path(source)
    if path.is_file() or path.suffix == ".json":
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            raise MettaDashError(f"{source}: no such file",
                                 hint="name an exported dashboard JSON file or a dashboard ID") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise MettaDashError(f"{source}: not a JSON file ({error})",
                                 hint="export it with `metta-dash export ID -o FILE`") from None
        origin = path.name
    elif _DASHBOARD_ID.match(source):
        data = fetch(source)
        if data is None:
            raise MettaDashError(f"no dashboard {source} in Datadog (HTTP 404)", hint="`metta-dash list` shows IDs")
        origin = f"Datadog dashboard {source}"
    else:
        raise MettaDashError(
            f"{source!r} is neither a JSON file nor a dashboard ID",
            hint="pass an exported dashboard (.json) or an ID such as abc-def-ghi",
        )
    if not looks_like_dashboard(data):
        raise MettaDashError(f"{source}: not a Datadog dashboard (no title, layout_type and widgets)",
                             hint="export the dashboard's JSON from Datadog or with `metta-dash export ID`")
    return data, origin


@dataclasses.dataclass
class RoundTrip:
    """What importing dashboards and compiling the output gave back."""

    problems: dict[str, str]  # name -> why the compiled output differs from the original (absent: equal)
    builders: int
    raw: int
    import_seconds: float
    compile_seconds: float


def round_trip(dashboards: dict[str, dict[str, Any]], folder: Path) -> RoundTrip:
    """Import each dashboard into `folder`, compile all of them in one evaluation (the library is read once)
    and compare each with its original after normalisation."""
    from metta_dash import compile as jsonnet

    problems: dict[str, str] = {}
    builders = raw = 0
    files = {name: f"d{i}" for i, name in enumerate(dashboards)}  # dashboard names become file names: keep short
    started = time.perf_counter()
    for name, dashboard in dashboards.items():
        imported = to_jsonnet(dashboard, name)
        builders, raw = builders + imported.builders, raw + imported.raw
        (folder / f"{files[name]}.jsonnet").write_text(imported.text, encoding="utf-8")
    import_seconds = time.perf_counter() - started
    options = jsonnet.Options(import_paths=(jsonnet.LIBRARY_PATH,))
    started = time.perf_counter()
    snippet = "{\n" + "".join(f"  {f}: import '{f}.jsonnet',\n" for f in files.values()) + "}\n"
    compiled = jsonnet.compile_text(folder / "all.jsonnet", snippet, options)
    by_file = compiled.dashboards if not compiled.findings else {}
    results = {name: by_file[f] for name, f in files.items() if f in by_file}
    if not by_file:  # one failed: compile each to tell which
        for name, f in files.items():
            single = jsonnet.compile_file(folder / f"{f}.jsonnet", options)
            if single.findings or not single.dashboards:
                problems[name] = "does not compile: " + (single.findings[0].message if single.findings else "?")
            else:
                results[name] = next(iter(single.dashboards.values()))
    compile_seconds = time.perf_counter() - started
    for name, dashboard in dashboards.items():
        if name in results and normalize(results[name]) != normalize(dashboard):
            problems[name] = "differs from the original after normalisation"
    return RoundTrip(problems, builders, raw, import_seconds, compile_seconds)
