"""A compiled dashboard and its findings -> what a preview page draws: boxes on the 12-column grid.

Nothing here writes HTML; the templates do. Positions stay in grid units (the stylesheet scales them), titles
are cut where Datadog cuts them, notes become HTML through markdown-it (raw HTML off), wildcard widgets
become SVG through `vega`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from metta_dash.findings import Finding, PathPart, format_path
from metta_dash.preview import vega
from metta_dash.rules import title_width

COLUMN_PX = 100  # the page draws the 12-column grid 1200 px wide
ROW_PX = 90
GRID_PX = 12 * COLUMN_PX

# Datadog's group and note colours (light ones tint the body; vivid ones colour the header).
BACKGROUNDS = {
    "white": "#ffffff", "blue": "#e7eefc", "purple": "#efe9fb", "pink": "#fbe8f1", "orange": "#fdeee2",
    "yellow": "#fdf5d9", "green": "#e5f4ea", "gray": "#eef0f2", "transparent": "transparent",
    "vivid_blue": "#3d6fd9", "vivid_purple": "#8650d5", "vivid_pink": "#d2448a", "vivid_orange": "#e2712b",
    "vivid_yellow": "#e3b224", "vivid_green": "#2c9659",
}
# Conditional-format palettes: (text, background).
PALETTES = {
    "white_on_green": ("#ffffff", "#28A745"), "white_on_yellow": ("#ffffff", "#FFC107"),
    "white_on_red": ("#ffffff", "#DC3545"), "white_on_gray": ("#ffffff", "#6C757D"),
    "green_on_white": ("#28A745", "#ffffff"), "yellow_on_white": ("#b58900", "#ffffff"),
    "red_on_white": ("#DC3545", "#ffffff"), "gray_on_white": ("#6C757D", "#ffffff"),
    "black_on_light_green": ("#000000", "#c9ecd3"), "black_on_light_yellow": ("#000000", "#fcefc0"),
    "black_on_light_red": ("#000000", "#f6c9ce"), "green": ("#28A745", "transparent"),
    "red": ("#DC3545", "transparent"), "orange": ("#e2712b", "transparent"), "blue": ("#3d6fd9", "transparent"),
    "grey": ("#6C757D", "transparent"),
}
SEVERITY_COLOURS = {"error": "#DC3545", "warning": "#e0a800", "ok": "#28A745", "info": "#3d6fd9"}


def _image_offline(renderer, tokens, idx, options, env) -> str:
    """A note's image as a placeholder naming it: fetching its URL would break the page's offline promise."""
    token = tokens[idx]
    source = str(token.attrs.get("src", ""))
    alt = escapeHtml(renderer.renderInlineAsText(token.children or [], options, env) or "image")
    if source.startswith("data:image/"):  # inline, nothing to fetch
        return renderer.image(tokens, idx, options, env)
    return (f'<span class="image-offline" title="{escapeHtml(source)}">[image: {alt} · '
            f'<a href="{escapeHtml(source)}">{escapeHtml(source)}</a>, not fetched in the preview]</span>')


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_MARKDOWN.add_render_rule("image", _image_offline)


def cut_title(title: str, width: int) -> str:
    """The title as Datadog shows it in a box `width` columns wide: R111's width model, so both agree."""
    return title_width.shown_title(title, width)


@dataclasses.dataclass
class Box:
    """One widget drawn at its grid position (relative to its group, for widgets in a group)."""

    path: str
    type: str
    title: str
    shown_title: str
    x: int
    y: int
    width: int
    height: int
    background: str | None = None
    vivid: bool = False
    queries: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    formulas: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    markers: list[dict[str, str]] = dataclasses.field(default_factory=list)
    formats: list[dict[str, str]] = dataclasses.field(default_factory=list)
    note_html: Markup | None = None
    svg: Markup | None = None
    render_error: str = ""
    pinned: list[Finding] = dataclasses.field(default_factory=list)
    children: list[Box] = dataclasses.field(default_factory=list)
    description: str = ""


@dataclasses.dataclass
class Page:
    name: str
    title: str
    description: str
    timeframe: str
    variables: list[dict[str, str]]
    boxes: list[Box]
    loose: list[Finding]  # findings on the dashboard itself, not on a widget
    errors: int
    warnings: int
    grid_rows: int
    source: str
    columns: int = 12  # grid units across: 12 on ordered dashboards, the widest extent on free ones
    column_px: float = COLUMN_PX
    row_px: float = ROW_PX

    def all_boxes(self) -> Iterable[Box]:
        for box in self.boxes:
            yield box
            yield from box.children


def _timeframe(dashboard: dict) -> str:
    frame = dashboard.get("default_timeframe")
    if isinstance(frame, dict) and frame.get("value"):
        unit = str(frame.get("unit", ""))
        return f"past {frame['value']} {unit}{'s' if frame['value'] != 1 else ''}"
    return "the time selector's default (past 1 hour)"


def _variables(dashboard: dict) -> list[dict[str, str]]:
    out = []
    for variable in dashboard.get("template_variables") or []:
        if isinstance(variable, dict):
            default = variable.get("defaults") or variable.get("default") or "*"
            out.append({
                "name": str(variable.get("name", "")),
                "prefix": str(variable.get("prefix") or ""),
                "default": ", ".join(default) if isinstance(default, list) else str(default),
            })
    return out


def _requests(definition: dict) -> list[dict]:
    requests = definition.get("requests")
    if isinstance(requests, dict):  # some widget types keep one request object
        return [requests]
    return [r for r in requests or [] if isinstance(r, dict)]


def _format(rule: dict) -> dict[str, str]:
    text, background = PALETTES.get(str(rule.get("palette")), ("#000000", "transparent"))
    if rule.get("palette") == "custom_bg":
        background = str(rule.get("custom_bg_color", background))
    return {"rule": f"{rule.get('comparator', '')} {rule.get('value', '')}", "text": text, "background": background}


def _fill_requests(box: Box, definition: dict) -> None:
    for request in _requests(definition):
        for query in request.get("queries") or []:
            if isinstance(query, dict):
                search = query.get("search")
                text = query.get("query") or (search.get("query") if isinstance(search, dict) else "")
                box.queries.append((str(query.get("name", "")), str(text or query.get("data_source", ""))))
        if isinstance(request.get("q"), str):
            box.queries.append(("", request["q"]))
        for formula in request.get("formulas") or []:
            if isinstance(formula, dict):
                box.formulas.append((str(formula.get("formula", "")), str(formula.get("alias", ""))))
                box.formats += [_format(r) for r in formula.get("conditional_formats") or [] if isinstance(r, dict)]
        box.formats += [_format(r) for r in request.get("conditional_formats") or [] if isinstance(r, dict)]


def _markers(definition: dict) -> list[dict[str, str]]:
    out = []
    for marker in definition.get("markers") or []:
        if isinstance(marker, dict):
            severity = str(marker.get("display_type", "info")).split(" ")[0]
            out.append({
                "value": str(marker.get("value", "")),
                "label": str(marker.get("label", "")),
                "colour": SEVERITY_COLOURS.get(severity, SEVERITY_COLOURS["info"]),
                "line": "dashed" if "dashed" in str(marker.get("display_type", "")) else "solid",
            })
    return out


def _box(widget: dict, path: tuple[PathPart, ...], pinned: dict[tuple, list[Finding]],
         column_px: float = COLUMN_PX, row_px: float = ROW_PX) -> Box:
    """The widget's box; `column_px` and `row_px` are a layout unit's size on the page (finer on free layouts)."""
    definition = widget.get("definition") if isinstance(widget.get("definition"), dict) else {}
    layout = widget.get("layout") if isinstance(widget.get("layout"), dict) else {}
    kind = str(definition.get("type", "?"))
    title = definition.get("title") if isinstance(definition.get("title"), str) else ""
    width = int(layout.get("width", 12) or 12)
    colour = definition.get("background_color")
    box = Box(
        path=format_path(path), type=kind, title=title, shown_title=cut_title(title, width * column_px / COLUMN_PX),
        x=int(layout.get("x", 0) or 0), y=int(layout.get("y", 0) or 0), width=width,
        height=int(layout.get("height", 2) or 2),
        background=BACKGROUNDS.get(colour, colour) if isinstance(colour, str) else None,
        vivid=isinstance(colour, str) and colour.startswith("vivid_"),
        markers=_markers(definition), pinned=pinned.get(path, []),
        description=str(definition.get("description", "")),
    )
    _fill_requests(box, definition)
    if kind in ("note", "free_text") and isinstance(definition.get("content") or definition.get("text"), str):
        box.note_html = Markup(_MARKDOWN.render(definition.get("content") or definition.get("text")))
    if kind == "wildcard":
        svg, error = vega.render(definition, box.width * column_px, box.height * row_px)
        box.svg, box.render_error = (Markup(svg) if svg else None), error
    if kind == "group":
        for index, child in enumerate(definition.get("widgets") or []):
            if isinstance(child, dict):
                box.children.append(_box(child, (*path, "definition", "widgets", index), pinned))
    return box


def _widget_path(path: tuple[PathPart, ...]) -> tuple[PathPart, ...] | None:
    """The path of the innermost widget a finding's path lies in ($.widgets[2].definition.widgets[0])."""
    found = None
    for end in range(len(path)):
        prefix = path[: end + 1]
        if isinstance(prefix[-1], int) and len(prefix) >= 2 and prefix[-2] == "widgets":
            found = prefix
    return found


def page(name: str, dashboard: dict, findings: list[Finding], source: str = "") -> Page:
    pinned: dict[tuple, list[Finding]] = {}
    loose = []
    widget_paths = {(*p,) for p in _all_widget_paths(dashboard)}
    for finding in findings:
        target = _widget_path(finding.path)
        if target is not None and target in widget_paths:
            pinned.setdefault(target, []).append(finding)
        else:
            loose.append(finding)
    widgets = [(i, w) for i, w in enumerate(dashboard.get("widgets") or []) if isinstance(w, dict)]
    columns = _columns(dashboard, [w for _, w in widgets])
    column_px = GRID_PX / columns
    row_px = ROW_PX if columns == 12 else column_px
    boxes = [_box(w, ("widgets", i), pinned, column_px, row_px) for i, w in widgets]
    rows = max((b.y + b.height for b in boxes), default=0)
    description = dashboard.get("description")
    return Page(
        name=name, title=str(dashboard.get("title", name)),
        description=description if isinstance(description, str) else "",
        timeframe=_timeframe(dashboard), variables=_variables(dashboard), boxes=boxes, loose=loose,
        errors=sum(1 for f in findings if f.is_error), warnings=sum(1 for f in findings if not f.is_error),
        grid_rows=rows, source=source, columns=columns, column_px=column_px, row_px=row_px,
    )


def _columns(dashboard: dict, widgets: list[dict]) -> int:
    """Grid units across the page. A free layout places widgets on a fine grid of square units with no
    fixed width: the page is fitted to the widest extent, so the whole dashboard is seen at once."""
    if dashboard.get("layout_type") != "free":
        return 12
    extents = []
    for widget in widgets:
        layout = widget.get("layout") if isinstance(widget.get("layout"), dict) else {}
        extents.append(int(layout.get("x", 0) or 0) + int(layout.get("width", 12) or 12))
    return max([12, *extents])


def _all_widget_paths(dashboard: dict, prefix: tuple = ()) -> Iterable[tuple]:
    for index, widget in enumerate(dashboard.get("widgets") or []):
        if isinstance(widget, dict):
            path = (*prefix, "widgets", index)
            yield path
            definition = widget.get("definition")
            if isinstance(definition, dict) and definition.get("type") == "group":
                yield from _all_widget_paths(definition, (*path, "definition"))


def slug(name: str) -> str:
    """A file name for a dashboard's page."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "dashboard"
