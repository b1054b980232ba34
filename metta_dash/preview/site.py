"""The preview site: an index and one page per dashboard, from Jinja2 templates, assets copied beside them.

Everything a page needs is in the output folder (no CDN, nothing fetched when viewed): the stylesheet, the
notes already rendered to HTML and the wildcard charts already rendered to SVG.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import jinja2

from metta_dash.files import UnsafePath, contained, write_atomic
from metta_dash.findings import display_path
from metta_dash.preview import model
from metta_dash.validate import Checked

VERSION_FILE = "version.json"
MARKER = ".metta-dash-preview"  # a folder holding it is a preview site, ours to rewrite


@dataclasses.dataclass
class Site:
    """What was written: the index and the page of each dashboard (by name)."""

    folder: Path
    index: Path
    pages: dict[str, Path]
    heights: dict[str, int]  # page heights in CSS pixels, for screenshots


def claim(folder: Path, root: Path, force: bool = False) -> None:
    """Make `folder` the preview's own, refusing (UnsafePath) a folder of other files unless `force`.

    The project's `build/`, an empty or new folder and an earlier preview site are taken as they are.
    """
    resolved = folder.resolve()
    if resolved.exists() and not resolved.is_dir():
        raise UnsafePath(f"{folder} is a file, not a folder", hint="choose a folder with -o")
    build = (root / "build").resolve()
    ours = resolved == build or build in resolved.parents or (resolved / MARKER).is_file()
    if resolved.is_dir() and not ours and not force and any(resolved.iterdir()):
        raise UnsafePath(f"{folder} holds files that are not a preview; refusing to write the site into it",
                         hint="choose an empty folder with -o, or pass --force to write into it anyway")
    resolved.mkdir(parents=True, exist_ok=True)
    (resolved / MARKER).write_text("metta-dash preview site: rewritten by metta-dash preview and watch\n")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("metta_dash.preview", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )


def _copy_assets(folder: Path) -> None:
    target = folder / "assets"
    target.mkdir(parents=True, exist_ok=True)
    for asset in resources.files("metta_dash.preview").joinpath("assets").iterdir():
        if asset.is_file():
            (target / asset.name).write_bytes(asset.read_bytes())


def _count_widgets(node: dict) -> int:
    widgets = [w for w in node.get("widgets") or [] if isinstance(w, dict)]
    return len(widgets) + sum(_count_widgets(w["definition"]) for w in widgets if isinstance(w.get("definition"), dict))


def page_height(page: model.Page) -> int:
    header = 170 + 24 * len(page.loose)
    return header + int(page.grid_rows * page.row_px) + 40


def write(results: Iterable[Checked], folder: Path, live: bool = False, only: set[str] | None = None) -> Site:
    """Write the site for `results` (compiled and validated dashboards) into `folder`.

    With `only`, just the pages of those dashboards are rendered again (the index always is).
    """
    folder.mkdir(parents=True, exist_ok=True)
    _copy_assets(folder)
    env = _environment()
    entries, pages, heights = [], {}, {}
    for checked in results:
        errors = sum(1 for f in checked.findings if f.is_error)
        entry = {
            "name": checked.name or checked.source.stem, "title": "", "widgets": 0, "page": None,
            "errors": errors, "warnings": len(checked.findings) - errors,
            "source": display_path(checked.source), "findings": checked.findings,
        }
        if checked.dashboard is not None and checked.name:
            target = contained(folder, model.slug(checked.name), ".html")
            file_name = target.name
            pages[checked.name] = folder / file_name
            entry.update(title=str(checked.dashboard.get("title", "")), widgets=_count_widgets(checked.dashboard),
                         page=file_name)
            if only is None or checked.name in only:
                page = model.page(checked.name, checked.dashboard, checked.findings, display_path(checked.source))
                write_atomic(folder / file_name, env.get_template("dashboard.html.j2").render(page=page, live=live))
                heights[checked.name] = page_height(page)
        entries.append(entry)
    index = folder / "index.html"
    write_atomic(index, env.get_template("index.html.j2").render(entries=entries, live=live))
    write_atomic(folder / VERSION_FILE, json.dumps({"version": time.time_ns()}))
    return Site(folder, index, pages, heights)


def remove_stale(folder: Path, keep: Iterable[Path]) -> None:
    """Drop pages of dashboards that no longer exist (the output folder is the preview's own)."""
    kept = {p.resolve() for p in keep}
    for page in folder.glob("*.html"):
        if page.resolve() not in kept and page.name != "index.html":
            page.unlink()


