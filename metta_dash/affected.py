"""Which dashboards a set of changed files affects, following Jsonnet imports transitively.

A changed dashboard affects itself; a changed `.libsonnet` (or imported `.json`) affects every dashboard
that imports it, directly or through other components.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

# import 'x', importstr "x", importbin 'x' (comments are stripped first, so commented-out imports don't count)
_IMPORT = re.compile(r"""\bimport(?:str|bin)?\s*(['"])(?P<path>(?:\\.|(?!\1).)*)\1""")
_COMMENT = re.compile(r"""//[^\n]*|#[^\n]*|/\*.*?\*/""", re.DOTALL)


def _imports(file: Path, import_paths: tuple[Path, ...]) -> set[Path]:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    found = set()
    for match in _IMPORT.finditer(_COMMENT.sub("", text)):
        name = match.group("path")
        for folder in (file.parent, *import_paths):
            candidate = (folder / name).resolve()
            if candidate.is_file():
                found.add(candidate)
                break
    return found


def dependencies(dashboard: Path, import_paths: tuple[Path, ...]) -> set[Path]:
    """Every file `dashboard` imports, directly or not."""
    seen: set[Path] = set()
    pending = [dashboard.resolve()]
    while pending:
        for imported in _imports(pending.pop(), import_paths):
            if imported not in seen:
                seen.add(imported)
                pending.append(imported)
    return seen


def affected_dashboards(
    changed: Iterable[Path], dashboards: Iterable[Path], import_paths: tuple[Path, ...]
) -> list[Path]:
    """The dashboards among `dashboards` that `changed` files are, or that import them."""
    changed_set = {path.resolve() for path in changed}
    hit = []
    for dashboard in dashboards:
        resolved = dashboard.resolve()
        if resolved in changed_set or changed_set & dependencies(resolved, import_paths):
            hit.append(dashboard)
    return hit


def import_cycle(start: Path, import_paths: tuple[Path, ...]) -> list[Path] | None:
    """A chain of imports from `start` that comes back to a file already on it (the last file is the one met
    again), if any."""
    chain: list[Path] = []
    done: set[Path] = set()

    def visit(file: Path) -> list[Path] | None:
        if file in chain:
            return chain + [file]
        if file in done:
            return None
        chain.append(file)
        for imported in sorted(_imports(file, import_paths)):
            cycle = visit(imported)
            if cycle:
                return cycle
        chain.pop()
        done.add(file)
        return None

    return visit(start.resolve())
