"""Generate the API reference of the Jsonnet core (docs/api/) from the same builder model as the code.

`docs/api/README.md` lists every builder; `docs/api/widgets/<type>.md` documents one widget builder (every
setter with its type and allowed values) followed by the objects its fields use directly;
`docs/api/objects.md` documents every object builder.
"""

from __future__ import annotations

from metta_dash.schema.builders import HEADER
from metta_dash.schema.model import Builder, Field, Model, snake
from metta_dash.schema.spec import REPO_ROOT

DOCS_DIR = REPO_ROOT / "docs" / "api"
_MARK = "<!-- " + HEADER.removeprefix("// ") + " -->"


def render_all(model: Model) -> dict[str, str]:
    """Relative path -> Markdown of every reference page."""
    pages = {f"widgets/{_stem(b)}.md": _widget_page(b, model) for b in model.widgets}
    pages["objects.md"] = _objects_page(model)
    pages["README.md"] = _index(model)
    return pages


def _index(model: Model) -> str:
    lines = [
        _MARK,
        "# API reference: the generated Jsonnet core",
        "",
        "Every Datadog widget definition and every object it uses has a builder in `components/gen/`, generated",
        "from the OpenAPI spec the widget schema comes from. Import them through `gen/main.libsonnet`:",
        "",
        "```jsonnet",
        "local gen = import 'gen/main.libsonnet';  // or 'metta-dash/gen/main.libsonnet' from another repository",
        "local g = gen.widgets;",
        "local o = gen.objects;",
        "",
        "g.timeseries.new([",
        "  o.timeseriesWidgetRequest.new()",
        "  + o.timeseriesWidgetRequest.withResponseFormat('timeseries')",
        "  + o.timeseriesWidgetRequest.withQueries([",
        "    o.formulaAndFunctionMetricQueryDefinition.new('avg:system.cpu.user{*}', 'cpu'),",
        "  ])",
        "  + o.timeseriesWidgetRequest.withFormulas([o.widgetFormula.new('cpu')]),",
        "])",
        "+ g.timeseries.withTitle('CPU')",
        "+ g.timeseries.yaxis.withMin('0')",
        "```",
        "",
        "`new(...)` takes the required fields; every field has a `withX(value)` setter, lists also `withXMixin(value)`",
        "(appends; a single item is taken as a list of one), and a plain object field has a group of setters for its",
        "own fields (`yaxis.withMin`). A wrong type or value stops the compile naming the builder, the field and the",
        "allowed values, with the nearest one for a near miss. The friendlier builders of `widgets.libsonnet` are",
        "written on top of these.",
        "",
        f"## Widgets ({len({b.widget_type for b in model.widgets})} types, {len(model.widgets)} builders)",
        "",
        "| builder | `type` | `new(...)` |",
        "|---|---|---|",
        *[
            f"| [`{b.name}`](widgets/{_stem(b)}.md) | `{b.widget_type}` | `new({_parameters(b)})` |"
            for b in model.widgets
        ],
        "",
        f"## Objects ({len(model.objects)} builders)",
        "",
        "See [objects.md](objects.md): "
        + ", ".join(f"[`{b.name}`](objects.md#{b.name.lower()})" for b in model.objects),
        "",
    ]
    return "\n".join(lines)


def _stem(builder: Builder) -> str:
    """The page name: the widget type, or the component's words when several definitions share a type."""
    return snake(builder.name)


def _parameters(builder: Builder) -> str:
    return ", ".join(f.argument for f in builder.arguments)


def _widget_page(builder: Builder, model: Model) -> str:
    lines = [
        _MARK,
        f"# `{builder.name}`: the `{builder.widget_type}` widget",
        "",
        builder.description,
        "",
        f"`local g = (import 'gen/main.libsonnet').widgets;` then `g.{builder.name}.new(...)`. "
        f"Generated from `{builder.component}`; builds `{{definition: {{type: '{builder.widget_type}', ...}}}}`.",
        "",
        *_builder_section(builder, model, level="##", link="../objects.md"),
        "### Placement",
        "",
        "| setter | type |",
        "|---|---|",
        "| `withLayout(value)` | object ([`widgetLayout`](../objects.md#widgetlayout)), normally set by"
        " `layout.libsonnet` |",
        "| `withId(value)` | integer |",
        "",
    ]
    used = []
    for field in builder.setters:
        for ref in _refs_of(field):
            if ref not in used and ref != builder.component:
                used.append(ref)
    if used:
        lines += ["## Objects these fields use", ""]
        for ref in used:
            other = model.builder_of(ref)
            if other is not None:
                lines.append(f"- [`{other.name}`](../objects.md#{other.name.lower()}) ({ref}): {other.description}")
        lines.append("")
    return "\n".join(lines)


def _objects_page(model: Model) -> str:
    lines = [
        _MARK,
        "# Object builders",
        "",
        "`local o = (import 'gen/main.libsonnet').objects;` then `o.<builder>.new(...)`. Each builds the plain object.",
        "",
    ]
    for builder in model.objects:
        lines += [f"## {builder.name}", "", f"`{builder.component}`: {builder.description}", ""]
        lines += _builder_section(builder, model, level="###", link="")
    return "\n".join(lines)


def _builder_section(builder: Builder, model: Model, level: str, link: str) -> list[str]:
    lines = [
        f"`new({_parameters(builder)})`"
        + (f": sets {', '.join(f'`{k}: {v!r}`' for k, v in builder.constants)}" if builder.constants else ""),
        "",
        f"{level}# Setters",
        "",
        "| setter | type / allowed values | description |",
        "|---|---|---|",
    ]
    for field in builder.setters:
        lines.append(_row(field, field.setter, link, model))
        if field.kind.types == ("array",):
            lines.append(_row(field, field.setter + "Mixin", link, model, mixin=True))
        if field.nested:
            nested = model.builder_of(field.nested)
            for inner in nested.setters if nested else ():
                lines.append(_row(inner, f"{field.name}.{inner.setter}", link, model))
    lines.append("")
    return lines


def _row(field: Field, setter: str, link: str, model: Model, mixin: bool = False) -> str:
    kind = field.kind.describe()
    for ref in _refs_of(field):
        other = model.builder_of(ref)
        if other is not None:
            kind = kind.replace(ref, f"[`{other.name}`]({link}#{other.name.lower()})")
    notes = []
    if field.required:
        notes.append("required")
    if field.deprecated:
        notes.append("deprecated")
    if field.read_only:
        notes.append("read-only")
    description = ("appends to the list" if mixin else field.description).replace("|", "\\|")
    suffix = f" ({', '.join(notes)})" if notes and not mixin else ""
    return f"| `{setter}(value)` | {kind} | {description}{suffix} |"


def _refs_of(field: Field) -> list[str]:
    kind = field.kind
    refs = [kind.ref] if kind.ref else []
    if kind.items is not None and kind.items.ref:
        refs.append(kind.items.ref)
    return refs
